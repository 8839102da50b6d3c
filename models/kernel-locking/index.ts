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
  mayBeUnreached: (p) => ({
    "ww_backoff": {
        "T1: ww_mutex_lock_slow(bo_A)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T1: ww_mutex_unlock(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_lock_slow(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_unlock(bo_A)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
      },
    "i_size_unlocked": {
        "truncate: down_write(&inode->i_rwsem) [sleep]": 'append writes i_size without i_rwsem (the race this case shows) and nothing else takes it: the writer never sleeps on it',
      },
    "rcu_sync_in_reader": {
        "updater: synchronize_rcu(): wait for readers": 'synchronize_rcu() inside the updater\'s own read-side section never returns (the deadlock this case shows): its wait and the rcu_read_unlock after it never run',
        "updater: rcu_read_unlock()": 'after the synchronize_rcu() that never returns (the deadlock this case shows)',
      },
    "ww_backoff_wound": {
        "T1: ww_mutex_lock_slow(bo_A)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T1: ww_mutex_unlock(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_lock_slow(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_unlock(bo_A)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {},
  setup(p, sys) {
    lockdep(sys);
    cases[p.case](sys);
    return [];
  },
});
