/**
 * A bit lock (include/linux/wait_bit.h, kernel/sched/wait_bit.c): one bit of a word taken with
 * `test_and_set_bit_lock`, slept on with `wait_on_bit_lock`, released with
 * `clear_and_wake_up_bit` — the shape of `lock_buffer`/`unlock_buffer` (fs/buffer.c
 * `__lock_buffer`, `BH_Lock`). The model records who holds the bit, to explain waits.
 *
 * **Fairness: none.** `__wait_on_bit_lock` queues the waiter (`prepare_to_wait_exclusive`),
 * sleeps while the bit is set, and once woken races with every newcomer's
 * `test_and_set_bit`: nothing is handed over, so a task that re-takes the bit forever can
 * starve a waiter (a real livelock, unlike the mutex, the rwsem and the folio lock, which hand
 * off). `wait_on_bit_lock` is one guarded step and is owed only its actor's fairness.
 *
 * @example
 * const bh = bitLock(sys, 'bh->b_state:BH_Lock');
 * [wait_on_bit_lock(bh, t), step('submit_bh'), clear_and_wake_up_bit(bh, t)]
 */
import { registerLock } from './locks.ts';
import { NONE, owner } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';

export interface BitLock extends Resource {
  /** Who set the bit: {@link NONE} or an actor id. */
  readonly holder: Var;
}

const W = 'include/linux/wait_bit.h';

/** A bit lock stored as its own field `name` (its holder). lockdep does not track bit locks. */
export function bitLock(sys: System, name: string): BitLock {
  const holder = sys.var(name, owner());
  return registerLock(sys, {
    name, lockClass: name, holder,
    waitsFor: (s) => (s.get(holder) === NONE ? [] : [s.get(holder)]),
    holds: (s, a) => s.get(holder) === a,
  }, 'bit');
}

/** `wait_on_bit_lock()`: sleeps while the bit is set, then sets it; woken, it races newcomers (no handoff). */
export const wait_on_bit_lock = (l: BitLock, self: ActorRef): Node =>
  step(`wait_on_bit_lock(${l.name})`, {
    fn: `${W}: wait_on_bit_lock`,
    when: (s) => s.get(l.holder) === NONE, then: (s) => s.set(l.holder, self.id),
    blocksOn: l, acquires: l, sleeps: true,
  });

/** `test_and_set_bit_lock()`: 1 in `result` if the bit was clear and is now the caller's, else 0. */
export const test_and_set_bit_lock = (l: BitLock, self: ActorRef, result: Var): Node =>
  step(`test_and_set_bit_lock(${l.name})`, {
    fn: 'include/asm-generic/bitops/lock.h: test_and_set_bit_lock',
    acquires: l, trylock: true,
    then: (s) => (s.get(l.holder) === NONE ? s.set(l.holder, self.id).set(result, 1) : s.set(result, 0)),
  });

/** `clear_and_wake_up_bit()`: clears the bit and wakes its waiters; clearing one the caller did not set is a model error. */
export const clear_and_wake_up_bit = (l: BitLock, self: ActorRef): Node =>
  step(`clear_and_wake_up_bit(${l.name})`, {
    fn: `${W}: clear_and_wake_up_bit`,
    then: (s) => {
      if (s.get(l.holder) !== self.id) throw new Error(`clear_and_wake_up_bit(${l.name}) by ${self.name}, which did not set it`);
      return s.set(l.holder, NONE);
    },
  });
