/**
 * Why a step of gup-writeback never fires, under the parameters unreached.ts declares it for.
 */

/** check_vma_flags() refuses the pin: nothing the holder would do with it runs. */
export const REFUSED = 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs';

/** No actor zaps the PTE: every write fault is do_wp_page. */
export const NO_SHARED_FAULT = "the PTE is never absent: the mapping starts RO-clean and only unmap_mapping_range (punch) or try_to_unmap (reclaim) would zap it, neither of which runs here, so every write fault is do_wp_page → wp_page_shared (mm/memory.c), and do_shared_fault — filemap_fault's lookup, lock and read, its own ->page_mkwrite, finish_fault writable, fault_dirty_shared_page — never runs";

/** Nothing takes the folio out of the page cache: ->page_mkwrite never sees it truncated. */
export const NOT_TRUNCATED = "nothing takes the folio out of the page cache (no punch, no reclaim): ->page_mkwrite never finds folio->mapping != mapping, so its truncation exit (folio_unlock, the filesystem's own lock dropped, VM_FAULT_NOPAGE and the fault retried) never runs";

/** faultin_page's -EFAULT exit: filemap_fault never fails here. */
export const NO_SIGBUS = "faultin_page's -EFAULT exit after VM_FAULT_SIGBUS (mm/gup.c) never runs: the GUP faults go through do_wp_page, which does not call ->fault, and the family's ->fault is filemap_fault, which here always returns the folio locked (the folio is within i_size)";

/** No truncation: the pinned page never becomes an orphan. */
export const NO_ORPHAN = "no punch: the pinned page never leaves the page cache, so unpin_user_pages_dirty_lock's dirtying of a page with no mapping (folio_mark_dirty → noop_dirty_folio: an orphan) never runs";

/** W1-ok: the folio is dirty whenever the pin is released. */
export const DIRTY_AT_UNPIN = "the folio is dirty whenever the pin holder releases it, so unpin_user_pages_dirty_lock (mm/gup.c: `if (!folio_test_dirty(folio))`) never locks and dirties it: FOLL_WRITE pins only through a writable PTE (can_follow_write_pte), ->page_mkwrite made it writable after dirtying the folio, and W1-ok waits for the pins after folio_mkclean, before folio_clear_dirty_for_io (W0 runs it: S-1)";

/** folio_prepare_writeback's recheck under the folio lock always passes. */
export const RECHECK_PASSES = "folio_prepare_writeback's recheck under the folio lock (mm/page-writeback.c: folio->mapping, folio_test_dirty, folio_test_writeback under WB_SYNC_NONE) always passes, so its unlock-and-skip never runs: nothing removes the folio (no punch, no reclaim), only this writeback clears PG_dirty, and it ends its own PG_writeback before it leaves the folio";

/** ext4: the folio keeps its buffers. */
export const BUFFERS_KEPT = "the folio keeps its buffers: only reclaim's ->release_folio (try_to_free_buffers) or a new folio after a punch (filemap_add_folio) has none, and neither runs here, so mpage_prepare_extent_to_map's \"does not have buffers attached\" skip (fs/ext4/inode.c, the W-b report) never runs (reclaim without fix_reclaim_skip_pinned and passes=2 reach it)";

/** bcachefs: one pass sees only folios bch2_page_mkwrite dirtied. */
export const BCH_ONE_PASS = "one writeback pass (passes=1): every folio it finds dirty was dirtied by bch2_page_mkwrite, which set its sectors dirty, and the dirtying without them — unpin_user_pages_dirty_lock's folio_mark_dirty after the pass cleaned the folio — only a second pass finds, so __bch2_writepage's \"no dirty sectors, nothing written\" (fs/bcachefs/fs-io-buffered.c) never runs here (passes=2 reaches it)";
