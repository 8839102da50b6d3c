/**
 * RCU (kernel/rcu/tree.c, include/linux/rcupdate.h): read-side sections, grace periods and
 * callbacks.
 *
 * - `rcu_read_lock` / `rcu_read_unlock` nest per context; the outermost makes the context a
 *   reader (`rcu.readers`). Sleeping inside one is lockdep's "invalid context" (PREEMPT_RCU
 *   semantics: the reader may be preempted, not block).
 * - **Every reader.** Since v5.0 the flavours are one (kernel/rcu/tree.c, `synchronize_rcu`
 *   and `call_rcu`: "RCU read-side critical sections are delimited by rcu_read_lock() and
 *   rcu_read_unlock(), and may be nested. In addition, regions of code across which
 *   interrupts, preemption, or softirqs have been disabled also serve as RCU read-side
 *   critical sections. This includes hardware interrupt handlers, softirq handlers, and NMI
 *   handlers."): a context with preemption, bottom halves or interrupts disabled (a spinlock,
 *   `rcu_read_lock_sched`, `rcu_read_lock_bh`, `local_irq_save`, …: what `context.ts` records;
 *   `spin_lock` disables preemption, as on !PREEMPT_RT), and a running hardirq or softirq
 *   handler, is a reader too ({@link rcu_reader}).
 * - `synchronize_rcu` waits for every reader that was inside a section when it started (a
 *   snapshot of the readers); a reader that leaves and re-enters afterwards is not waited for.
 *   Called inside a read-side section it waits for itself: a wait-for cycle through the grace
 *   period.
 * - `call_rcu(head, c)` queues a callback that an RCU softirq on the head's CPU runs once the
 *   readers of the moment have left (`rcu_head(sys, cpu0, name, build)` declares it).
 * - `rcu_dereference*` are reads that lockdep checks (`rcu-lockdep.ts`).
 * - **lockdep.** The read side has lockdep maps (`rcu_lock_map`, `rcu_bh_lock_map`,
 *   `rcu_sched_lock_map`, kernel/rcu/update.c; `rcu_read_lock` does `rcu_lock_acquire`), so the
 *   first RCU primitive a model uses (`rcu_read_lock*`, `synchronize_rcu`, `rcu_head`) turns
 *   lockdep's lock rules on (`lockdep(sys)`), as declaring a lock does. kmc lists
 *   `rcu_read_lock` among a reader's held locks but does not put the RCU maps in the lock-order
 *   graph.
 *
 * @example
 * [rcu_read_lock(c), step('p = rcu_dereference(gp)'), rcu_read_unlock(c)]
 * [step('rcu_assign_pointer(gp, new)'), synchronize_rcu(c), step('kfree(old)')]
 */
import { actorSet, bool, int } from '../model/domain.ts';
import { step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { bits } from './bits.ts';
import { lockdep } from './lockdep.ts';
import { contextsOf, irqs_disabled, preempt_add, bh_add, preempt_count, softirq, softirqs_disabled, type Context, type Cpu } from './context.ts';

const DEPTH = 3;

/** RCU's state in a system (its entry in `sys.registry`, made by the first RCU primitive a model uses). */
interface RcuState {
  /** Contexts inside a read-side section. */
  readonly readers: Var;
  /** Grace periods in progress: per waiter (a synchronize_rcu caller, a queued callback), the readers it still waits for. */
  readonly waits: Var[];
  /** Each context's `rcu_read_lock_nesting` local, declared by its first `rcu_read_lock`. */
  readonly nesting: Map<Context, Var>;
  /** Each context's grace-period local, declared by its first `synchronize_rcu`. */
  readonly gps: Map<Context, Var>;
}

const RCU_STATE = systemKey<RcuState>('rcu', (sys) => {
  // the read side is lockdep's: rcu_lock_map, rcu_bh_lock_map, rcu_sched_lock_map (kernel/rcu/update.c)
  lockdep(sys);
  return { readers: sys.var('rcu.readers', actorSet()), waits: [], nesting: new Map(), gps: new Map() };
});
const rcuOf = (sys: System): RcuState => sys.registry.get(RCU_STATE);

const nestOf = (c: Context): Var => {
  const nesting = rcuOf(c.self.sys).nesting;
  let v = nesting.get(c);
  if (!v) { v = c.self.local('rcu_read_lock_nesting', int(0, DEPTH)); nesting.set(c, v); }
  return v;
};

/** `c`'s read-side nesting depth in `s` (0 if it never takes rcu_read_lock). */
export const rcu_read_lock_nesting = (s: State, c: Context): number => { const v = c.self.sys.registry.peek(RCU_STATE)?.nesting.get(c); return v === undefined ? 0 : s.get(v); };

/** A handler context is running (it fired and has not returned). */
const running = (s: State, c: Context): boolean => {
  const slot = c.kind === 'hardirq' ? c.cpu.hardirq : c.kind === 'softirq' ? c.cpu.softirq : undefined;
  return slot !== undefined && s.get(slot) === c.self.id;
};

/**
 * `c` is in an RCU read-side critical section of some flavour in `s`: inside `rcu_read_lock`,
 * or not preemptible (preemption, bottom halves or interrupts disabled), or a running handler.
 * A grace period waits for it (kernel/rcu/tree.c `synchronize_rcu`, v5.0 and later).
 */
export const rcu_reader = (s: State, c: Context): boolean =>
  rcu_read_lock_nesting(s, c) > 0 ||
  (c.kind === 'task' ? preempt_count(s, c) > 0 || softirqs_disabled(s, c) || irqs_disabled(s, c) : running(s, c));

/** The readers of the moment, as an actor set: what a grace period starting now waits for. */
const snapshot = (s: State, sys: System): number =>
  contextsOf(sys).reduce((m, c) => (rcu_reader(s, c) ? m | (1 << c.self.id) : m), s.get(rcuOf(sys).readers));

/**
 * @internal After `c` changed what it disabled (or left a handler or an `rcu_read_unlock`): if
 * it is no longer in any read-side section, it passed a quiescent state, and no grace period in
 * progress waits for it any more (kernel/rcu/tree.c `rcu_qs` / `rcu_report_qs_rdp`;
 * kernel/rcu/tree_plugin.h `rcu_read_unlock_special`).
 */
export function rcu_qs(s: State, c: Context): State {
  const r = c.self.sys.registry.peek(RCU_STATE);
  if (r === undefined || r.waits.length === 0 || rcu_reader(s, c)) return s;
  const me = 1 << c.self.id;
  for (const w of r.waits) if (s.get(w) & me) s = s.set(w, s.get(w) & ~me);
  return s;
}

const RCU = 'include/linux/rcupdate.h';

/** `rcu_read_lock()`. */
export function rcu_read_lock(c: Context): Node {
  const r = rcuOf(c.self.sys), n = nestOf(c), me = 1 << c.self.id;
  return step('rcu_read_lock()', { fn: `${RCU}: rcu_read_lock`, then: (s) => s.set(n, s.get(n) + 1).set(r.readers, s.get(r.readers) | me) });
}

/** `rcu_read_unlock()`: leaving the outermost section (outside every other flavour's) ends the wait of every grace period on this reader. */
export function rcu_read_unlock(c: Context): Node {
  const r = rcuOf(c.self.sys), n = nestOf(c), me = 1 << c.self.id;
  return step('rcu_read_unlock()', {
    fn: `${RCU}: rcu_read_unlock`,
    then: (s) => {
      if (s.get(n) === 0) throw new Error(`rcu_read_unlock() by ${c.self.name} outside a read-side section`);
      if (s.get(n) > 1) return s.set(n, s.get(n) - 1);
      return rcu_qs(s.set(n, 0).set(r.readers, s.get(r.readers) & ~me), c);
    },
  });
}

/** `rcu_read_lock_sched()`: `preempt_disable()` (and lockdep's `rcu_sched_lock_map`); a reader of every grace period. */
export const rcu_read_lock_sched = (c: Context): Node => { rcuOf(c.self.sys); return step('rcu_read_lock_sched()', { fn: `${RCU}: rcu_read_lock_sched`, then: (s) => preempt_add(s, c, 1) }); };
/** `rcu_read_unlock_sched()`: `preempt_enable()`. */
export const rcu_read_unlock_sched = (c: Context): Node => step('rcu_read_unlock_sched()', { fn: `${RCU}: rcu_read_unlock_sched`, then: (s) => preempt_add(s, c, -1) });
/** `rcu_read_lock_bh()`: `local_bh_disable()` (and lockdep's `rcu_bh_lock_map`); a reader of every grace period. */
export const rcu_read_lock_bh = (c: Context): Node => { rcuOf(c.self.sys); return step('rcu_read_lock_bh()', { fn: `${RCU}: rcu_read_lock_bh`, then: (s) => bh_add(s, c, 1) }); };
/** `rcu_read_unlock_bh()`: `local_bh_enable()`. */
export const rcu_read_unlock_bh = (c: Context): Node => step('rcu_read_unlock_bh()', { fn: `${RCU}: rcu_read_unlock_bh`, then: (s) => bh_add(s, c, -1) });

const gpResource = (gp: Var, name: string): Resource => ({ name, waitsFor: (s) => bits(s.get(gp)) });

/** `synchronize_rcu()`: a grace period begins (the readers of the moment, of every flavour, are noted), then the caller sleeps until they have all left. */
export function synchronize_rcu(c: Context): Program {
  const r = rcuOf(c.self.sys), sys = c.self.sys;
  let gp = r.gps.get(c);
  if (!gp) { gp = c.self.local('rcu_gp_waits_for', actorSet()); r.gps.set(c, gp); r.waits.push(gp); }
  const g = gp;
  return [
    step('synchronize_rcu()', { fn: 'kernel/rcu/tree.c: synchronize_rcu', sleeps: true, then: (s) => s.set(g, snapshot(s, sys)) }),
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

/** `call_rcu(head, func)`: queues the head's callback behind a grace period starting now (waiting for the readers of every flavour). */
export function call_rcu(head: RcuHead, c: Context): Node {
  return step(`call_rcu(${head.name})`, {
    fn: 'kernel/rcu/tree.c: call_rcu',
    then: (s) => {
      if (s.test(head.queued)) throw new Error(`call_rcu(${head.name}) by ${c.self.name}: the head is already queued`);
      return s.set(head.queued, true).set(head.gp, snapshot(s, c.self.sys));
    },
  });
}
