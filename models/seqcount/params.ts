/** The cases of the seqcount model; each value's doc says what it shows and the kernel's answer. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the writer (or locking reader) and its exclusion', default: 'irq_reader_livelock', values: {
    plain_preemptible: 'write_seqcount_begin() on a seqcount_t with preemption enabled: lockdep_assert_preemption_disabled() warns',
    plain_preempt_off: 'the same write inside preempt_disable(): the assertion holds',
    spinlock_unlocked: 'write_seqcount_begin() on a seqcount_spinlock_t without its spinlock: lockdep_assert_held() warns',
    spinlock_locked: 'the same write under spin_lock(): the assertion holds',
    mutex_unlocked: 'write_seqcount_begin() on a seqcount_mutex_t without its mutex: lockdep_assert_held() warns',
    mutex_locked: 'the same write under mutex_lock(): preemption is disabled from begin to end, a task on the CPU cannot run in between',
    irq_reader_livelock: 'write_seqlock() with interrupts on, a hardirq on that CPU reads: it spins in read_seqbegin for ever, the writer cannot finish',
    irq_reader_irqsave: 'write_seqlock_irqsave(): the interrupt cannot fire mid-write, the reader never spins on it',
    excl_reader_softirq: 'read_seqlock_excl() with bottom halves on, a softirq writer on that CPU: it spins on the seqlock\'s spinlock (AA)',
    excl_reader_bh: 'read_seqlock_excl_bh(): the softirq writer runs after the locking reader, no deadlock',
  } }),
};
