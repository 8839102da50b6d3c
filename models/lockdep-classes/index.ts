/**
 * lockdep's lock classes as the kernel annotates them, with known answers: `i_rwsem` and
 * `mapping->invalidate_lock` of one class per filesystem type (fs/inode.c `inode_init_always`:
 * `lockdep_set_class(&inode->i_rwsem, &sb->s_type->i_mutex_key)`,
 * `lockdep_set_class_and_name(&mapping->invalidate_lock, &sb->s_type->invalidate_lock_key,
 * "mapping.invalidate_lock")`), and the nesting annotations that make a subclass a class of its
 * own (kernel/locking/lockdep.c `look_up_lock_class`: `key = lock->key->subkeys + subclass`):
 * `inode_lock_nested`, `lock_two_nondirectories` (fs/inode.c), `filemap_invalidate_lock_two`
 * (mm/filemap.c), `mutex_lock_nested`. A class held when the task takes it again is
 * `check_deadlock` → `print_deadlock_bug`, "possible recursive locking detected"; two classes
 * taken in both orders are `check_noncircular` → `print_circular_bug`.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { INCONSISTENT, IRQ_INVERSION, LOCK_ORDER } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

const DEADLOCKS = ['ext4_xfs_abba', 'ext4_ext4_abba', 'nested_hides_abba'];
const REPORTED = ['unannotated_pair', 'third_nondir2', 'ext4_xfs_abba', 'ext4_ext4_abba', 'invalidate_unannotated'];

export default defineModel({
  name: 'lockdep-classes',
  doc: 'lockdep classes per filesystem type and nesting subclasses: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: DEADLOCKS.includes(p.case) ? 'violated' : 'holds',
    [LOCK_ORDER]: REPORTED.includes(p.case) ? 'violated' : 'holds',
    [INCONSISTENT]: 'holds',
    [IRQ_INVERSION]: 'holds',
  }),
  mayBeUnreached,
  setup(p, sys) {
    cases[p.case](sys);
    return [];
  },
});
