/** The cases of the kernel-locking model; each value's doc says what it shows. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the locking pattern', default: 'irq_spinlock', values: {
    irq_spinlock: 'spin_lock vs hardirq: a lock the CPU\'s interrupt handler takes, held with interrupts on',
    irq_spinlock_irqsave: 'spin_lock_irqsave vs hardirq: the same lock, interrupts off while held (the fix)',
    softirq_spinlock: 'spin_lock vs softirq: a lock a softirq takes, held with bottom halves on',
    softirq_spinlock_bh: 'spin_lock_bh vs softirq: the same lock, bottom halves off while held (the fix)',
    rcu_sync_in_reader: 'synchronize_rcu() inside rcu_read_lock(): the grace period waits for its own caller',
    completion_under_mutex: 'wait_for_completion() holding a mutex the completer needs',
    ww_backoff: 'AB-BA on two ww_mutexes, -EDEADLK back-off (wait-die)',
    ww_backoff_wound: 'AB-BA on two ww_mutexes, -EDEADLK back-off (wound-wait)',
    mutex_abba: 'AB-BA on two plain mutexes',
    mutex_under_spinlock: 'mutex_lock() with a spinlock held',
    serialized_abba: 'A then B, later B then A, never concurrently (a completion orders them)',
    lost_wakeup: 'wake_up() before the condition is set: the waiter sleeps for ever',
    i_size_unlocked: 'i_size (guarded by i_rwsem) written by a task that does not hold it',
  } }),
};
