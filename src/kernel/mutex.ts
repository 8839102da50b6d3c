/**
 * `struct mutex` (kernel/locking/mutex.c): a sleeping lock with an owner. Not recursive:
 * `mutex_lock` by the owner blocks forever (an AA deadlock, which kmc reports as a wait-for
 * self-edge). Each primitive is one atomic step.
 *
 * **Fairness: hands off.** Waiters queue in order (`__mutex_add_waiter` appends to
 * `wait_list`); the first waiter, woken and finding the lock stolen (by the fast path or an
 * optimistic spinner), sets `MUTEX_FLAG_HANDOFF` (`__mutex_trylock_or_handoff` in
 * `__mutex_lock_common`) and the next `mutex_unlock` gives it the lock (`__mutex_handoff` in
 * `__mutex_unlock_slowpath`). So a waiter is not starved by a task that re-takes the mutex
 * forever: `mutex_lock` is a strongly fair step (`StepSpec.handoff`). `mutex_trylock` waits for
 * nothing and is owed nothing: a trylock-and-retry loop can starve.
 *
 * **lockdep**: class `class` (default the name; `mutexArray` shares one), `{4:4}`;
 * `mutex_lock_nested(m, subclass, self)` records `class/subclass`, a class of its own.
 *
 * @example
 * const a = mutex(sys, '&inode->i_rwsem[A]');
 * sys.task('T1', (t) => [mutex_lock(a, t), mutex_unlock(a, t)]);
 */
import { registerLock } from './locks.ts';
import { NONE, owner } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, ArrayVar, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';
import { checkSubclass, clearSubclass, subclassVar } from './lockdep-map.ts';

export interface Mutex extends Resource {
  /** The owner field: {@link NONE} or the holder's actor id. */
  holder(s: State): number;
  setHolder(s: State, id: number): State;
}

/** A mutex stored in its own field `name`. */
export function mutex(sys: System, name: string, lockClass?: string): Mutex {
  return registerLock(sys, mutexAt(sys.var(name, owner()), undefined, name, lockClass), 'sleep');
}

/** `n` mutexes stored as one array field `name[0..n-1]` (e.g. the forks of the philosophers). */
export function mutexArray(sys: System, name: string, n: number, lockClass?: string): Mutex[] {
  const v = sys.array(name, n, owner());
  return Array.from({ length: n }, (_, i) => registerLock(sys, mutexAt(v, i, `${name}[${i}]`, lockClass ?? name), 'sleep'));
}

function mutexAt(v: Var | ArrayVar, i: number | undefined, name: string, lockClass?: string): Mutex {
  const holder = i === undefined ? (s: State) => s.get(v as Var) : (s: State) => s.get(v as ArrayVar, i);
  const setHolder = i === undefined ? (s: State, id: number) => s.set(v as Var, id) : (s: State, id: number) => s.set(v as ArrayVar, i, id);
  return {
    name, lockClass: lockClass ?? name, holder, setHolder,
    waitsFor: (s) => { const h = holder(s); return h === NONE ? [] : [h]; },
    holds: (s, a) => holder(s) === a,
  };
}

/**
 * A sleeping acquisition of an owner lock that hands off to its waiters (a strongly fair step:
 * `mutex_lock`, `folio_lock`), named as the wrapper wants.
 */
export const acquire = (m: Mutex, self: ActorRef, label: string, fn: string): Node =>
  step(label, { fn, when: (s) => m.holder(s) === NONE, then: (s) => m.setHolder(s, self.id), blocksOn: m, acquires: m, sleeps: true, handoff: true });

/** Releases an owner lock; releasing one the caller does not hold is a model error. */
export const release = (m: Mutex, self: ActorRef, label: string, fn: string): Node =>
  step(label, {
    fn,
    then: (s) => {
      if (m.holder(s) !== self.id) throw new Error(`${label} by ${self.name}, which does not hold it`);
      return clearSubclass(m.setHolder(s, NONE), m, self);
    },
  });

/** `mutex_lock(m)`: blocks while another task (or the caller itself) holds `m`; hands off (not starved). */
export const mutex_lock = (m: Mutex, self: ActorRef): Node => acquire(m, self, `mutex_lock(${m.name})`, `kernel/locking/mutex.c: mutex_lock`);

/**
 * `mutex_lock_nested(m, subclass)` (kernel/locking/mutex.c, CONFIG_DEBUG_LOCK_ALLOC): `mutex_lock`,
 * recorded by lockdep under class `class/subclass` (`mutex_acquire_nest(&lock->dep_map, subclass,
 * …)`), a class of its own for the order rules: two mutexes of one class nested with distinct
 * subclasses are not "recursive locking" — nor, if two tasks nest them in opposite orders, a
 * circular dependency (lockdep trusts the annotation; the deadlock is still found as one).
 * `self`: the task's self or `current(self)` (it keeps the subclass).
 */
export const mutex_lock_nested = (m: Mutex, subclass: number, self: ActorRef): Node => {
  const what = `mutex_lock_nested(${m.name}, ${subclass})`;
  if (checkSubclass(subclass, what) === 0) return acquire(m, self, what, `kernel/locking/mutex.c: mutex_lock_nested`);
  const v = subclassVar(m, self, what);
  return step(what, {
    fn: `kernel/locking/mutex.c: mutex_lock_nested`, when: (s) => m.holder(s) === NONE, then: (s) => m.setHolder(s, self.id).set(v, subclass),
    blocksOn: m, acquires: m, sleeps: true, handoff: true,
  });
};

/** `mutex_unlock(m)`; releasing a mutex the caller does not hold is a model error (KMC002). */
export const mutex_unlock = (m: Mutex, self: ActorRef): Node => release(m, self, `mutex_unlock(${m.name})`, `kernel/locking/mutex.c: mutex_unlock`);

/** `mutex_trylock(m)`: takes `m` if free; stores 1 (taken) or 0 in `result`. Never blocks. */
export const mutex_trylock = (m: Mutex, self: ActorRef, result: Var): Node =>
  step(`mutex_trylock(${m.name})`, {
    fn: `kernel/locking/mutex.c: mutex_trylock`,
    acquires: m, trylock: true,
    then: (s) => (m.holder(s) === NONE ? m.setHolder(s, self.id).set(result, 1) : s.set(result, 0)),
  });
