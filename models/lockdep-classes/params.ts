/** The cases of the lockdep-classes model; each value's doc says what lockdep reports and why. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the locking pattern', default: 'unannotated_pair', values: {
    unannotated_pair: 'inode_lock(A) then inode_lock(B), two ext4 files: one class taken twice, "possible recursive locking detected"',
    lock_two: 'lock_two_nondirectories(A, B): the second as I_MUTEX_NONDIR2, a class of its own, no report',
    third_nondir2: 'lock_two_nondirectories(A, B), then inode_lock_nested(C, I_MUTEX_NONDIR2): the subclass held twice, recursive on .../4',
    lock_two_crossed: 'lock_two_nondirectories(A, B) and (B, A) in two tasks: one order by address, no deadlock, no report',
    ext4_then_xfs: 'inode_lock of an ext4 file, then of an xfs file: two filesystem types, two classes, no report',
    ext4_xfs_abba: 'an ext4 file and an xfs file locked in opposite orders by two tasks: a deadlock, circular between two classes',
    ext4_ext4_abba: 'the same with two ext4 files: a deadlock, reported by lockdep as recursive locking on one class',
    invalidate_two_crossed: 'filemap_invalidate_lock_two(A, B) and (B, A) in two tasks: one order, down_write_nested(..., 1), no report',
    invalidate_unannotated: 'filemap_invalidate_lock(A) then filemap_invalidate_lock(B): recursive locking on mapping.invalidate_lock',
    nested_hides_abba: 'two mutexes of one class nested in opposite orders with mutex_lock_nested(..., 1): a deadlock lockdep does not report',
  } }),
};
