/**
 * Locking beyond the page cache, with known answers: spinlocks shared with interrupt handlers,
 * RCU grace periods, completions, wait queues and wait/wound mutexes, each case checked for
 * deadlock and for lockdep's rules on every interleaving.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { GUARDED_BY, INCONSISTENT, INVALID_CONTEXT, LOCK_ORDER, lockdep } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'kernel-locking',
  doc: 'spinlocks vs interrupts, RCU, completions, wait queues, ww_mutex: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: ['irq_spinlock', 'softirq_spinlock', 'rcu_sync_in_reader', 'completion_under_mutex', 'mutex_abba', 'lost_wakeup'].includes(p.case) ? 'violated' : 'holds',
    ...(['irq_spinlock', 'irq_spinlock_irqsave', 'softirq_spinlock', 'softirq_spinlock_bh', 'rcu_sync_in_reader', 'mutex_under_spinlock'].includes(p.case)
      ? { [INVALID_CONTEXT]: ['rcu_sync_in_reader', 'mutex_under_spinlock'].includes(p.case) ? 'violated' : 'holds' } : {}),
    ...(p.case === 'i_size_unlocked' ? { [GUARDED_BY]: 'violated' } : {}),
    [INCONSISTENT]: ['irq_spinlock', 'softirq_spinlock'].includes(p.case) ? 'violated' : 'holds',
    [LOCK_ORDER]: ['serialized_abba', 'mutex_abba'].includes(p.case) ? 'violated' : 'holds',
  }),
  mayBeUnreached,
  setup(p, sys) {
    lockdep(sys);
    cases[p.case](sys);
    return [];
  },
});
