/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (outer frames left out), `#n` in
 * program order where positions share path and label: a write fault's do_wp_page copy is its
 * last; filemap_fault's cached-folio path #1, its created folio #2; a writeback pass unlocks after
 * the recheck (#1), each branch that writes nothing, and the submission (last).
 * `gfs2_dio_fault` has none: its one expected verdict is the deadlock, so its search ends there
 * and reports no coverage.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { READ_AFTER_RELEASE, retrySteps } from '../retry-steps.ts';

/** filemap_fault's "Did it get truncated?" after it created the folio (`retry_find`), and why it never fails. */
const CREATED_UNDER_INVALIDATE_LOCK =
  'filemap_fault creates a folio (retry_find: __filemap_get_folio(FGP_CREAT), folio_lock) under filemap_invalidate_lock_shared ' +
  '(mm/filemap.c: "See comment in filemap_create_folio() why we need invalidate_lock"), and the one truncation removes folios only ' +
  'under the invalidate_lock held exclusive (filemap_invalidate_lock, XFS_MMAPLOCK_EXCL); nothing else (no reclaim) removes a folio ' +
  'here, so the recheck after that folio_lock never fails';

const RETRY_FIND = `the folio_unlock of the "Did it get truncated?" retry after filemap_fault created the folio: ${CREATED_UNDER_INVALIDATE_LOCK}`;

/** The `do_wp_page` copy of the write fault, in a case whose PTE starts absent. */
const WP_NEVER =
  'the PTE starts absent and only this fault maps it, so handle_mm_fault always takes do_shared_fault (->fault, ->page_mkwrite, ' +
  'finish_fault), never do_wp_page → wp_page_shared';
const NO_WP = `the do_wp_page copy of the write fault (its ->page_mkwrite, wp_page_reuse, fault_dirty_shared_page): ${WP_NEVER}; do_shared_fault's copies of the same steps fire`;

/** ->page_mkwrite's back-off in the do_wp_page copy. */
const NO_WP_BACKOFF = `->page_mkwrite's back-off ("Page got truncated") in the do_wp_page copy: ${WP_NEVER}`;

/** A lock only the truncation takes. */
const INODE_LOCK_ALONE = 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it';
const XFS_ILOCK_APART = 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK';

/** ext4_writepages (the ext4 records here) in a case where every dirty folio has buffers. */
const BUFFERS_ATTACHED =
  'every dirty folio the writeback meets has buffers: A starts dirty with clean buffers, and a folio the fault creates after ' +
  'the truncation (filemap_add_folio: no buffers, clean) is dirtied only by block_page_mkwrite, which attaches them; so ' +
  'mpage_prepare_extent_to_map\'s no-buffers branch (fs/ext4/inode.c: "page %lu does not have buffers attached") never runs — ' +
  'mpage_no_buffers is that case';

/** write_folio's generic discard under ext4_writepages. */
const EXT4_NO_DISCARD =
  'ext4_writepages sends a folio without buffers to mpage_prepare_extent_to_map\'s no-buffers branch before write_folio, and the ' +
  'writeback holds the folio lock from that test to write_folio\'s own (`discards`: no private data), so write_folio\'s ' +
  'discard never runs under ext4_writepages';


/** mpage_no_buffers: one task, one folio that stays dirty, cached and without buffers. */
const ALWAYS_NO_BUFFERS =
  'the writeback is the only task and A\'s folio stays dirty, cached and without buffers: the recheck under the folio lock never ' +
  'skips it and ext4_writepages always takes mpage_prepare_extent_to_map\'s no-buffers branch (folio_clear_dirty, folio_unlock, ' +
  'which fire), so the generic write (write_folio: folio_mkclean, folio_clear_dirty_for_io, the discard or folio_start_writeback, ' +
  'folio_end_writeback, their folio_unlocks) and the recheck\'s folio_unlock never run — mpage_no_buffers_generic is that path';

/** mpage_no_buffers_generic: the same folio through write_folio. */
const ALWAYS_DISCARDED =
  'the writeback is the only task and A\'s folio stays dirty, cached and without buffers: the recheck under the folio lock never ' +
  'skips it, and write_folio, after folio_mkclean and folio_clear_dirty_for_io, always drops it (`discards`: no private data, ' +
  'then the folio_unlock that fires): folio_start_writeback, folio_end_writeback, their folio_unlock and the recheck\'s ' +
  'folio_unlock never run';

/** gfs2_dio_nofault: one task, the folio faulted in once. */
const FAULTED_ONCE =
  'the DIO is the only task and A\'s folio starts out of the page cache: its one fault (after FOLL_NOFAULT\'s -EFAULT, with the ' +
  'glock dropped) goes gfs2_fault → filemap_fault\'s slow path, which creates the folio, and nothing removes it: filemap_fault\'s ' +
  'cached-folio path (its folio_lock and its recheck\'s folio_unlock) and the "Did it get truncated?" retry after the creation ' +
  'never run; the retried pin finds the PTE mapped';

/** The ext4 record with a handle, either order. */
const EXT4_HANDLE = {
  "fault: filemap_fault > folio_unlock(A)#2": RETRY_FIND,
  "truncate: inode_lock(A) [sleep]": INODE_LOCK_ALONE,
  "writeback: ext4-nodelalloc: no private data, nothing written": EXT4_NO_DISCARD,
  "writeback: folio_unlock(A)#2": `the folio_unlock after the no-buffers branch: ${BUFFERS_ATTACHED}`,
  "writeback: folio_unlock(A)#3": `the folio_unlock after write_folio's discard: ${EXT4_NO_DISCARD}`,
  "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": BUFFERS_ATTACHED,
};

/** Folio identity, either ->page_mkwrite (invalidate_unlock: do_wp_page's back-off #3, unlock #4). */
const FOLIO_IDENTITY = {
  "fault: handle_mm_fault > ext4_page_mkwrite#2": NO_WP,
  "fault: handle_mm_fault > fault_dirty_shared_page(A): unlock#2": NO_WP,
  "fault: handle_mm_fault > filemap_invalidate_lock_shared(A)#2": NO_WP,
  "fault: handle_mm_fault > filemap_invalidate_unlock_shared(A)#3": NO_WP_BACKOFF,
  "fault: handle_mm_fault > filemap_invalidate_unlock_shared(A)#4": NO_WP,
  "fault: handle_mm_fault > folio_lock(A)#2": NO_WP,
  "fault: handle_mm_fault > folio_unlock(A)#3": NO_WP_BACKOFF,
  "fault: filemap_fault > folio_unlock(A)#2": RETRY_FIND,
  "fault: handle_mm_fault > folio_wait_stable(A)#2": NO_WP,
  "fault: wp_page_reuse: PTE RW-dirty": NO_WP,
  "truncate: inode_lock(A) [sleep]": INODE_LOCK_ALONE,
};

const audited = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    "ext4_handle": EXT4_HANDLE,
    "ext4_handle_inverted": EXT4_HANDLE,
    "xfs_truncate": {
        "fault: filemap_fault > folio_unlock(A)#2": RETRY_FIND,
        "fault: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": XFS_ILOCK_APART,
        "truncate: inode_lock(A) [sleep]": INODE_LOCK_ALONE,
        "truncate: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": XFS_ILOCK_APART,
      },
    "folio_identity": FOLIO_IDENTITY,
    "folio_identity_slot_only": FOLIO_IDENTITY,
    "mpage_no_buffers": {
        "writeback: folio_clear_dirty_for_io(A)": ALWAYS_NO_BUFFERS,
        "writeback: folio_end_writeback(A)": ALWAYS_NO_BUFFERS,
        "writeback: folio_mkclean(A)": ALWAYS_NO_BUFFERS,
        "writeback: folio_start_writeback(A): submit": ALWAYS_NO_BUFFERS,
        "writeback: folio_unlock(A)#1": ALWAYS_NO_BUFFERS,
        "writeback: folio_unlock(A)#3": ALWAYS_NO_BUFFERS,
      },
    "mpage_no_buffers_generic": {
        "writeback: folio_end_writeback(A)": ALWAYS_DISCARDED,
        "writeback: folio_start_writeback(A): submit": ALWAYS_DISCARDED,
        "writeback: folio_unlock(A)#1": ALWAYS_DISCARDED,
        "writeback: folio_unlock(A)#3": ALWAYS_DISCARDED,
      },
    "gfs2_dio_nofault": {
        "dio: filemap_fault > folio_lock(A)#1": FAULTED_ONCE,
        "dio: filemap_fault > folio_unlock(A)#1": FAULTED_ONCE,
        "dio: filemap_fault > folio_unlock(A)#2": FAULTED_ONCE,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};

/** The audited steps, and the steps of VM_FAULT_RETRY that never fire here (`retrySteps`). */
export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> => ({
  ...retrySteps('A'),
  ...(['xfs_truncate', 'folio_identity', 'folio_identity_slot_only', 'gfs2_dio_nofault'].includes(p.case) ? { 'filemap_read_folio(A)': READ_AFTER_RELEASE } : {}),
  ...(p.case === 'xfs_truncate' ? { 'fault: filemap_invalidate_unlock_shared(A)': 'filemap_fault\'s not-cached path always ends at out_retry here (its read follows the release of mmap_lock), which drops invalidate_lock in a copy of its own' } : {}),
  ...(p.case === 'gfs2_dio_nofault' ? { 'dio: finish_fault(A): map read-only': 'the prefault finds A not uptodate: it releases mmap_lock for the read and returns VM_FAULT_RETRY, and the redo maps A by fault-around (filemap_map_pages), without ->fault' } : {}),
  ...audited(p),
});
