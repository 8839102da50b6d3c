/**
 * `rcu_dereference()` and its checked variants (include/linux/rcupdate.h) as reads that lockdep
 * checks, and the built-in property **suspicious RCU usage** (`lockdep_rcu_suspicious`,
 * kernel/locking/lockdep.c), reported in lockdep's words.
 *
 * Each variant asks whether the reader is in a read-side section **of its flavour**, as
 * lockdep answers (kernel/rcu/update.c), or whether the caller's condition holds:
 *
 * | read                                | protected when                                                  |
 * |-------------------------------------|-----------------------------------------------------------------|
 * | `rcu_dereference(p)`                | `rcu_read_lock_held()`: inside `rcu_read_lock()`                |
 * | `rcu_dereference_check(p, c)`       | `c \|\| rcu_read_lock_held()`                                   |
 * | `rcu_dereference_bh(p)`             | `rcu_read_lock_bh_held()`: `in_softirq() \|\| irqs_disabled()`    |
 * | `rcu_dereference_sched(p)`          | `rcu_read_lock_sched_held()`: `!preemptible()`                  |
 * | `rcu_dereference_protected(p, c)`   | `c` (the update side: no reader needed)                         |
 *
 * Outside that, `RCU_LOCKDEP_WARN` fires: "suspicious rcu_dereference_check() usage" (or
 * "…_protected() usage"). lockdep warns even where a grace period would wait for the reader: a
 * plain `rcu_dereference()` under `preempt_disable()` is protected since v5.0 (`rcu.ts`), but
 * `rcu_read_lock_held()` does not look at preemption; the fix is `rcu_dereference_sched()`.
 *
 * @example
 * [rcu_read_lock(c), rcu_dereference(c, 'gp', { then: (s) => … }), rcu_read_unlock(c)]
 * [spin_lock(l, c), rcu_dereference_protected(c, 'gp', lockdep_is_held(l, c)), spin_unlock(l, c)]
 */
import { step, type Node, type StepSpec } from '../model/program.ts';
import { transition, type Transition } from '../model/property.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import { contextsOf, irqs_disabled, preempt_count, softirqs_disabled, type Context } from './context.ts';
import { heldLocks } from './lockdep.ts';
import { waitType } from './locks.ts';
import { rcu_read_lock_nesting } from './rcu.ts';

export const SUSPICIOUS_RCU = 'suspicious RCU usage';

/** A condition an `rcu_dereference_check` / `_protected` caller passes: its text and its value. */
export interface RcuCondition { readonly text: string; readonly holds: (s: State) => boolean }

/** `lockdep_is_held(l)` as `c` asks it. */
export const lockdep_is_held = (l: Resource, c: Context): RcuCondition => {
  if (l.holds === undefined) throw new Error(`lockdep_is_held(${l.name}): not a lock (it records no holders)`);
  return { text: `lockdep_is_held(${l.name})`, holds: (s) => l.holds!(s, c.self.id) };
};

/** `rcu_read_lock_held()` (kernel/rcu/update.c): `c` is inside `rcu_read_lock()`. */
export const rcu_read_lock_held = (s: State, c: Context): boolean => rcu_read_lock_nesting(s, c) > 0;
/** `rcu_read_lock_bh_held()`: `in_softirq() || irqs_disabled()` (bottom halves off, or in a handler). */
export const rcu_read_lock_bh_held = (s: State, c: Context): boolean => softirqs_disabled(s, c) || irqs_disabled(s, c);
/** `rcu_read_lock_sched_held()`: `!preemptible()` (preemption, bottom halves or interrupts disabled, or in a handler). */
export const rcu_read_lock_sched_held = (s: State, c: Context): boolean => preempt_count(s, c) > 0 || rcu_read_lock_bh_held(s, c);

type Flavour = 'rcu' | 'bh' | 'sched' | 'protected';
const held: Record<Exclude<Flavour, 'protected'>, { fn: string; held: (s: State, c: Context) => boolean }> = {
  rcu: { fn: 'rcu_read_lock_held', held: rcu_read_lock_held },
  bh: { fn: 'rcu_read_lock_bh_held', held: rcu_read_lock_bh_held },
  sched: { fn: 'rcu_read_lock_sched_held', held: rcu_read_lock_sched_held },
};

interface Check { readonly c: Context; readonly api: string; readonly flavour: Flavour; readonly cond: RcuCondition | undefined }
type Checks = Map<string, Check>;
const key = (actor: number, label: string): string => `${actor}\0${label}`;

const ok = (s: State, k: Check): boolean =>
  (k.cond !== undefined && k.cond.holds(s)) || (k.flavour !== 'protected' && held[k.flavour].held(s, k.c));

const failed = (checks: Checks, t: Transition): Check | undefined => {
  const k = checks.get(key(t.step.actor.id, t.step.label));
  return k === undefined || ok(t.before, k) ? undefined : k;
};

/** `lockdep_print_held_locks()`: the locks `c` holds, `rcu_lock_map` first while inside `rcu_read_lock()`. */
function held_locks(s: State, sys: System, c: Context): string[] {
  const locks = heldLocks(s, sys, c.self), who = `${c.self.name}/${c.self.id}`;
  if (rcu_read_lock_nesting(s, c) === 0) return locks;
  const rest = locks[0]!.startsWith('no locks') ? [] : locks.slice(1).map((l) => l.replace(/^ #(\d+):/, (_, i: string) => ` #${Number(i) + 1}:`));
  const n = rest.length + 1;
  return [`${n} lock${n > 1 ? 's' : ''} held by ${who}:`, ` #0: (rcu_read_lock)-${waitType('rcu')}, rcu_read_lock()`, ...rest];
}

/**
 * The splat: `lockdep_rcu_suspicious()`'s lines (its `"%s:%d %s!"` names the caller's file and
 * line: here the step), then what kmc read of the context.
 */
function splat(sys: System, t: Transition, k: Check): string[] {
  const what = k.flavour === 'protected' ? 'suspicious rcu_dereference_protected() usage' : 'suspicious rcu_dereference_check() usage';
  const s = t.before, c = k.c, b = (x: boolean): number => (x ? 1 : 0);
  const tests = [...(k.cond ? [`${k.cond.text} = 0`] : []), ...(k.flavour === 'protected' ? [] : [`${held[k.flavour].fn}() = 0`])];
  return [
    '=============================', 'WARNING: suspicious RCU usage', '-----------------------------',
    `${t.step.label}: ${what}!`, '', 'other info that might help us debug this:', '', '',
    'rcu_scheduler_active = 2, debug_locks = 1',
    ...held_locks(s, sys, c),
    '',
    `${c.self.name}/${c.self.id}: ${tests.join(', ')} (preempt_count: ${preempt_count(s, c)}, softirqs disabled: ${b(softirqs_disabled(s, c))}, irqs_disabled(): ${b(irqs_disabled(s, c))}${c.kind === 'task' ? '' : `, in ${c.kind}`})`,
  ];
}

/** The rule of `sys`: no rcu_dereference step is taken outside its protection. */
const suspicious = (sys: System, checks: Checks) =>
  transition(SUSPICIOUS_RCU, (t) => failed(checks, t) === undefined, {
    explain: (t) => { const k = failed(checks, t); return k === undefined ? [] : splat(sys, t, k); },
  });

/** Per system, the checks of its rcu_dereference steps, by actor and label (an entry in `sys.registry`), and the rule that reads them. */
const CHECKS = systemKey<Checks>('rcu-lockdep', (sys) => {
  const checks: Checks = new Map();
  sys.builtin(suspicious(sys, checks));
  return checks;
});

function deref(c: Context, api: string, p: string, flavour: Flavour, cond: RcuCondition | undefined, spec: Partial<StepSpec>): Node {
  const sys = c.self.sys;
  if (!contextsOf(sys).includes(c)) throw new Error(`${api}(${p}): the context of ${c.self.name} is not of this system`);
  const label = spec.label ?? `${api}(${p}${cond ? `, ${cond.text}` : ''})`;
  sys.registry.get(CHECKS).set(key(c.self.id, label), { c, api, flavour, cond });
  return step(label, { ...spec, fn: spec.fn ?? `include/linux/rcupdate.h: ${api}` });
}

/** Optional step fields: `then` for what the read does (`label`, `fn` default to the API call). */
export type DerefSpec = Partial<StepSpec>;

/** `rcu_dereference(p)`: protected inside `rcu_read_lock()`. */
export const rcu_dereference = (c: Context, p: string, spec: DerefSpec = {}): Node => deref(c, 'rcu_dereference', p, 'rcu', undefined, spec);
/** `rcu_dereference_check(p, cond)`: protected by `cond` or inside `rcu_read_lock()`. */
export const rcu_dereference_check = (c: Context, p: string, cond: RcuCondition, spec: DerefSpec = {}): Node => deref(c, 'rcu_dereference_check', p, 'rcu', cond, spec);
/** `rcu_dereference_bh(p)`: protected with bottom halves (or interrupts) disabled, or in a handler. */
export const rcu_dereference_bh = (c: Context, p: string, spec: DerefSpec = {}): Node => deref(c, 'rcu_dereference_bh', p, 'bh', undefined, spec);
/** `rcu_dereference_sched(p)`: protected while not preemptible. */
export const rcu_dereference_sched = (c: Context, p: string, spec: DerefSpec = {}): Node => deref(c, 'rcu_dereference_sched', p, 'sched', undefined, spec);
/** `rcu_dereference_protected(p, cond)`: the update side; protected by `cond` alone. */
export const rcu_dereference_protected = (c: Context, p: string, cond: RcuCondition, spec: DerefSpec = {}): Node => deref(c, 'rcu_dereference_protected', p, 'protected', cond, spec);
