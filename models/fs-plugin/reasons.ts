/**
 * Why a step of fs-plugin never fires in a case: the longer reasons unreached.ts assigns.
 */
import { newFolioFree, onlyOwnRead, readAfterRelease } from '../retry-steps.ts';

/** filemap_fault's "Did it get truncated?" after it created the folio (`retry_find`), and why it never fails. */
export const CREATED_UNDER_INVALIDATE_LOCK =
  'filemap_fault creates a folio (retry_find: __filemap_get_folio(FGP_CREAT), folio_lock) under filemap_invalidate_lock_shared ' +
  '(mm/filemap.c: "See comment in filemap_create_folio() why we need invalidate_lock"), and the one truncation removes folios only ' +
  'under the invalidate_lock held exclusive (filemap_invalidate_lock, XFS_MMAPLOCK_EXCL); nothing else (no reclaim) removes a folio ' +
  'here, so the recheck after that folio_lock never fails';

export const RETRY_FIND = `the folio_unlock of the "Did it get truncated?" retry after filemap_fault created the folio: ${CREATED_UNDER_INVALIDATE_LOCK}`;

/** The `do_wp_page` copy of the write fault, in a case whose PTE starts absent. */
export const WP_NEVER =
  'the PTE starts absent and only this fault maps it, so handle_mm_fault always takes do_shared_fault (->fault, ->page_mkwrite, ' +
  'finish_fault), never do_wp_page → wp_page_shared';
export const NO_WP = `the do_wp_page copy of the write fault (its ->page_mkwrite, wp_page_reuse, fault_dirty_shared_page): ${WP_NEVER}; do_shared_fault's copies of the same steps fire`;

/** ->page_mkwrite's back-off in the do_wp_page copy. */
export const NO_WP_BACKOFF = `->page_mkwrite's back-off ("Page got truncated") in the do_wp_page copy: ${WP_NEVER}`;

/** A lock only the truncation takes. */
export const INODE_LOCK_ALONE = 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it';
export const XFS_ILOCK_APART = 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK';

/** ext4_writepages (the ext4 records here) in a case where every dirty folio has buffers. */
export const BUFFERS_ATTACHED =
  'every dirty folio the writeback meets has buffers: A starts dirty with clean buffers, and a folio the fault creates after ' +
  'the truncation (filemap_add_folio: no buffers, clean) is dirtied only by block_page_mkwrite, which attaches them; so ' +
  'mpage_prepare_extent_to_map\'s no-buffers branch (fs/ext4/inode.c: "page %lu does not have buffers attached") never runs — ' +
  'mpage_no_buffers is that case';

/** write_folio's generic discard under ext4_writepages. */
export const EXT4_NO_DISCARD =
  'ext4_writepages sends a folio without buffers to mpage_prepare_extent_to_map\'s no-buffers branch before write_folio, and the ' +
  'writeback holds the folio lock from that test to write_folio\'s own (`discards`: no private data), so write_folio\'s ' +
  'discard never runs under ext4_writepages';


/** mpage_no_buffers: one task, one folio that stays dirty, cached and without buffers. */
export const ALWAYS_NO_BUFFERS =
  'the writeback is the only task and A\'s folio stays dirty, cached and without buffers: the recheck under the folio lock never ' +
  'skips it and ext4_writepages always takes mpage_prepare_extent_to_map\'s no-buffers branch (folio_clear_dirty, folio_unlock, ' +
  'which fire), so the generic write (write_folio: folio_mkclean, folio_clear_dirty_for_io, the discard or folio_start_writeback, ' +
  'folio_end_writeback, their folio_unlocks) and the recheck\'s folio_unlock never run — mpage_no_buffers_generic is that path';

/** mpage_no_buffers_generic: the same folio through write_folio. */
export const ALWAYS_DISCARDED =
  'the writeback is the only task and A\'s folio stays dirty, cached and without buffers: the recheck under the folio lock never ' +
  'skips it, and write_folio, after folio_mkclean and folio_clear_dirty_for_io, always drops it (`discards`: no private data, ' +
  'then the folio_unlock that fires): folio_start_writeback, folio_end_writeback, their folio_unlock and the recheck\'s ' +
  'folio_unlock never run';

/** gfs2_dio_nofault: one task, the folio faulted in once. */
export const FAULTED_ONCE =
  'the DIO is the only task and A\'s folio starts out of the page cache: its one fault (after FOLL_NOFAULT\'s -EFAULT, with the ' +
  'glock dropped) goes gfs2_fault → filemap_fault\'s slow path, which creates the folio, and nothing removes it: filemap_fault\'s ' +
  'cached-folio path (its folio_lock and its recheck\'s folio_unlock) and the "Did it get truncated?" retry after the creation ' +
  'never run; the retried pin finds the PTE mapped';

/** xfs_truncate, folio_identity: the fault releases its lock only in or after the one truncation. */
const ONE_TRUNCATION = 'A starts cached and uptodate and leaves the page cache once, in the one truncation, no one but the truncation locking it before: a fault releases its lock (then VM_FAULT_RETRY) only in or after that truncation, and its TRIED retry finds A cached and uptodate';

/** xfs_truncate: only the truncation locks A, and it removes A before unlocking it. */
export const TRUNCATION_REMOVES =
  'only the truncation ever holds A\'s lock besides the fault (no writeback or read here), and it removes A before it unlocks it: a fault that released its lock ' +
  'waiting for A on the cached path finds it truncated (the recheck\'s folio_unlock, to the not-cached path), never still cached (the folio_unlock of "if (fpin) goto out_retry")';

/** The fault's not-cached path: the truncation locks A only under invalidate_lock exclusive. */
export const NEW_FOLIO_FREE = newFolioFree('fault', 'A', 'it creates and locks A holding invalidate_lock shared, and the truncation locks A only holding it exclusive');
export const TRIED_FINDS_UPTODATE = readAfterRelease('fault', 'A', ONE_TRUNCATION);
export const OWN_READ = onlyOwnRead('fault', 'A');
export const DIO_OWN_READ = onlyOwnRead('dio', 'A');
export const DIO_NEW_FOLIO_FREE = newFolioFree('dio', 'A', 'the DIO is the only task');

/** gfs2_dio_nofault: the prefault's retry maps A by fault-around. */
export const FAULT_AROUND_REDO = 'the prefault finds A not uptodate: it releases mmap_lock for the read and returns VM_FAULT_RETRY, and the redo maps A by fault-around (filemap_map_pages), without ->fault (filemap_fault, finish_fault, the folio_unlock after it)';
