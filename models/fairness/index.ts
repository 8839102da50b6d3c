/**
 * Fairness belongs to the lock, not to the actor: a waiter against a competitor that takes and
 * drops the same lock forever, under weak fairness of every actor. The property is that the
 * waiter finishes (`waiter terminates`).
 *
 * The kernel's sleeping locks hand off to a waiter that keeps losing:
 * - kernel/locking/mutex.c `__mutex_lock_common`: the first waiter, woken and finding the lock
 *   taken, sets `MUTEX_FLAG_HANDOFF`; `__mutex_unlock_slowpath` then calls `__mutex_handoff`
 *   ("Give up ownership to a specific task").
 * - kernel/locking/rwsem.c: a writer that waited `RWSEM_WAIT_TIMEOUT` sets
 *   `RWSEM_FLAG_HANDOFF` (`rwsem_try_write_lock`), a reader at the head of the queue likewise
 *   (`rwsem_mark_wake`, from `rwsem_down_read_slowpath`); with it set nobody steals the lock.
 * - mm/filemap.c `folio_wait_bit_common`: after `sysctl_page_lock_unfairness` wakeups
 *   (`if (--unfairness < 0) wait->flags |= WQ_FLAG_CUSTOM`), `wake_page_function` takes
 *   PG_locked for the waiter.
 * - kernel/locking/qspinlock.c: a contended locker queues (pending bit, MCS queue) and the fast
 *   path only takes a lock word of 0, so nobody passes a waiter.
 *
 * So the waiter finishes (`holds`), though the waiter is only weakly fair: under per-actor
 * fairness alone it is enabled only now and then, and a cycle in which the competitor always
 * wins was a fair one (kmc before lock fairness answered `violated` on each of these).
 *
 * What hands off nothing starves for real (`violated`, with its lasso): the bcachefs two-state
 * lock (fs/bcachefs/two_state_shared_lock.h: `__bch2_two_state_lock` is
 * `wait_event(lock->wait, bch2_two_state_trylock(lock, s))`), a trylock-and-retry loop, and
 * `wait_on_bit_lock` (kernel/sched/wait_bit.c `__wait_on_bit_lock`: woken, it retries
 * `test_and_set_bit` against every newcomer).
 */
import { defineModel, terminates } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { cases } from './cases.ts';
import { HANDOFF, params } from './params.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'fairness',
  doc: 'a waiter vs a competitor re-taking the lock forever: the locks that hand off, and those that do not',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({ 'waiter terminates': HANDOFF.includes(p.case) ? 'holds' : 'violated' }),
  setup(p, sys) {
    return [terminates(cases[p.case](sys))];
  },
});
