/** The cases of the rcu-readers model; each value's doc says what it shows and the kernel's answer. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the reader and how it is protected', default: 'preempt_sched', values: {
    rcu_read_lock: 'rcu_read_lock() + rcu_dereference(): the grace period waits; lockdep is content',
    preempt_sched: 'preempt_disable() + rcu_dereference_sched(): a reader since v5.0, synchronize_rcu() waits for it',
    preempt_plain: 'preempt_disable() + rcu_dereference(): the grace period waits, but lockdep warns (rcu_read_lock_held() is 0)',
    bh_call_rcu: 'rcu_read_lock_bh() + rcu_dereference_bh() against call_rcu(): the callback waits for the bh-disabled reader',
    irqsave_check: 'spin_lock_irqsave() + rcu_dereference_check(p, lockdep_is_held(lock)): the irq-off region is a reader',
    spinlock_check: 'spin_lock() + rcu_dereference_check(p, lockdep_is_held(lock)): preemption off (!PREEMPT_RT), a reader',
    hardirq_sched: 'a hardirq handler + rcu_dereference_sched(): a running handler is a reader',
    wrong_flavour: 'rcu_read_lock() + rcu_dereference_bh(): the grace period waits, but lockdep warns (rcu_read_lock_bh_held() is 0 with bottom halves on)',
    no_reader: 'rcu_dereference() with no protection: a use after free, and lockdep\'s suspicious RCU usage',
    protected_unlocked: 'rcu_dereference_protected(p, lockdep_is_held(lock)) by an updater that does not hold the lock',
    protected_locked: 'rcu_dereference_protected(p, lockdep_is_held(lock)) under the lock: no reader needed',
  } }),
};
