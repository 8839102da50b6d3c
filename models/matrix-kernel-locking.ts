/**
 * The kernel-locking tables of `kmc matrix` (after the page-cache ones, `matrix.ts`): the
 * known-answer models of interrupts, lockdep's rules and classes, RCU readers, seqcounts and
 * lock fairness, one row per case. Small models only: each row is a few dozen states.
 */
import type { Family } from '../src/check/family.ts';

export const kernelLockingFamilies: readonly Family[] = [
  {
    model: 'kernel-locking',
    title: 'Locking beyond the page cache: interrupts, RCU, completions, wait queues, ww_mutex, lockdep',
    primary: ['case'],
    columns: [
      { label: 'deadlock', property: 'deadlock' }, { label: 'invalid context', property: 'sleeping' },
      { label: 'inconsistent', property: 'inconsistent' }, { label: 'lock order', property: 'possible' },
      { label: 'assert_held', property: 'lockdep_assert_held' },
    ],
    rows: [
      { case: 'irq_spinlock' }, { case: 'irq_spinlock_irqsave' }, { case: 'softirq_spinlock' }, { case: 'softirq_spinlock_bh' },
      { case: 'rcu_sync_in_reader' }, { case: 'completion_under_mutex' }, { case: 'ww_backoff' }, { case: 'ww_backoff_wound' }, { case: 'mutex_abba' },
      { case: 'mutex_under_spinlock' }, { case: 'serialized_abba' }, { case: 'lost_wakeup' }, { case: 'i_size_unlocked' },
    ],
  },
  {
    model: 'fairness',
    title: 'Fairness belongs to the lock: a waiter vs a task re-taking the lock forever (weak fairness)',
    primary: ['case'],
    columns: [{ label: 'waiter terminates', property: 'waiter' }, { label: 'deadlock', property: 'deadlock' }],
    rows: [
      { case: 'mutex_hog' }, { case: 'rwsem_write_hog' }, { case: 'rwsem_two_writers' }, { case: 'rwsem_read_hog' }, { case: 'folio_hog' },
      { case: 'spinlock_hog' }, { case: 'two_state_hog' }, { case: 'trylock_retry' }, { case: 'bit_lock_hog' },
    ],
  },
  {
    model: 'lockdep-rules',
    title: 'lockdep\'s rulebook: irq-safe -> irq-unsafe, held locks when irqs come on, every acquisition',
    primary: ['case'],
    columns: [
      { label: 'deadlock', property: 'deadlock' }, { label: 'lock order', property: 'possible circular locking dependency' },
      { label: 'inconsistent', property: 'inconsistent lock state' }, { label: 'irq inversion', property: 'irq lock inversion' },
    ],
    rows: [
      { case: 'irq_safe_unsafe_order' }, { case: 'irq_inversion' }, { case: 'softirq_safe_unsafe_order' }, { case: 'irqs_on_held' },
      { case: 'irqs_on_held_same_cpu' }, { case: 'mmap_lock_vs_i_rwsem' }, { case: 'serialized_abba' }, { case: 'abc' }, { case: 'irq_abba_cross_cpu' },
    ],
  },
  {
    model: 'lockdep-classes',
    title: 'lockdep classes: one per filesystem type, a nesting subclass a class of its own',
    primary: ['case'],
    columns: [{ label: 'deadlock', property: 'deadlock' }, { label: 'lock order', property: 'possible circular locking dependency' }],
    rows: [
      { case: 'unannotated_pair' }, { case: 'lock_two' }, { case: 'third_nondir2' }, { case: 'lock_two_crossed' }, { case: 'ext4_then_xfs' },
      { case: 'ext4_xfs_abba' }, { case: 'ext4_ext4_abba' }, { case: 'invalidate_two_crossed' }, { case: 'invalidate_unannotated' }, { case: 'nested_hides_abba' },
    ],
  },
  {
    model: 'rcu-readers',
    title: 'Every RCU reader: grace periods wait for non-preemptible regions, rcu_dereference checked',
    primary: ['case'],
    columns: [
      { label: 'deadlock', property: 'deadlock' }, { label: 'use after free', property: 'use after free' },
      { label: 'suspicious RCU', property: 'suspicious RCU usage' },
    ],
    rows: [
      { case: 'rcu_read_lock' }, { case: 'preempt_sched' }, { case: 'preempt_plain' }, { case: 'bh_call_rcu' }, { case: 'irqsave_check' },
      { case: 'spinlock_check' }, { case: 'hardirq_sched' }, { case: 'wrong_flavour' }, { case: 'no_reader' }, { case: 'protected_unlocked' },
      { case: 'protected_locked' },
    ],
  },
  {
    model: 'seqcount',
    title: 'seqcount writers\' assertions, seqlock variants against interrupts, a reader\'s livelock',
    primary: ['case'],
    columns: [
      { label: 'deadlock', property: 'deadlock' }, { label: 'seqprop_assert', property: 'seqprop_assert' },
      { label: 'inconsistent', property: 'inconsistent lock state' },
    ],
    rows: [
      { case: 'plain_preemptible' }, { case: 'plain_preempt_off' }, { case: 'spinlock_unlocked' }, { case: 'spinlock_locked' }, { case: 'mutex_unlocked' },
      { case: 'mutex_locked' }, { case: 'irq_reader_livelock' }, { case: 'irq_reader_irqsave' }, { case: 'excl_reader_softirq' }, { case: 'excl_reader_bh' },
    ],
  },
];
