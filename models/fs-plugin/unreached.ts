/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (outer frames left out), `#n` in
 * program order where positions share path and label: a write fault's do_wp_page copy is its
 * last; filemap_fault's as models/retry-steps.ts lists them; a writeback pass unlocks after
 * the recheck (#1), each branch that writes nothing, and the submission (last).
 * `gfs2_dio_fault` has none: its one expected verdict is the deadlock, so its search ends there
 * and reports no coverage.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { filemapFaultSteps } from '../retry-steps.ts';
import {
  RETRY_FIND, NO_WP, NO_WP_BACKOFF, INODE_LOCK_ALONE, XFS_ILOCK_APART, BUFFERS_ATTACHED, EXT4_NO_DISCARD, ALWAYS_NO_BUFFERS, ALWAYS_DISCARDED, FAULTED_ONCE,
  TRUNCATION_REMOVES, NEW_FOLIO_FREE, TRIED_FINDS_UPTODATE, OWN_READ, DIO_OWN_READ, DIO_NEW_FOLIO_FREE, FAULT_AROUND_REDO,
} from './reasons.ts';

/** The fault's filemap_fault (one copy: no VMA lock). */
const FF = filemapFaultSteps('A');

/** The ext4 record with a handle, either order. */
const EXT4_HANDLE = {
  [`fault: ${FF.missRecheck!}`]: RETRY_FIND,
  [`fault: ${FF.missRetry}`]: OWN_READ,
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
  [`fault: ${FF.missRecheck!}`]: RETRY_FIND,
  [`fault: ${FF.readKeeping}`]: TRIED_FINDS_UPTODATE,
  "fault: handle_mm_fault > folio_wait_stable(A)#2": NO_WP,
  "fault: wp_page_reuse: PTE RW-dirty": NO_WP,
  "truncate: inode_lock(A) [sleep]": INODE_LOCK_ALONE,
};

/** The audited steps of each case, filemap_fault's VM_FAULT_RETRY positions among them. */
export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    "ext4_handle": EXT4_HANDLE,
    "ext4_handle_inverted": EXT4_HANDLE,
    "xfs_truncate": {
        [`fault: ${FF.missRecheck!}`]: RETRY_FIND,
        [`fault: ${FF.hitRetry}`]: TRUNCATION_REMOVES,
        [`fault: ${FF.missRelease}`]: NEW_FOLIO_FREE,
        [`fault: ${FF.missRetry}`]: OWN_READ,
        [`fault: ${FF.readKeeping}`]: TRIED_FINDS_UPTODATE,
        [`fault: ${FF.invalidateUnlock}`]: 'filemap_fault\'s not-cached path always ends at out_retry here (its read follows the release of mmap_lock), which drops invalidate_lock in a copy of its own',
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
        ...Object.fromEntries([FF.hitLock, FF.hitRelease, FF.hitRecheck!, FF.hitRetry, FF.missRecheck!].map((k) => [`dio: ${k}`, FAULTED_ONCE])),
        [`dio: ${FF.missRelease}`]: DIO_NEW_FOLIO_FREE,
        [`dio: ${FF.missRetry}`]: DIO_OWN_READ,
        [`dio: ${FF.readKeeping}`]: FAULT_AROUND_REDO,
        'dio: finish_fault(A): map read-only': FAULT_AROUND_REDO,
        'dio: handle_mm_fault > folio_unlock(A)': FAULT_AROUND_REDO,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
