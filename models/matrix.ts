/**
 * The design space `kmc matrix` (and `npm start`) prints: per family, the fix variants as rows
 * and the properties as columns. A row is the parameters it sets; its name comes from the docs
 * of those values (params.ts of each family). A column may also fix parameters (the DIO
 * family's columns are configurations, all checked for one property).
 */
import type { Family } from '../src/check/family.ts';

export const families: readonly Family[] = [
  {
    model: 'gup-writeback',
    title: 'GUP vs writeback: a FOLL_WRITE pin holder writes a file folio (user store, pin, writeback)',
    primary: ['wb', 'pin_flags'],
    columns: [
      { label: 'P1 notify', property: 'P1' }, { label: 'P2 stable', property: 'P2' }, { label: 'P3 dirty', property: 'P3' },
      { label: 'P4 loss', property: 'P4' }, { label: 'ext4 W-a', property: 'W-a' }, { label: 'deadlock', property: 'deadlock' },
      { label: 'L1 fsync', property: 'L1' },
    ],
    rows: [
      {}, { pin_flags: 'get+write' }, { unpin: 'raw' }, { gup_path: 'fast' }, { gup_path: 'fast_only' },
      { pin_flags: 'pin+longterm+write', fix_longterm_refuse: true }, { fix_longterm_refuse: true },
      { wb: 'w1_ok' }, { wb: 'w1_bad' }, { wb: 'w1_ok', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' },
      { wb: 'w2' }, { wb: 'w2', wb_sync: 'all' }, { fs: 'bcachefs' },
      { gup_bounce: 'whole_page', pin_flags: 'pin+longterm+write' }, { dev_mode: 'odp' },
      { dev_mode: 'revocable', pin_flags: 'pin+longterm+write', pin_lifetime: 'long' },
      { reclaim: true, fix_reclaim_skip_pinned: false, user: false },
      { truncate: 'punch', user: false },
      { mm_writer: 'present', fault_ctx: 'vma_lock' },
    ],
  },
  {
    model: 'dio-mmap',
    title: 'DIO whose buffer is an mmap of a file: deadlock by configuration',
    primary: ['dio', 'fault_lock'],
    columns: [
      { label: 'A<-mmap(A)', property: 'deadlock', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'L2(c) A<-mmap(A)', property: 'L2(c)', params: { tasks: 1, files: 1, buffer: 'same' } },
      { label: 'A<-mmap(B) || B<-mmap(A)', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: 'L2(c) same', property: 'L2(c)', params: { tasks: 2, files: 2, buffer: 'next' } },
      { label: '+ mmap_lock writer', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', mm_writer: 'present' } },
      { label: '+ punch A', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', punch: true } },
      { label: '+ buffered write', property: 'deadlock', params: { tasks: 2, files: 2, buffer: 'next', buffered: 'next' } },
    ],
    rows: [
      { dio: 'd0', fault_lock: 'invalidate_lock' }, { dio: 'd1_excl', fault_lock: 'invalidate_lock' },
      { dio: 'd1_shared', fault_lock: 'invalidate_lock' }, { dio: 'd2', fault_lock: 'pagecache_nofdm' },
      { dio: 'd2', fault_lock: 'pagecache_naive_fdm' }, { dio: 'd2', fault_lock: 'pagecache_kent' },
      { dio: 'd3', fault_lock: 'invalidate_lock' },
    ],
  },
  {
    model: 'dio-coherence',
    title: 'DIO write vs page-cache readers: P6 coherence after the write returns',
    primary: ['dio'],
    columns: [
      { label: 'P6 reader', property: 'P6', params: { reader: 'buffered' } },
      { label: 'P6 fault', property: 'P6', params: { reader: 'fault' } },
      { label: 'P6 +GUP ref', property: 'P6', params: { reader: 'buffered', pin: true } },
      { label: 'P6 +store', property: 'P6', params: { reader: 'none', store: true } },
      { label: 'reported +store', property: 'stale', params: { reader: 'none', store: true } },
      { label: 'deadlock +punch', property: 'deadlock', params: { reader: 'fault', pin: true, punch: true } },
    ],
    rows: [{ dio: 'd0' }, { dio: 'd1_excl' }, { dio: 'd2' }],
  },
  {
    model: 'truncate-fault',
    title: 'Truncate vs page fault: stale mappings and lock order',
    primary: ['fault_order'],
    columns: [
      { label: 'no stale PTE', property: 'no' }, { label: 'deadlock', property: 'deadlock' },
      { label: '+ buffered write', property: 'deadlock', params: { write: true } },
    ],
    rows: [{}, { fault_order: 'folio_lock_first' }, { mapping_check: false, cached: true }],
  },
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
