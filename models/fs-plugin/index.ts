/**
 * A library a filesystem plugs into, with known answers: a model's own filesystem record (an
 * ext4 whose `->page_mkwrite` takes a journal handle) composed into the kernel's fault and
 * writeback paths, the shipped xfs and gfs2 records, and two page-cache facts — a folio
 * re-created in its slot is another folio (`do_page_mkwrite`'s `folio->mapping` test), and ext4
 * writeback leaves a folio without buffers writable (`mpage_prepare_extent_to_map`). Each case's
 * source is quoted in cases.ts.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { LOCK_ORDER } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'fs-plugin',
  doc: 'filesystem records plugged into faults and writeback: ext4 with a handle, xfs, gfs2, folio identity, ext4 without buffers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: ['ext4_handle_inverted', 'gfs2_dio_fault'].includes(p.case) ? 'violated' : 'holds',
    ...(['ext4_handle', 'ext4_handle_inverted', 'xfs_truncate'].includes(p.case) ? { 'a writable PTE maps a folio truncation removed': 'holds' } : {}),
    ...(p.case === 'xfs_truncate' ? { [LOCK_ORDER]: 'holds', 'the write fault backs off: its folio was truncated': 'holds' } : {}),
    ...(p.case === 'folio_identity' ? { 'a PTE maps a folio that is not uptodate': 'holds', 'the fault holds a truncated folio while a new one fills its slot': 'holds' } : {}),
    ...(p.case === 'folio_identity_slot_only' ? { 'a PTE maps a folio that is not uptodate': 'violated' } : {}),
    ...(p.case.startsWith('mpage_no_buffers') ? { 'writeback leaves the folio clean and its PTE writable': p.case === 'mpage_no_buffers' ? 'violated' : 'holds' } : {}),
  }),
  mayBeUnreached: (p) => ({
    "ext4_handle": {
        "fault: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "writeback: ext4-nodelalloc: no private data, nothing written": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      },
    "ext4_handle_inverted": {
        "fault: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "writeback: ext4-nodelalloc: no private data, nothing written": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      },
    "xfs_truncate": {
        "fault: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
        "truncate: xfs_ilock(A, XFS_ILOCK_EXCL) [sleep]": 'the fault takes XFS_MMAPLOCK_SHARED before XFS_ILOCK_EXCL and the truncate holds XFS_MMAPLOCK_EXCL around its own: the two never contend for XFS_ILOCK',
      },
    "folio_identity": {
        "fault: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: filemap_invalidate_lock_shared(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: filemap_invalidate_unlock_shared(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: wp_page_reuse: PTE RW-dirty": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
      },
    "folio_identity_slot_only": {
        "fault: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: filemap_invalidate_lock_shared(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: filemap_invalidate_unlock_shared(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "fault: wp_page_reuse: PTE RW-dirty": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "truncate: inode_lock(A) [sleep]": 'nothing else takes inode_lock(A) in this case: the truncate never sleeps on it',
      },
    "mpage_no_buffers": {
        "writeback: folio_clear_dirty_for_io(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_end_writeback(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_mkclean(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_start_writeback(A): submit": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      },
    "mpage_no_buffers_generic": {
        "writeback: folio_end_writeback(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_start_writeback(A): submit": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      },
    "gfs2_dio_nofault": {
        "dio: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
        "dio: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {},
  setup: (p, sys) => cases[p.case](sys),
});
