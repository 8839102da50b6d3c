/** The cases of the fs-infra model; each value's doc says what it shows and where the kernel says so. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the situation', default: 'jbd2_wait_commit_in_handle', values: {
    jbd2_wait_commit_in_handle: 'jbd2: a task holding a handle waits for the commit of its own transaction (deadlock; lockdep: recursive jbd2_handle)',
    jbd2_wait_commit_after_stop: 'jbd2: the handle stopped before jbd2_log_wait_commit (the fix)',
    jbd2_nested_start: 'jbd2: a nested jbd2__journal_start while the commit locks the transaction reuses current->journal_info (no wait)',
    jbd2_handle_abba: 'jbd2: a mutex taken around a handle by one task and inside one by another (deadlock through the commit thread; lockdep: circular)',
    sb_write_inside_i_rwsem: 'freeze: sb_start_write inside i_rwsem while another writer takes them in VFS order, against freeze_super (deadlock; circular)',
    sb_write_outside_i_rwsem: 'freeze: sb_start_write outside i_rwsem in both writers (file_start_write before inode_lock), against freeze_super',
    freeze_levels_inverted: 'freeze: sb_start_pagefault inside sb_start_intwrite against freeze_super taking WRITE, PAGEFAULT, FS in order (deadlock; circular)',
    freeze_levels_in_order: 'freeze: sb_start_write, sb_start_pagefault, sb_start_intwrite nested in freeze_super\'s order',
    gup_fast_vs_munmap: 'page tables: GUP-fast with interrupts off against munmap freeing the PTE table after the TLB-flush IPI (safe)',
    gup_fast_irqs_on: 'page tables: the same walk without local_irq_save: the IPI is taken mid-walk and the table freed under it (use-after-free)',
    gup_fast_vs_sync_one: 'page tables: GUP-fast against tlb_remove_table_one (tlb_remove_table_sync_one IPI, then freed at once; no TLB-flush IPI)',
    rcu_table_free: 'page tables: a pte_offset_map walker (RCU) against tables freed by tlb_remove_table_rcu (safe)',
    immediate_table_free: 'page tables: the same walker against tables freed at once with no IPI (use-after-free)',
    ipi_under_irqsafe_lock: 'IPI: smp_call_function_many(wait) holding a lock another CPU spins on with interrupts off (deadlock)',
    ipi_after_unlock: 'IPI: the same IPI sent after dropping the lock',
    ipi_with_irqs_off: 'IPI: two CPUs each send the other an IPI with interrupts off and wait (deadlock; lockdep_assert_irqs_enabled)',
    rt_reader_livelock: 'sched: a SCHED_FIFO seqcount reader woken while the preempted writer on its CPU is mid-write spins for ever (lockdep: the preemptible seqcount_t writer)',
    rt_reader_writer_preempt_off: 'sched: the same, the writer non-preemptible as seqcount_t writers must be',
  } }),
};
