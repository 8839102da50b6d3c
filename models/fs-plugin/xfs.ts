import { sometimes } from '../../src/index.ts';
import { current, file, free_blocks, inode_dio_wait, lockdep, mm_struct, mmap, truncate_pagecache_range, user_fault, xfs_ilock, xfs_iunlock } from '../../src/kernel/index.ts';
import { mapped, staleWritable, type Case } from './shared.ts';

/**
 * XFS (xfs.ts): `xfs_write_fault` takes XFS_MMAPLOCK_SHARED, then the folio lock, then
 * XFS_ILOCK_EXCL in `xfs_buffered_write_iomap_begin`; `xfs_vn_setattr_size` holds
 * XFS_IOLOCK_EXCL | XFS_MMAPLOCK_EXCL across `truncate_setsize`, and `xfs_setattr_size` takes
 * XFS_ILOCK_EXCL for `xfs_itruncate_extents`. fs/xfs/xfs_inode.c: "Basic locking order: i_rwsem
 * -> invalidate_lock -> page_lock -> i_ilock". A write fault that read the PTE before the
 * truncation finds its folio gone and returns VM_FAULT_NOPAGE.
 */
export const xfsTruncate: Case = (sys) => {
  lockdep(sys);
  const A = file(sys, 'A', { fs: 'xfs', invalidate_lock: 'contended' });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map', pte: 'ro' }), f = A.folios[0]!;
  const faulter = sys.task('fault', (self) => user_fault(current(self), map, f, { write: true }));
  sys.task('truncate', (self) => {
    const cur = current(self);
    return [
      xfs_ilock(A, cur, ['IOLOCK_EXCL', 'MMAPLOCK_EXCL']), inode_dio_wait(A), truncate_pagecache_range(cur, A),
      xfs_ilock(A, cur, ['ILOCK_EXCL']), free_blocks(cur, A), xfs_iunlock(A, cur, ['ILOCK_EXCL']),
      xfs_iunlock(A, cur, ['IOLOCK_EXCL', 'MMAPLOCK_EXCL']),
    ];
  });
  return [
    staleWritable(map, f),
    sometimes('the write fault backs off: its folio was truncated', (s) => s.done(faulter) && !mapped(map, f)(s) && !s.test(f.cached)),
  ];
};

