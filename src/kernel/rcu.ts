/**
 * RCU (kernel/rcu/tree.c, include/linux/rcupdate.h): read-side sections, grace periods and
 * callbacks.
 *
 * - `rcu_read_lock` / `rcu_read_unlock` nest per context; the outermost makes the context a
 *   reader (`rcu.readers`). Sleeping inside one is lockdep's "invalid context" (PREEMPT_RCU
 *   semantics: the reader may be preempted, not block).
 * - `synchronize_rcu` waits for every reader that was inside a section when it started (a
 *   snapshot of the readers); a reader that leaves and re-enters afterwards is not waited for.
 *   Called inside a read-side section it waits for itself: a wait-for cycle through the grace
 *   period.
 * - `call_rcu(head, c)` queues a callback that an RCU softirq on the head's CPU runs once the
 *   readers of the moment have left (`rcu_head(sys, cpu0, name, build)` declares it).
 *
 * @example
 * [rcu_read_lock(c), step('p = rcu_dereference(gp)'), rcu_read_unlock(c)]
 * [step('rcu_assign_pointer(gp, new)'), synchronize_rcu(c), step('kfree(old)')]
 */
import { actorSet, bool, int } from '../model/domain.ts';
import { step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { bits } from './bits.ts';
import { softirq, type Context, type Cpu } from './context.ts';

const DEPTH = 3;

interface RcuState {
  /** Contexts inside a read-side section. */
  readonly readers: Var;
  /** Grace periods in progress: per waiter (a synchronize_rcu caller, a queued callback), the readers it still waits for. */
  readonly waits: Var[];
}

const state = new WeakMap<System, RcuState>();
const nesting = new WeakMap<Context, Var>();
const gps = new WeakMap<Context, Var>();

const rcuOf = (sys: System): RcuState => {
  let r = state.get(sys);
  if (!r) { r = { readers: sys.var('rcu.readers', actorSet()), waits: [] }; state.set(sys, r); }
  return r;
};

const nestOf = (c: Context): Var => {
  let v = nesting.get(c);
  if (!v) { v = c.self.local('rcu_read_lock_nesting', int(0, DEPTH)); nesting.set(c, v); }
  return v;
};

/** `c`'s read-side nesting depth in `s` (0 if it never takes rcu_read_lock). */
export const rcu_read_lock_nesting = (s: State, c: Context): number => { const v = nesting.get(c); return v === undefined ? 0 : s.get(v); };

const RCU = 'include/linux/rcupdate.h';

/** `rcu_read_lock()`. */
export function rcu_read_lock(c: Context): Node {
  const r = rcuOf(c.self.sys), n = nestOf(c), me = 1 << c.self.id;
  return step('rcu_read_lock()', { fn: `${RCU}: rcu_read_lock`, then: (s) => s.set(n, s.get(n) + 1).set(r.readers, s.get(r.readers) | me) });
}

/** `rcu_read_unlock()`: leaving the outermost section ends the wait of every grace period on this reader. */
export function rcu_read_unlock(c: Context): Node {
  const r = rcuOf(c.self.sys), n = nestOf(c), me = 1 << c.self.id;
  return step('rcu_read_unlock()', {
    fn: `${RCU}: rcu_read_unlock`,
    then: (s) => {
      if (s.get(n) === 0) throw new Error(`rcu_read_unlock() by ${c.self.name} outside a read-side section`);
      if (s.get(n) > 1) return s.set(n, s.get(n) - 1);
      let t = s.set(n, 0).set(r.readers, s.get(r.readers) & ~me);
      for (const w of r.waits) if (t.get(w) & me) t = t.set(w, t.get(w) & ~me);
      return t;
    },
  });
}

const gpResource = (gp: Var, name: string): Resource => ({ name, waitsFor: (s) => bits(s.get(gp)) });

/** `synchronize_rcu()`: a grace period begins (the readers of the moment are noted), then the caller sleeps until they have all left. */
export function synchronize_rcu(c: Context): Program {
  const r = rcuOf(c.self.sys);
  let gp = gps.get(c);
  if (!gp) { gp = c.self.local('rcu_gp_waits_for', actorSet()); gps.set(c, gp); r.waits.push(gp); }
  const g = gp;
  return [
    step('synchronize_rcu()', { fn: 'kernel/rcu/tree.c: synchronize_rcu', sleeps: true, then: (s) => s.set(g, s.get(r.readers)) }),
    step('synchronize_rcu(): wait for readers', {
      fn: 'include/linux/rcupdate_wait.h: wait_rcu_gp', sleeps: true,
      when: (s) => s.get(g) === 0,
      blocksOn: gpResource(g, 'an RCU grace period'),
    }),
  ];
}

export interface RcuHead {
  readonly name: string;
  readonly queued: Var;
  readonly gp: Var;
  readonly handler: ActorRef;
}

/**
 * An `rcu_head` whose callback (`build`) runs from the RCU softirq on `where` after a grace
 * period that `call_rcu` starts.
 */
export function rcu_head(sys: System, where: Cpu, name: string, build: (c: Context) => Program): RcuHead {
  const r = rcuOf(sys);
  const queued = sys.var(`${name}.queued`, bool()), gp = sys.var(`${name}.gp`, actorSet());
  r.waits.push(gp);
  const handler = softirq(sys, where, name, (c) => [
    step(`rcu_do_batch: ${name}`, { fn: 'kernel/rcu/tree.c: rcu_do_batch', then: (s) => s.set(queued, false) }),
    build(c),
  ], { pending: (s) => s.test(queued) && s.get(gp) === 0 });
  return { name, queued, gp, handler };
}

/** `call_rcu(head, func)`: queues the head's callback behind a grace period starting now. */
export function call_rcu(head: RcuHead, c: Context): Node {
  const r = rcuOf(c.self.sys);
  return step(`call_rcu(${head.name})`, {
    fn: 'kernel/rcu/tree.c: call_rcu',
    then: (s) => {
      if (s.test(head.queued)) throw new Error(`call_rcu(${head.name}) by ${c.self.name}: the head is already queued`);
      return s.set(head.queued, true).set(head.gp, s.get(r.readers));
    },
  });
}
