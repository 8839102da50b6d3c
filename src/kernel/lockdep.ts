/**
 * lockdep's rules (kernel/locking/lockdep.c, kernel/sched/core.c), as built-in properties of
 * every model that uses execution contexts, each reported in lockdep's words. A model turns
 * one off by name: `defineModel({ builtins: { [INVALID_CONTEXT]: false } })`.
 *
 * - **invalid context** (`__might_resched`): an actor about to take a step that may sleep
 *   (`StepSpec.sleeps`: a mutex, an rwsem, the folio lock, `wait_for_completion`,
 *   `synchronize_rcu`, a GUP that can fault) while atomic: holding a spinlock, with interrupts,
 *   bottom halves or preemption disabled, inside an RCU read-side section, or in a handler.
 *
 * - **possible circular locking dependency** / **recursive locking**: a cycle in the lock-class
 *   order graph (held → taken, over every explored acquisition), reported with a run for each
 *   dependency even when no explored interleaving deadlocks on it (a bounded model still warns
 *   about an inversion a larger one would deadlock on); a cycle that did deadlock is the deadlock.
 * - **inconsistent lock state**: a class taken in hardirq (softirq) context and also with
 *   hardirqs (softirqs) enabled, reported as the usage bug; the deadlock itself, where
 *   reachable, is found as a deadlock.
 *
 * The last two are `space` properties: checked on the whole state graph after exploration.
 */
import { never, type Finding, type Property, type Space, type SpaceStep, type StepInfo } from '../model/property.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { ActorRef } from '../model/vars.ts';
import { contextsOf, irqs_disabled, preempt_count, softirqs_disabled, type Context } from './context.ts';
import { locksOf, waitType, type DeclaredLock } from './locks.ts';
import { rcu_read_lock_nesting } from './rcu.ts';

export const INVALID_CONTEXT = 'sleeping function called from invalid context';

/** `c` may not sleep in `s`. */
export const atomic = (s: State, c: Context): boolean =>
  c.kind !== 'task' || irqs_disabled(s, c) || softirqs_disabled(s, c) || preempt_count(s, c) > 0 || rcu_read_lock_nesting(s, c) > 0;

const offender = (s: State, sys: System): Context | undefined => contextsOf(sys).find((c) => s.mightSleep(c.self) && atomic(s, c));

/** lockdep's held-lock list (`lockdep_print_held_locks`) of `actor` in `s`. */
export function heldLocks(s: State, sys: System, actor: ActorRef): string[] {
  const held = locksOf(sys).filter((l) => l.resource.holds?.(s, actor.id));
  if (held.length === 0) return [`no locks held by ${actor.name}/${actor.id}.`];
  return [`${held.length} lock${held.length > 1 ? 's' : ''} held by ${actor.name}/${actor.id}:`,
    ...held.map((l, i) => ` #${i}: (${l.resource.lockClass ?? l.resource.name})-${waitType(l.kind)}, ${l.resource.name}`)];
}

function splat(s: State, sys: System, next: (a: ActorRef) => StepInfo | undefined): string[] {
  const c = offender(s, sys);
  if (c === undefined) return [];
  const at = next(c.self), b = (x: boolean): number => (x ? 1 : 0);
  const where = c.kind === 'hardirq' ? ' (in hardirq context)' : c.kind === 'softirq' ? ' (in softirq context)' : '';
  return [
    `BUG: sleeping function called from invalid context at ${at?.fn.replace(': ', ':') || at?.label || '?'}`,
    `in_atomic(): ${b(preempt_count(s, c) > 0 || c.kind !== 'task' || softirqs_disabled(s, c))}, irqs_disabled(): ${b(irqs_disabled(s, c))}, non_block: 0, pid: ${c.self.id}, name: ${c.self.name}${where}`,
    `preempt_count: ${preempt_count(s, c)}, expected: 0`,
    `RCU nest depth: ${rcu_read_lock_nesting(s, c)}, expected: 0`,
    ...heldLocks(s, sys, c.self),
    ...(at ? [`about to: ${at.label}`] : []),
  ];
}

/** The invalid-context rule of `sys`, over every context declared in it. */
export const invalidContext = (sys: System): Property =>
  never(INVALID_CONTEXT, (s) => offender(s, sys) !== undefined, { explain: (s, next) => splat(s, sys, next) });


export const LOCK_ORDER = 'possible circular locking dependency';
export const INCONSISTENT = 'inconsistent lock state';

/** One acquisition of a tracked lock, as lockdep's usage and order rules see it. */
interface Acquisition {
  readonly t: SpaceStep;
  readonly lock: DeclaredLock;
  readonly cls: string;
  /** Tracked locks the actor held before (their classes). */
  readonly held: readonly DeclaredLock[];
  readonly inHard: boolean;
  readonly inSoft: boolean;
  readonly hardOn: boolean;
  readonly softOn: boolean;
  readonly read: boolean;
}

const tracked = (l: DeclaredLock): boolean => l.kind !== 'bit' && l.kind !== 'ww' && l.resource.holds !== undefined;
const classOf = (l: DeclaredLock): string => l.resource.lockClass ?? l.resource.name;

/** Every acquisition of a tracked lock in the space, in BFS order; the context read after the step (an `_irqsave` disables as it takes). */
function acquisitions(space: Space, sys: System): Acquisition[] {
  const locks = locksOf(sys).filter(tracked), byResource = new Map(locks.map((l) => [l.resource, l]));
  const ctxOf = new Map(contextsOf(sys).map((c) => [c.self.id, c]));
  const out: Acquisition[] = [];
  space.forEach((t) => {
    const a = t.step.actor.id;
    for (const r of t.acquires) {
      const lock = byResource.get(r);
      if (lock === undefined || r.holds!(t.before, a) || !r.holds!(t.after, a)) continue;
      const c = ctxOf.get(a);
      out.push({
        t, lock, cls: classOf(lock), held: locks.filter((h) => h !== lock && h.resource.holds!(t.before, a)),
        inHard: c?.kind === 'hardirq', inSoft: c?.kind === 'softirq',
        hardOn: c === undefined || !irqs_disabled(t.after, c), softOn: c === undefined || !softirqs_disabled(t.after, c),
        read: r.shared === true,
      });
    }
  });
  return out;
}

/** lockdep's usage bits (lockdep_states.h order: hardirq write/read, softirq write/read), per bit its first acquisition. */
const USAGE = ['IN-HARDIRQ-W', 'IN-HARDIRQ-R', 'IN-SOFTIRQ-W', 'IN-SOFTIRQ-R', 'HARDIRQ-ON-W', 'HARDIRQ-ON-R', 'SOFTIRQ-ON-W', 'SOFTIRQ-ON-R'] as const;
const usageBits = (q: Acquisition): number[] => {
  const r = q.read ? 1 : 0, bits: number[] = [];
  if (q.inHard) bits.push(0 + r);
  if (q.inSoft) bits.push(2 + r);
  if (q.hardOn) bits.push(4 + r);
  if (q.softOn) bits.push(6 + r);
  return bits;
};

type Usage = Map<string, (Acquisition | undefined)[]>;
const usageOf = (acqs: readonly Acquisition[]): Usage => {
  const u: Usage = new Map();
  for (const q of acqs) {
    const bits = u.get(q.cls) ?? Array.from({ length: 8 }, () => undefined);
    for (const b of usageBits(q)) bits[b] ??= q;
    u.set(q.cls, bits);
  }
  return u;
};

/** `{?.+.}`: per irq state and mode, `-` used in irq, `+` taken with it enabled, `?` both, `.` neither. */
const usageString = (u: Usage, cls: string): string => {
  const bits = u.get(cls) ?? [];
  return `{${[0, 1, 2, 3].map((i) => (bits[i] && bits[i + 4] ? '?' : bits[i] ? '-' : bits[i + 4] ? '+' : '.')).join('')}}`;
};
const lockName = (u: Usage, l: DeclaredLock): string => `(${classOf(l)})${usageString(u, classOf(l))}-${waitType(l.kind)}`;
const who = (t: SpaceStep): string => `${t.step.actor.name}/${t.step.actor.id}`;
const runLines = (space: Space, q: Acquisition): string[] => space.run(q.t.at).map((s, i) => `       step ${i + 1} ${s.actor.name}: ${s.label}`);

/** Pairs lockdep reports as inconsistent: a usage in irq context against an acquisition with that irq enabled. */
const CONFLICTS: readonly (readonly [number, number])[] = [[0, 4], [0, 5], [1, 4], [2, 6], [2, 7], [3, 6]];

function inconsistent(space: Space, sys: System): Finding | undefined {
  const acqs = acquisitions(space, sys), u = usageOf(acqs);
  let best: { first: Acquisition; second: Acquisition; from: number; to: number } | undefined;
  for (const bits of u.values())
    for (const [i, j] of CONFLICTS) {
      const a = bits[i], b = bits[j];
      if (!a || !b) continue;
      const [first, second, from, to] = a.t.at <= b.t.at ? [a, b, i, j] : [b, a, j, i];
      if (!best || second.t.at < best.second.t.at) best = { first, second, from, to };
    }
  if (!best) return undefined;
  const { first, second, from, to } = best, q = second, ruler = '-'.repeat(32);
  const flags = `[HC${q.inHard ? 1 : 0}[${q.inHard ? 1 : 0}]:SC${q.inSoft ? 1 : 0}[${q.inSoft ? 1 : 0}]:HE${q.hardOn ? 1 : 0}:SE${q.softOn ? 1 : 0}]`;
  return {
    at: second.t.at,
    lines: [
      '='.repeat(32), 'WARNING: inconsistent lock state', ruler,
      `inconsistent {${USAGE[from]}} -> {${USAGE[to]}} usage.`,
      `${who(q.t)} ${flags} takes:`,
      ` ${lockName(u, q.lock)}, at: ${q.t.step.label}`,
      `{${USAGE[from]}} state was registered at:`,
      ...runLines(space, first),
      '', 'other info that might help us debug this:',
      ' Possible unsafe locking scenario:', '',
      '       CPU0', '       ----',
      `  lock(${q.cls});`, '  <Interrupt>', `    lock(${q.cls});`, '',
      ' *** DEADLOCK ***', '',
      `the trace ends where ${who(q.t)} takes it; the state was registered on the run above (lockdep reports the usage, whether or not an interleaving deadlocks on it)`,
    ],
  };
}

/** Lock-class order edges `held -> taken`, each with its first acquisition (trylocks add none). */
function orderEdges(acqs: readonly Acquisition[]): Map<string, Map<string, { q: Acquisition; held: DeclaredLock }>> {
  const g = new Map<string, Map<string, { q: Acquisition; held: DeclaredLock }>>();
  for (const q of acqs) {
    if (q.t.trylock) continue;
    for (const h of q.held) {
      const from = classOf(h), m = g.get(from) ?? new Map<string, { q: Acquisition; held: DeclaredLock }>();
      if (!m.has(q.cls)) m.set(q.cls, { q, held: h });
      g.set(from, m);
    }
  }
  return g;
}

/** A cycle of classes in `g` (as the list of its edges), the first found from the classes in order. */
function findCycle(g: Map<string, Map<string, { q: Acquisition; held: DeclaredLock }>>): { from: string; to: string }[] | undefined {
  const state = new Map<string, 1 | 2>(), stack: string[] = [];
  const dfs = (c: string): string[] | undefined => {
    state.set(c, 1); stack.push(c);
    for (const d of g.get(c)?.keys() ?? []) {
      if (state.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d)) { const r = dfs(d); if (r) return r; }
    }
    stack.pop(); state.set(c, 2);
    return undefined;
  };
  for (const c of g.keys()) {
    if (state.has(c)) continue;
    const cyc = dfs(c);
    if (cyc) return cyc.slice(1).map((to, i) => ({ from: cyc[i]!, to }));
  }
  return undefined;
}

function circular(space: Space, sys: System): Finding | undefined {
  const acqs = acquisitions(space, sys), u = usageOf(acqs), g = orderEdges(acqs), cyc = findCycle(g);
  if (!cyc) return undefined;
  const edges = cyc.map((e) => ({ ...e, w: g.get(e.from)!.get(e.to)! }));
  // the edge found last closes the cycle: its run is the trace; lockdep reports from its point of view
  const last = edges.reduce((x, y) => (y.w.q.t.at > x.w.q.t.at ? y : x));
  const k = edges.indexOf(last), chain = [...edges.slice(k + 1), ...edges.slice(0, k)];
  const next = last.w.q, prev = last.w.held, ruler = '-'.repeat(54);
  if (cyc.length === 1 && cyc[0]!.from === cyc[0]!.to) {
    const r = '-'.repeat(44);
    return {
      at: next.t.at,
      lines: ['='.repeat(44), 'WARNING: possible recursive locking detected', r,
        `${who(next.t)} is trying to acquire lock:`, ` ${lockName(u, next.lock)}, at: ${next.t.step.label}`, '',
        'but task is already holding lock:', ` ${lockName(u, prev)}`, '',
        'other info that might help us debug this:', ' Possible unsafe locking scenario:', '',
        '       CPU0', '       ----', `  lock(${classOf(prev)});`, `  lock(${next.cls});`, '', ' *** DEADLOCK ***', '',
        ' May be due to missing lock nesting notation'],
    };
  }
  const parent = chain.length ? chain.at(-1)!.from : next.cls;   // the lock before PREV on the path NEXT --> … --> PREV
  const lines = [
    '='.repeat(54), 'WARNING: possible circular locking dependency detected', ruler,
    `${who(next.t)} is trying to acquire lock:`, ` ${lockName(u, next.lock)}, at: ${next.t.step.label}`, '',
    'but task is already holding lock:', ` ${lockName(u, prev)}`, '',
    'which lock already depends on the new lock.', '', '',
    'the existing dependency chain (in reverse order) is:',
  ];
  const entries = [...[...chain].reverse(), last];
  entries.forEach((e, i) => {
    const lock = e.w.q.lock;
    lines.push('', `-> #${entries.length - 1 - i} ${lockName(u, lock)}:`, ...runLines(space, e.w.q));
  });
  lines.push('', 'other info that might help us debug this:', '');
  if (parent !== next.cls) lines.push('Chain exists of:', `  ${next.cls} --> ${parent} --> ${classOf(prev)}`, '');
  lines.push(' Possible unsafe locking scenario:', '',
    '       CPU0                    CPU1', '       ----                    ----',
    `  lock(${classOf(prev)});`, `${' '.repeat(31)}lock(${parent});`, `${' '.repeat(31)}lock(${classOf(prev)});`, `  lock(${next.cls});`, '',
    ' *** DEADLOCK ***', '',
    'each dependency above comes from its own run; lockdep reports the order, whether or not an interleaving deadlocks on it (kmc check reports such a deadlock first)');
  return { at: next.t.at, lines };
}

/** The whole-space rules: lock order (circular and recursive) and irq usage. */
export const lockOrder = (sys: System): Property => ({ kind: 'space', name: LOCK_ORDER, analyse: (space) => circular(space, sys) });
export const irqUsage = (sys: System): Property => ({ kind: 'space', name: INCONSISTENT, analyse: (space) => inconsistent(space, sys) });

/**
 * Turns lockdep's whole-space rules on for `sys`: the lock-order graph over every explored
 * acquisition of a tracked lock (mutexes, rwsems, spinlocks, rwlocks; not the folio lock, which
 * lockdep does not see, nor ww_mutexes, ordered by their acquire context), and the irq usage of
 * each lock class. Spinlocks, rwlocks and CPU contexts turn it on themselves.
 */
export function lockdep(sys: System): void {
  sys.builtin(lockOrder(sys));
  sys.builtin(irqUsage(sys));
}
