/**
 * Wait/wound mutexes (kernel/locking/ww_mutex.h, Documentation/locking/ww-mutex-design.rst), in
 * the wait-die flavour (`DEFINE_WD_CLASS`): each acquire context gets a stamp from its class
 * at `ww_acquire_init` (smaller is older). Asking for a mutex held by an older context returns
 * -EDEADLK at once (the younger dies: it must release what it holds and retry, taking the
 * contended mutex first with `ww_mutex_lock_slow`); asking for one held by a younger context
 * waits. Waits only ever go from older to younger, so no cycle can form.
 *
 * @example
 * const ctx = ww_acquire_ctx(cls, self), r = self.local('ret', int(EDEADLK, 0));
 * [ww_acquire_init(ctx), ww_mutex_lock(a, ctx, r), ifElse((s) => s.get(r) === EDEADLK, backoff), …]
 */
import { NONE, int, owner } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { Self, System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { registerLock } from './locks.ts';

export const EDEADLK = -35;
export const EALREADY = -114;

export interface WwClass {
  readonly name: string;
  /** The last stamp handed out. */
  readonly next: Var;
  /** Per actor id, its acquire context's stamp (0: not initialised). */
  readonly stamps: Map<number, Var>;
  readonly max: number;
}

export interface WwMutex extends Resource { readonly owner: Var; readonly cls: WwClass }
export interface WwAcquireCtx { readonly self: Self; readonly cls: WwClass; readonly stamp: Var }

/** A ww class (`DEFINE_WD_CLASS`); `contexts` bounds how many acquire contexts it hands stamps to. */
export const ww_class = (sys: System, name: string, contexts = 4): WwClass =>
  ({ name, next: sys.var(`${name}.stamp`, int(0, contexts)), stamps: new Map(), max: contexts });

/** A `struct ww_mutex` of class `cls`. */
export function ww_mutex(sys: System, cls: WwClass, name: string): WwMutex {
  const o = sys.var(name, owner());
  return registerLock(sys, {
    name, lockClass: cls.name, owner: o, cls,
    waitsFor: (s) => (s.get(o) === NONE ? [] : [s.get(o)]),
    holds: (s, a) => s.get(o) === a,
  }, 'ww');
}

/** `struct ww_acquire_ctx` of the actor, for class `cls`. */
export function ww_acquire_ctx(cls: WwClass, self: Self): WwAcquireCtx {
  let stamp = cls.stamps.get(self.id);
  if (!stamp) { stamp = self.local(`${cls.name}.ctx_stamp`, int(0, cls.max)); cls.stamps.set(self.id, stamp); }
  return { self, cls, stamp };
}

const W = 'kernel/locking/ww_mutex.h';

/** `ww_acquire_init()`: the context takes the next stamp. */
export const ww_acquire_init = (ctx: WwAcquireCtx): Node =>
  step(`ww_acquire_init(${ctx.cls.name})`, {
    fn: 'include/linux/ww_mutex.h: ww_acquire_init',
    then: (s) => { const n = s.get(ctx.cls.next) + 1; return s.set(ctx.cls.next, n).set(ctx.stamp, n); },
  });

/** `ww_acquire_fini()`. */
export const ww_acquire_fini = (ctx: WwAcquireCtx): Node => step(`ww_acquire_fini(${ctx.cls.name})`, { fn: 'include/linux/ww_mutex.h: ww_acquire_fini' });

const stampOf = (s: State, m: WwMutex, a: number): number => { const v = m.cls.stamps.get(a); return v === undefined ? 0 : s.get(v); };

/**
 * `ww_mutex_lock(m, ctx)`: 0 in `result` with `m` taken; -EDEADLK if an older context holds it
 * (back off); -EALREADY if this context does; waits while a younger context holds it.
 */
export const ww_mutex_lock = (m: WwMutex, ctx: WwAcquireCtx, result: Var): Node =>
  step(`ww_mutex_lock(${m.name})`, {
    fn: `${W}: __ww_mutex_lock`, sleeps: true,
    when: (s) => { const o = s.get(m.owner); return o === NONE || o === ctx.self.id || stampOf(s, m, o) < s.get(ctx.stamp); },
    then: (s) => {
      const o = s.get(m.owner);
      if (o === NONE) return s.set(m.owner, ctx.self.id).set(result, 0);
      return s.set(result, o === ctx.self.id ? EALREADY : EDEADLK);
    },
    blocksOn: m, acquires: m,
  });

/** `ww_mutex_lock_slow(m, ctx)`: after a back-off, waits for `m` whoever holds it. */
export const ww_mutex_lock_slow = (m: WwMutex, ctx: WwAcquireCtx): Node =>
  step(`ww_mutex_lock_slow(${m.name})`, {
    fn: 'include/linux/ww_mutex.h: ww_mutex_lock_slow', sleeps: true,
    when: (s) => s.get(m.owner) === NONE,
    then: (s) => s.set(m.owner, ctx.self.id),
    blocksOn: m, acquires: m,
  });

/** `ww_mutex_unlock(m)`. */
export const ww_mutex_unlock = (m: WwMutex, ctx: WwAcquireCtx): Node =>
  step(`ww_mutex_unlock(${m.name})`, {
    fn: `${W}: ww_mutex_unlock`,
    then: (s) => {
      if (s.get(m.owner) !== ctx.self.id) throw new Error(`ww_mutex_unlock(${m.name}) by ${ctx.self.name}, which does not hold it`);
      return s.set(m.owner, NONE);
    },
  });
