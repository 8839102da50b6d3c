/**
 * Filesystem infrastructure with known answers: jbd2 handles and the commit thread, freeze
 * protection (percpu_rw_semaphore levels and freeze_super), page tables freed under lockless
 * walkers (GUP-fast, TLB-flush IPIs, RCU table freeing), IPIs, and SCHED_FIFO. Each case is
 * checked for deadlock, use-after-free and lockdep's rules on every interleaving.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { IRQS_ENABLED, LOCK_ORDER, SEQPROP_ASSERT, USE_AFTER_FREE } from '../../src/kernel/index.ts';
import { WITNESS, cases } from './cases.ts';
import { params } from './params.ts';

export type Params = ParamValues<typeof params>;

const DEADLOCK = ['jbd2_wait_commit_in_handle', 'jbd2_handle_abba', 'sb_write_inside_i_rwsem', 'freeze_levels_inverted', 'ipi_under_irqsafe_lock', 'ipi_with_irqs_off', 'rt_reader_livelock'];
const ORDER = ['jbd2_wait_commit_in_handle', 'jbd2_handle_abba', 'sb_write_inside_i_rwsem', 'freeze_levels_inverted'];
const TABLES = ['gup_fast_vs_munmap', 'gup_fast_irqs_on', 'gup_fast_vs_sync_one', 'rcu_table_free', 'immediate_table_free'];

export default defineModel({
  name: 'fs-infra',
  doc: 'jbd2, freeze protection, page-table freeing, IPIs, SCHED_FIFO: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: DEADLOCK.includes(p.case) ? 'violated' : 'holds',
    ...(TABLES.includes(p.case) ? { [USE_AFTER_FREE]: ['gup_fast_irqs_on', 'immediate_table_free'].includes(p.case) ? 'violated' : 'holds' } : {}),
    ...(p.case.startsWith('ipi') || p.case.startsWith('gup_fast') ? { [IRQS_ENABLED]: p.case === 'ipi_with_irqs_off' ? 'violated' : 'holds' } : {}),
    ...(p.case === 'jbd2_nested_start' ? { [WITNESS.nested]: 'holds' } : {}),
    ...(['gup_fast_vs_munmap', 'gup_fast_vs_sync_one'].includes(p.case) ? { [WITNESS.ipiWaits]: 'holds' } : {}),
    ...(['rcu_table_free', 'immediate_table_free'].includes(p.case) ? { [WITNESS.unhooked]: 'holds' } : {}),
    ...(p.case.startsWith('rt_') ? { [WITNESS.midWrite]: 'holds', [SEQPROP_ASSERT]: p.case === 'rt_reader_livelock' ? 'violated' : 'holds' } : {}),
    ...(p.case.startsWith('jbd2') || p.case.startsWith('sb_') || p.case.startsWith('freeze') ? { [LOCK_ORDER]: ORDER.includes(p.case) ? 'violated' : 'holds' } : {}),
  }),
  mayBeUnreached: (p) => ({
    "gup_fast_vs_munmap": {
        "munmap: rcu_read_unlock()": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
        "munmap: spin_unlock(pt.ptl)": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
      },
    "gup_fast_irqs_on": {
        "munmap: rcu_read_unlock()": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
        "munmap: spin_unlock(pt.ptl)": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
      },
    "gup_fast_vs_sync_one": {
        "munmap: rcu_read_unlock()": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
        "munmap: spin_unlock(pt.ptl)": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
      },
    "rcu_table_free": {
        "munmap: rcu_read_unlock()": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
        "munmap: spin_unlock(pt.ptl)": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
      },
    "immediate_table_free": {
        "munmap: rcu_read_unlock()": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
        "munmap: spin_unlock(pt.ptl)": 'the unlock-and-fail branch of __pte_offset_map_lock: its pmd_same() recheck fails only if the table was unhooked since pte_offset_map, and only munmap itself unhooks it, later (free_pgtables)',
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
        "fsync: wait_transaction_locked(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "fsync: jbd2_might_wait_for_commit(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "fsync: rwsem_release(jbd2_handle)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
      },
    "jbd2_wait_commit_in_handle": {
        "fsync: jbd2__journal_start(sda1): h_ref++": 'the nested-handle path of jbd2__journal_start (h_ref++) runs only for a task that already holds a handle',
        "fsync: wait_transaction_locked(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "fsync: jbd2_might_wait_for_commit(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "fsync: rwsem_release(jbd2_handle)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "fsync: jbd2_log_wait_commit(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "fsync: jbd2_journal_stop(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: jbd2_journal_wait_updates(sda1)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: t_state = T_FLUSH; wake_up(j_wait_transaction_locked)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
        "jbd2/sda1: j_commit_sequence++; wake_up(j_wait_done_commit)": 'after the deadlock this case shows (fsync waits for a commit that waits for fsync\'s own handle): never reached',
      },
    "jbd2_nested_start": {
        "write: jbd2__journal_start(sda1): h_ref++": 'the first jbd2__journal_start finds no handle (so never h_ref++), the nested one finds it (so never start_this_handle and its wait): each position takes one branch',
        "write: start_this_handle(sda1)": 'the first jbd2__journal_start finds no handle (so never h_ref++), the nested one finds it (so never start_this_handle and its wait): each position takes one branch',
        "write: wait_transaction_locked(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "write: jbd2_might_wait_for_commit(sda1)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
        "write: rwsem_release(jbd2_handle)": 'start_this_handle waits (wait_transaction_locked, with jbd2_might_wait_for_commit) only for a T_LOCKED transaction, and the commit locks a transaction only once this task has started it',
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {},
  setup(p, sys) {
    return cases[p.case](sys);
  },
});
