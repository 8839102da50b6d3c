/**
 * The steps of this model a complete search may never fire, per case, with the reason (step
 * coverage: `kmc test` fails on any other step that never fired, and on a key that also names a
 * step that fires). Keys name a step as `actor: label`: each label here is one program position.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

/** One task takes every lock of the case: what lockdep records is the point, and no lock is ever held by another when it is taken. */
const ALONE = 'one task takes every lock of this case (lockdep\'s class record is what it checks): no lock is ever held by another, so the slowpath sleep never runs';
/**
 * Both tasks lock the pair in one order, by address (fs/inode.c lock_two_nondirectories and
 * mm/filemap.c filemap_invalidate_lock_two: "if (inode1 > inode2) swap(inode1, inode2)"): whoever
 * holds the first takes the second while the other waits for the first.
 */
const ORDERED = 'both tasks take the pair in address order (fs/inode.c: lock_two_nondirectories, mm/filemap.c: filemap_invalidate_lock_two swap to one order): the holder of the first takes the second while the other waits for the first, so that sleep never runs';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    unannotated_pair: { 'T: inode_lock(B) [sleep]': ALONE, 'T: inode_lock(A) [sleep]': ALONE },
    lock_two: { 'T1: inode_lock_nested(B, I_MUTEX_NONDIR2) [sleep]': ALONE, 'T1: inode_lock(A) [sleep]': ALONE },
    third_nondir2: { 'T: inode_lock_nested(C, I_MUTEX_NONDIR2) [sleep]': ALONE, 'T: inode_lock_nested(B, I_MUTEX_NONDIR2) [sleep]': ALONE, 'T: inode_lock(A) [sleep]': ALONE },
    lock_two_crossed: { 'T1: inode_lock_nested(B, I_MUTEX_NONDIR2) [sleep]': ORDERED },
    ext4_then_xfs: { 'T1: inode_lock(B) [sleep]': ALONE, 'T1: inode_lock(A) [sleep]': ALONE },
    invalidate_two_crossed: { 'T1: down_write_nested(B->invalidate_lock, 1) [sleep]': ORDERED },
    invalidate_unannotated: { 'T: filemap_invalidate_lock(B) [sleep]': ALONE, 'T: filemap_invalidate_lock(A) [sleep]': ALONE },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
