/**
 * The known-answer cases, one named record each. The answers are lockdep's
 * (kernel/locking/lockdep.c), quoted where each case is built.
 */
import type { System } from '../../src/index.ts';
import {
  file, filemap_invalidate_lock, I_MUTEX_NONDIR2, inode_lock_nested, filemap_invalidate_lock_two, filemap_invalidate_unlock, filemap_invalidate_unlock_two, inode_lock,
  inode_unlock, lock_two_nondirectories, mutex_lock, mutex_lock_nested, mutex_unlock, mutexArray, unlock_two_nondirectories,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => void;

/**
 * check_deadlock(): "if (hlock_class(prev) != hlock_class(next)) continue; … print_deadlock_bug(curr,
 * prev, next)" — the two files' `i_rwsem` are one class (`&sb->s_type->i_mutex_key` of ext4):
 * "WARNING: possible recursive locking detected … May be due to missing lock nesting notation".
 */
const unannotatedPair: Case = (sys) => {
  const A = file(sys, 'A'), B = file(sys, 'B');
  sys.task('T', (t) => [...inode_lock(A, t), ...inode_lock(B, t), inode_unlock(B, t), inode_unlock(A, t)]);
};

/**
 * lock_two_nondirectories(): "if (inode1 > inode2) swap(inode1, inode2); if (inode1)
 * inode_lock(inode1); if (inode2 && inode2 != inode1) inode_lock_nested(inode2, I_MUTEX_NONDIR2);"
 * — the second is class `&sb->s_type->i_mutex_key/4`, another class: no recursion. `crossed`: a
 * second task asks for (B, A) and takes them in the same order.
 */
const lockTwo = (crossed: boolean): Case => (sys) => {
  const A = file(sys, 'A'), B = file(sys, 'B');
  sys.task('T1', (t) => [...lock_two_nondirectories(A, B, t), ...unlock_two_nondirectories(A, B, t)]);
  if (crossed) sys.task('T2', (t) => [...lock_two_nondirectories(B, A, t), ...unlock_two_nondirectories(B, A, t)]);
};

/**
 * A subclass is one class whatever the inode: a third file taken with the subclass
 * `lock_two_nondirectories` gave the second (`I_MUTEX_NONDIR2`) is `&sb->s_type->i_mutex_key/4`
 * held twice — recursive locking, printed with its subclass (`__print_lock_name`: "/%d").
 */
const thirdNondir2: Case = (sys) => {
  const A = file(sys, 'A'), B = file(sys, 'B'), C = file(sys, 'C');
  sys.task('T', (t) => [...lock_two_nondirectories(A, B, t), ...inode_lock_nested(C, I_MUTEX_NONDIR2, t), inode_unlock(C, t), ...unlock_two_nondirectories(A, B, t)]);
};

/**
 * inode_init_always() keys `i_rwsem` by `sb->s_type`: an ext4 file and an xfs file are two classes
 * (the second printed `&sb->s_type->i_mutex_key#2`, count_matching_names). One task nesting
 * them is an order, not a recursion; two tasks nesting them in opposite orders close a cycle:
 * "WARNING: possible circular locking dependency detected" (and the deadlock it is).
 */
const twoFiles = (fsB: 'ext4' | 'xfs', abba: boolean): Case => (sys) => {
  const A = file(sys, 'A'), B = file(sys, 'B', { fs: fsB });
  sys.task('T1', (t) => [...inode_lock(A, t), ...inode_lock(B, t), inode_unlock(B, t), inode_unlock(A, t)]);
  if (abba) sys.task('T2', (t) => [...inode_lock(B, t), ...inode_lock(A, t), inode_unlock(A, t), inode_unlock(B, t)]);
};

/**
 * filemap_invalidate_lock_two(): "if (mapping1 > mapping2) swap(mapping1, mapping2); if (mapping1)
 * down_write(&mapping1->invalidate_lock); if (mapping2 && mapping1 != mapping2)
 * down_write_nested(&mapping2->invalidate_lock, 1);" — one order, `mapping.invalidate_lock` and
 * `mapping.invalidate_lock/1`. Without it, two `filemap_invalidate_lock` of one filesystem are
 * one class held twice: recursive locking.
 */
const invalidateTwo = (annotated: boolean): Case => (sys) => {
  const A = file(sys, 'A', { invalidate_lock: 'contended' }), B = file(sys, 'B', { invalidate_lock: 'contended' });
  if (annotated) {
    sys.task('T1', (t) => [...filemap_invalidate_lock_two(A, B, t), ...filemap_invalidate_unlock_two(A, B, t)]);
    sys.task('T2', (t) => [...filemap_invalidate_lock_two(B, A, t), ...filemap_invalidate_unlock_two(B, A, t)]);
  } else {
    sys.task('T', (t) => [...filemap_invalidate_lock(A, t), ...filemap_invalidate_lock(B, t), filemap_invalidate_unlock(B, t), filemap_invalidate_unlock(A, t)]);
  }
};

/**
 * look_up_lock_class(): "key = lock->key->subkeys + subclass" — a subclass is a class, and lockdep
 * trusts the annotation: `m[0]` then `m[1]/1` in one task and `m[1]` then `m[0]/1` in the other are
 * the same dependency `m -> m/1`, no cycle, no report. The two tasks deadlock all the same: a
 * wrong nesting annotation hides an ABBA from lockdep, never from the interleavings.
 */
const nestedHidesAbba: Case = (sys) => {
  const [a, b] = mutexArray(sys, 'm', 2) as [ReturnType<typeof mutexArray>[0], ReturnType<typeof mutexArray>[0]];
  sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock_nested(b, 1, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
  sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock_nested(a, 1, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
};

export const cases: Readonly<Record<Params['case'], Case>> = {
  unannotated_pair: unannotatedPair,
  lock_two: lockTwo(false),
  third_nondir2: thirdNondir2,
  lock_two_crossed: lockTwo(true),
  ext4_then_xfs: twoFiles('xfs', false),
  ext4_xfs_abba: twoFiles('xfs', true),
  ext4_ext4_abba: twoFiles('ext4', true),
  invalidate_two_crossed: invalidateTwo(true),
  invalidate_unannotated: invalidateTwo(false),
  nested_hides_abba: nestedHidesAbba,
};
