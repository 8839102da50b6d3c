/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step as `actor: label`, numbered in program order where
 * positions share the label: munmap's `pte_offset_map_lock` leaves the RCU section when
 * `__pte_offset_map` finds no table (rcu_read_unlock #1) or its `pmd_same()` recheck fails
 * (spin_unlock #1, rcu_read_unlock #2), `pte_unmap_unlock` after the zap is #2 and #3;
 * `jbd2_might_wait_for_commit` is start_this_handle's (#1) before jbd2_log_wait_commit's (#2), and
 * a task starting a handle twice runs jbd2__journal_start's positions twice (#1, then the nested #2).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

/** munmap's own walk: __pte_offset_map finds no table. */
const NO_TABLE = 'the no-table exit of __pte_offset_map (rcu_read_unlock, nothing held): the PMD maps the table until munmap itself clears it, later (free_pgtables)';
/** munmap's own walk: __pte_offset_map_lock's pmd_same() recheck fails. */
const TABLE_UNHOOKED = 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)';
/** start_this_handle's wait for a T_LOCKED transaction. */
const START_WAITS = 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it';
/** A task that starts a handle inside its own. */
const EACH_BRANCH_ONCE = 'the first jbd2__journal_start finds no handle (so never h_ref++), the nested one finds it (so never start_this_handle and its wait): each position takes one branch';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    "gup_fast_vs_munmap": {
        "munmap: rcu_read_unlock()#1": NO_TABLE,
        "munmap: rcu_read_unlock()#2": TABLE_UNHOOKED,
        "munmap: spin_unlock(pt.ptl)#1": TABLE_UNHOOKED,
      },
    "gup_fast_irqs_on": {
        "munmap: rcu_read_unlock()#1": NO_TABLE,
        "munmap: rcu_read_unlock()#2": TABLE_UNHOOKED,
        "munmap: spin_unlock(pt.ptl)#1": TABLE_UNHOOKED,
      },
    "gup_fast_vs_sync_one": {
        "munmap: rcu_read_unlock()#1": NO_TABLE,
        "munmap: rcu_read_unlock()#2": TABLE_UNHOOKED,
        "munmap: spin_unlock(pt.ptl)#1": TABLE_UNHOOKED,
      },
    "rcu_table_free": {
        "munmap: rcu_read_unlock()#1": NO_TABLE,
        "munmap: rcu_read_unlock()#2": TABLE_UNHOOKED,
        "munmap: spin_unlock(pt.ptl)#1": TABLE_UNHOOKED,
      },
    "immediate_table_free": {
        "munmap: rcu_read_unlock()#1": NO_TABLE,
        "munmap: rcu_read_unlock()#2": TABLE_UNHOOKED,
        "munmap: spin_unlock(pt.ptl)#1": TABLE_UNHOOKED,
      },
    "sb_write_inside_i_rwsem": {
        "fsfreeze: super_lock_excl(sb) [sleep]": 'only fsfreeze takes s_umount in this case (freeze_super, thaw_super): super_lock_excl never waits for another holder',
      },
    "sb_write_outside_i_rwsem": {
        "fsfreeze: super_lock_excl(sb) [sleep]": 'only fsfreeze takes s_umount in this case (freeze_super, thaw_super): super_lock_excl never waits for another holder',
      },
    "freeze_levels_inverted": {
        "fsfreeze: super_lock_excl(sb) [sleep]": 'only fsfreeze takes s_umount in this case (freeze_super, thaw_super): super_lock_excl never waits for another holder',
      },
    "freeze_levels_in_order": {
        "fsfreeze: super_lock_excl(sb) [sleep]": 'only fsfreeze takes s_umount in this case (freeze_super, thaw_super): super_lock_excl never waits for another holder',
      },
    "jbd2_handle_abba": {
        "T1: jbd2__journal_start(sda1): h_ref++": 'the nested-handle path of jbd2__journal_start (h_ref++) runs only for a task that already holds a handle',
        "T2: jbd2__journal_start(sda1): h_ref++": 'the nested-handle path of jbd2__journal_start (h_ref++) runs only for a task that already holds a handle',
      },
    "jbd2_wait_commit_after_stop": {
        "fsync: jbd2__journal_start(sda1): h_ref++": 'the nested-handle path of jbd2__journal_start (h_ref++) runs only for a task that already holds a handle',
        "fsync: wait_transaction_locked(sda1)": START_WAITS,
        "fsync: jbd2_might_wait_for_commit(sda1)#1": START_WAITS,
        "fsync: rwsem_release(jbd2_handle)#1": START_WAITS,
      },
    "jbd2_wait_commit_in_handle": {
        "fsync: jbd2__journal_start(sda1): h_ref++": 'the nested-handle path of jbd2__journal_start (h_ref++) runs only for a task that already holds a handle',
        "fsync: wait_transaction_locked(sda1)": START_WAITS,
        "fsync: jbd2_might_wait_for_commit(sda1)#1": START_WAITS,
        "fsync: rwsem_release(jbd2_handle)#1": START_WAITS,
        "fsync: jbd2_log_wait_commit(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "fsync: jbd2_journal_stop(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: jbd2_journal_wait_updates(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: t_state = T_FLUSH; wake_up(j_wait_transaction_locked)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: j_commit_sequence++; wake_up(j_wait_done_commit)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
      },
    "jbd2_nested_start": {
        "write: jbd2__journal_start(sda1): h_ref++#1": EACH_BRANCH_ONCE,
        "write: start_this_handle(sda1)#2": EACH_BRANCH_ONCE,
        "write: wait_transaction_locked(sda1)#2": EACH_BRANCH_ONCE,
        "write: jbd2_might_wait_for_commit(sda1)#2": EACH_BRANCH_ONCE,
        "write: rwsem_release(jbd2_handle)#2": EACH_BRANCH_ONCE,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
