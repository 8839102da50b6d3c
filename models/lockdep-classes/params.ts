/** The cases of the lockdep-classes model; each value's doc says what lockdep reports and why. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the locking pattern', default: 'unannotated_pair', values: {
    unannotated_pair: 'one task: inode_lock(A), inode_lock(B), two ext4 files: one class taken twice, "possible recursive locking detected"',
    lock_two: 'one task: lock_two_nondirectories(A, B): the second as I_MUTEX_NONDIR2, a class of its own: no report',
    third_nondir2: 'one task: lock_two_nondirectories(A, B), then inode_lock_nested(C, I_MUTEX_NONDIR2): the subclass held twice, recursive on .../4',
    lock_two_crossed: 'two tasks: lock_two_nondirectories(A, B) and (B, A): one order by address, no deadlock, no report',
    ext4_then_xfs: 'one task: inode_lock of an ext4 file, then of an xfs file: two filesystem types, two classes: no report',
    ext4_xfs_abba: 'two tasks lock an ext4 file and an xfs file in opposite orders: a deadlock, circular between two classes',
    ext4_ext4_abba: 'the same with two ext4 files: a deadlock, reported by lockdep as recursive locking on one class',
    invalidate_two_crossed: 'two tasks: filemap_invalidate_lock_two(A, B) and (B, A): one order, down_write_nested(…, 1): no report',
    invalidate_unannotated: 'one task: filemap_invalidate_lock(A), filemap_invalidate_lock(B): recursive locking on mapping.invalidate_lock',
    nested_hides_abba: 'two tasks nest two mutexes of one class in opposite orders with mutex_lock_nested(…, 1): a deadlock lockdep does not report',
  } }),
};
