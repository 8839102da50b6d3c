/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step as `actor: label`, numbered in program order where
 * positions share the label: the ww back-off's ww_mutex_unlock (#1) comes before the release of
 * the pair (#2).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    "ww_backoff": {
        "T1: ww_mutex_lock_slow(bo_A)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T1: ww_mutex_unlock(bo_B)#1": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_lock_slow(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_unlock(bo_A)#1": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
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
        "T1: ww_mutex_unlock(bo_B)#1": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_lock_slow(bo_B)": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
        "T2: ww_mutex_unlock(bo_A)#1": 'the back-off of the first take(): ww_mutex_lock on the first buffer cannot return -EDEADLK while the context holds nothing (kernel/locking/ww_mutex.h: __ww_mutex_kill returns -EDEADLK only if ww_ctx->acquired > 0)',
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
