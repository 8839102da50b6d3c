/**
 * Wait/wound mutexes (kernel/locking/ww_mutex.h, Documentation/locking/ww-mutex-design.rst).
 * Each acquire context gets a stamp from its class at `ww_acquire_init` (smaller is older), and
 * a context that holds some of the class's mutexes (`acquired > 0`) is told to back off with
 * -EDEADLK instead of waiting where a wait could close a cycle; it must then release what it
 * holds and retry, taking the contended mutex first with `ww_mutex_lock_slow`. A context that
 * holds nothing always waits (`__ww_mutex_kill` returns 0 for it). Two flavours:
 *
 * - wait-die (`DEFINE_WD_CLASS`, `ww_class(sys, name)`): asking for a mutex held by an older
 *   context dies at once (-EDEADLK); asking for one held by a younger context waits. Waits only
 *   ever go from older to younger, so no cycle can form.
 * - wound-wait (`DEFINE_WW_CLASS`, `ww_class(sys, name, n, 'wound-wait')`): a context holding
 *   something that asks for a mutex held by a younger context wounds the holder
 *   (`__ww_mutex_wound`) and waits; a wounded context dies the next time it would wait
 *   (`__ww_mutex_check_kill`), even while already waiting. A younger context waits for an
 *   older one. The wounded flag is cleared once the context holds nothing again.
 *
 * `acquired` is derived from the state (the class's mutexes the actor owns); waiter-list order
 * (a wait-die context dying behind an older waiter) is not modelled.
 *
 * @example
 * const ctx = ww_acquire_ctx(cls, self), r = self.local('ret', int(EDEADLK, 0));
 * [ww_acquire_init(ctx), ww_mutex_lock(a, ctx, r), ifElse((s) => s.get(r) === EDEADLK, backoff), …]
 */
import { NONE, bool, int, owner } from '../model/domain.ts';
import { ifElse, step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { Self, System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { registerLock } from './locks.ts';

export const EDEADLK = -35;
export const EALREADY = -114;

export type WwFlavour = 'wait-die' | 'wound-wait';

export interface WwClass {
  readonly name: string;
  readonly flavour: WwFlavour;
  /** The last stamp handed out. */
  readonly next: Var;
  /** Per actor id, its acquire context's stamp (0: not initialised). */
  readonly stamps: Map<number, Var>;
  /** Wound-wait: per actor id, its context's `wounded` flag. */
  readonly wounded: Map<number, Var>;
  /** The class's mutexes (a context's `acquired` is how many of them its actor owns). */
  readonly mutexes: WwMutex[];
  readonly max: number;
}

export interface WwMutex extends Resource { readonly owner: Var; readonly cls: WwClass }
export interface WwAcquireCtx { readonly self: Self; readonly cls: WwClass; readonly stamp: Var }

/**
 * A ww class: `DEFINE_WD_CLASS` (wait-die, the default) or `DEFINE_WW_CLASS` (`'wound-wait'`);
 * `contexts` bounds how many acquire contexts it hands stamps to.
 */
export const ww_class = (sys: System, name: string, contexts = 4, flavour: WwFlavour = 'wait-die'): WwClass =>
  ({ name, flavour, next: sys.var(`${name}.stamp`, int(0, contexts)), stamps: new Map(), wounded: new Map(), mutexes: [], max: contexts });

/** A `struct ww_mutex` of class `cls`. */
export function ww_mutex(sys: System, cls: WwClass, name: string): WwMutex {
  const o = sys.var(name, owner());
  const m = registerLock(sys, {
    name, lockClass: cls.name, owner: o, cls,
    waitsFor: (s) => (s.get(o) === NONE ? [] : [s.get(o)]),
    holds: (s, a) => s.get(o) === a,
  }, 'ww');
  cls.mutexes.push(m);
  return m;
}

/** `struct ww_acquire_ctx` of the actor, for class `cls`. */
export function ww_acquire_ctx(cls: WwClass, self: Self): WwAcquireCtx {
  let stamp = cls.stamps.get(self.id);
  if (!stamp) { stamp = self.local(`${cls.name}.ctx_stamp`, int(0, cls.max)); cls.stamps.set(self.id, stamp); }
  if (cls.flavour === 'wound-wait' && !cls.wounded.has(self.id)) cls.wounded.set(self.id, self.local(`${cls.name}.ctx_wounded`, bool()));
  return { self, cls, stamp };
}

const W = 'kernel/locking/ww_mutex.h';

/** `ww_acquire_init()`: the context takes the next stamp (and is not wounded). */
export const ww_acquire_init = (ctx: WwAcquireCtx): Node =>
  step(`ww_acquire_init(${ctx.cls.name})`, {
    fn: 'include/linux/ww_mutex.h: ww_acquire_init',
    then: (s) => {
      const n = s.get(ctx.cls.next) + 1, w = ctx.cls.wounded.get(ctx.self.id);
      const t = s.set(ctx.cls.next, n).set(ctx.stamp, n);
      return w === undefined ? t : t.set(w, false);
    },
  });

/** `ww_acquire_fini()`. */
export const ww_acquire_fini = (ctx: WwAcquireCtx): Node => step(`ww_acquire_fini(${ctx.cls.name})`, { fn: 'include/linux/ww_mutex.h: ww_acquire_fini' });

const stampOf = (s: State, m: WwMutex, a: number): number => { const v = m.cls.stamps.get(a); return v === undefined ? 0 : s.get(v); };
/** `ctx->acquired`: the class's mutexes the actor owns. */
const acquired = (s: State, ctx: WwAcquireCtx): number => ctx.cls.mutexes.reduce((n, m) => n + (s.get(m.owner) === ctx.self.id ? 1 : 0), 0);
const isWounded = (s: State, ctx: WwAcquireCtx): boolean => { const w = ctx.cls.wounded.get(ctx.self.id); return w !== undefined && s.test(w); };
/** `__ww_mutex_check_kill`: back off instead of waiting for `m`, held by `o`. */
const killed = (s: State, m: WwMutex, ctx: WwAcquireCtx, o: number): boolean =>
  acquired(s, ctx) > 0 && (ctx.cls.flavour === 'wait-die' ? stampOf(s, m, o) < s.get(ctx.stamp) : isWounded(s, ctx));

/**
 * `ww_mutex_lock(m, ctx)`: 0 in `result` with `m` taken; -EALREADY if this context holds it;
 * -EDEADLK where `__ww_mutex_check_kill` says so (see the flavours above), else waits. Under
 * wound-wait, asking first wounds a younger holder (`__ww_mutex_add_waiter`), then waits.
 */
export function ww_mutex_lock(m: WwMutex, ctx: WwAcquireCtx, result: Var): Program {
  const me = ctx.self.id;
  // the wait: until m is free, or until this context must back off
  const wait = (label: string): Node => step(label, {
    fn: `${W}: __ww_mutex_lock`, sleeps: true,
    when: (s) => { const o = s.get(m.owner); return o === NONE || o === me || killed(s, m, ctx, o); },
    then: (s) => {
      const o = s.get(m.owner);
      if (o === NONE) return s.set(m.owner, me).set(result, 0);
      return s.set(result, o === me ? EALREADY : EDEADLK);
    },
    blocksOn: m, acquires: m,
  });
  if (ctx.cls.flavour === 'wait-die') return wait(`ww_mutex_lock(${m.name})`);
  const wounded = ctx.cls.wounded.get(me)!;
  return [
    step(`ww_mutex_lock(${m.name})`, {
      fn: `${W}: __ww_mutex_add_waiter`, acquires: m,
      then: (s) => {
        const o = s.get(m.owner), held = acquired(s, ctx);
        // a context that holds nothing cannot be wounded any more (__ww_mutex_lock resets the flag)
        const t = held === 0 ? s.set(wounded, false) : s;
        if (o === NONE) return t.set(m.owner, me).set(result, 0);
        if (o === me) return t.set(result, EALREADY);
        if (held > 0 && s.test(wounded)) return t.set(result, EDEADLK);
        // __ww_mutex_wound: a younger holder is wounded by a context that holds something
        const hw = ctx.cls.wounded.get(o);
        return (held > 0 && hw !== undefined && stampOf(s, m, o) > s.get(ctx.stamp) ? t.set(hw, true) : t).set(result, 0);
      },
    }),
    ifElse((s) => s.get(m.owner) !== me && s.get(result) !== EDEADLK, [wait(`ww_mutex_lock(${m.name}) [wait]`)]),
  ];
}

/** `ww_mutex_lock_slow(m, ctx)`: after a back-off, waits for `m` whoever holds it. */
export const ww_mutex_lock_slow = (m: WwMutex, ctx: WwAcquireCtx): Node =>
  step(`ww_mutex_lock_slow(${m.name})`, {
    fn: 'include/linux/ww_mutex.h: ww_mutex_lock_slow', sleeps: true,
    when: (s) => s.get(m.owner) === NONE,
    then: (s) => {
      // called holding nothing (after a back-off): __ww_mutex_lock clears the wounded flag then
      const w = ctx.cls.wounded.get(ctx.self.id), t = s.set(m.owner, ctx.self.id);
      return w !== undefined && acquired(s, ctx) === 0 ? t.set(w, false) : t;
    },
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
