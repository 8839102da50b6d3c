/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

/** Listed by step coverage and not yet traced to its cause. */
const TODO = 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)';

/**
 * Steps of VM_FAULT_RETRY (mm/filemap.c: lock_folio_maybe_drop_mmap, maybe_unlock_mmap_for_io
 * before page_not_uptodate's read), by label: each fires only when a fault that may release its
 * lock (FAULT_FLAG_ALLOW_RETRY, first attempt: a CPU fault, GUP with FOLL_UNLOCKABLE) finds its
 * folio locked, or not uptodate, in that copy of filemap_fault.
 */
const RETRY = 'no fault that may release its lock (FAULT_FLAG_ALLOW_RETRY, first attempt) meets its folio locked (lock_folio_maybe_drop_mmap) or not uptodate (page_not_uptodate) in this copy of filemap_fault in this configuration';
const retrySteps = (...folios: string[]): Record<string, string> =>
  Object.fromEntries(folios.flatMap((f) => [[`lock_folio_maybe_drop_mmap(${f}): release_fault_lock`, RETRY], [`page_not_uptodate(${f}): release_fault_lock`, RETRY]]));
/** page_not_uptodate's read that keeps the fault lock (a fault that may not release it) never runs: every read is a first attempt's, after the release. */
const READ_AFTER_RELEASE = 'every read of a not-uptodate folio here is a first attempt\'s, made after page_not_uptodate released the fault lock (then VM_FAULT_RETRY); the read that keeps the lock (no ALLOW_RETRY, or a TRIED retry) never meets a not-uptodate folio';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({ ...retrySteps('A'), ...(['xfs_truncate', 'folio_identity', 'folio_identity_slot_only', 'gfs2_dio_nofault'].includes(p.case) ? { 'filemap_read_folio(A)': READ_AFTER_RELEASE } : {}), ...(p.case === 'xfs_truncate' ? { 'fault: filemap_invalidate_unlock_shared(A)': 'filemap_fault\'s not-cached path always ends at out_retry here (its read follows the release of mmap_lock), which drops invalidate_lock in a copy of its own' } : {}), ...(p.case === 'gfs2_dio_nofault' ? { 'dio: finish_fault(A): map read-only': 'the prefault finds A not uptodate: it releases mmap_lock for the read and returns VM_FAULT_RETRY, and the redo maps A by fault-around (filemap_map_pages), without ->fault' } : {}), ...(({
    "ext4_handle": {
        "fault: folio_unlock(A)": TODO,
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "writeback: ext4-nodelalloc: no private data, nothing written": TODO,
        "writeback: folio_unlock(A)": TODO,
        "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": TODO,
      },
    "ext4_handle_inverted": {
        "fault: folio_unlock(A)": TODO,
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "writeback: ext4-nodelalloc: no private data, nothing written": TODO,
        "writeback: folio_unlock(A)": TODO,
        "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": TODO,
      },
    "xfs_truncate": {
        "fault: folio_unlock(A)": TODO,
        "fault: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "truncate: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK',
      },
    "folio_identity": {
        "fault: ext4_page_mkwrite": TODO,
        "fault: fault_dirty_shared_page(A): unlock": TODO,
        "fault: filemap_invalidate_lock_shared(A)": TODO,
        "fault: filemap_invalidate_unlock_shared(A)": TODO,
        "fault: folio_lock(A)": TODO,
        "fault: folio_unlock(A)": TODO,
        "fault: folio_wait_stable(A)": TODO,
        "fault: wp_page_reuse: PTE RW-dirty": TODO,
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
      },
    "folio_identity_slot_only": {
        "fault: ext4_page_mkwrite": TODO,
        "fault: fault_dirty_shared_page(A): unlock": TODO,
        "fault: filemap_invalidate_lock_shared(A)": TODO,
        "fault: filemap_invalidate_unlock_shared(A)": TODO,
        "fault: folio_lock(A)": TODO,
        "fault: folio_unlock(A)": TODO,
        "fault: folio_wait_stable(A)": TODO,
        "fault: wp_page_reuse: PTE RW-dirty": TODO,
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
      },
    "mpage_no_buffers": {
        "writeback: folio_clear_dirty_for_io(A)": TODO,
        "writeback: folio_end_writeback(A)": TODO,
        "writeback: folio_mkclean(A)": TODO,
        "writeback: folio_start_writeback(A): submit": TODO,
        "writeback: folio_unlock(A)": TODO,
        "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": TODO,
      },
    "mpage_no_buffers_generic": {
        "writeback: folio_end_writeback(A)": TODO,
        "writeback: folio_start_writeback(A): submit": TODO,
        "writeback: folio_unlock(A)": TODO,
      },
    "gfs2_dio_nofault": {
        "dio: folio_lock(A)": TODO,
        "dio: folio_unlock(A)": TODO,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {}) });
