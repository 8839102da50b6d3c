/**
 * lockdep's rules (kernel/locking/lockdep.c, kernel/sched/core.c), as built-in properties, each
 * reported in lockdep's words. A model turns one off by name:
 * `defineModel({ builtins: { [INVALID_CONTEXT]: false } })`.
 *
 * When they are on: the invalid-context rule in every model that declares an execution context
 * (`context.ts`); the three lock rules below in every model that declares something lockdep
 * tracks — a lock (`registerLock`), a seqcount, RCU's read side — or that calls
 * {@link lockdep}; not because it declares a context.
 *
 * - **invalid context** (`__might_resched`): an actor about to take a step that may sleep
 *   (`StepSpec.sleeps`: a mutex, an rwsem, the folio lock, `wait_for_completion`,
 *   `synchronize_rcu`, a GUP that can fault) while atomic: holding a spinlock, with interrupts,
 *   bottom halves or preemption disabled, inside an RCU read-side section, or in a handler.
 *
 * - **possible circular locking dependency** / **recursive locking**: a cycle in the lock-class
 *   order graph (held → taken, over every explored acquisition; a lock's class is the one it was
 *   taken with, `class/subclass` for a `_nested` acquisition, as `held_lock.class_idx` records
 *   it), a class held when the task takes it again being `check_deadlock`'s recursive locking;
 *   reported with a run for each
 *   dependency even when no explored interleaving deadlocks on it (a bounded model still warns
 *   about an inversion a larger one would deadlock on); a cycle that did deadlock is the deadlock.
 * - **inconsistent lock state** (`mark_lock_irq` / `valid_state`): a class taken in hardirq
 *   (softirq) context and also with hardirqs (softirqs) enabled, reported as the usage bug; the
 *   deadlock itself, where reachable, is found as a deadlock. A lock held while interrupts (bottom
 *   halves) are enabled again — `spin_unlock_irq(B)` inside `spin_lock_irqsave(A)`,
 *   `local_irq_enable()`, `local_bh_enable()` — is marked as taken with them enabled, as
 *   `lockdep_hardirqs_on` / `lockdep_softirqs_on` do through `mark_held_locks`.
 * - **irq lock inversion** (`check_irq_usage`, `check_usage_forwards` /
 *   `check_usage_backwards`): a dependency path from a class used in hardirq (softirq) context
 *   to another class taken with hardirqs (softirqs) enabled — "HARDIRQ-safe -> HARDIRQ-unsafe
 *   lock order detected" when the dependency closed the path, "possible irq lock inversion
 *   dependency detected" when a usage did — reported even on one CPU, where no interleaving
 *   deadlocks. A read usage conflicts with a write usage only; paths do not tell recursive-read
 *   dependencies apart (lockdep's strong-path rule for `read_lock`), so a path through a reader
 *   of an rwlock is reported where lockdep would skip it.
 *
 * The last three are `space` properties: checked on the whole state graph after exploration,
 * with the events (usages and dependencies) taken in breadth-first order of the transitions that
 * made them, as lockdep takes them in the order it sees them.
 */
import { never, type Finding, type Property, type Space, type SpaceStep, type StepInfo } from '../model/property.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ActorRef } from '../model/vars.ts';
import { contextsOf, irqs_disabled, preempt_count, softirqs_disabled, type Context } from './context.ts';
import { heldClass, heldClasses, IRQS_ON, lockdepTracks, locksOf, waitType, type DeclaredLock } from './lockdep-map.ts';
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
    ...held.map((l, i) => ` #${i}: (${heldClass(s, sys, l.resource, actor.id)})-${waitType(l.kind)}, ${l.resource.name}`)];
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
export const IRQ_INVERSION = 'irq lock inversion';

/**
 * A lock class gaining usage at a transition: `acquire` (`__lock_acquire`'s `mark_usage`), or
 * `irqs on` (`mark_held_locks`: the lock was held while interrupts or bottom halves came on).
 */
interface Mark {
  readonly t: SpaceStep;
  readonly lock: DeclaredLock;
  readonly cls: string;
  readonly inHard: boolean;
  readonly inSoft: boolean;
  readonly hardOn: boolean;
  readonly softOn: boolean;
  readonly read: boolean;
  readonly how: 'acquire' | 'irqs on';
}
/** A held lock as lockdep's held-lock stack has it: the lock and the class it was taken with (`class/subclass` when nested). */
interface Held { readonly lock: DeclaredLock; readonly cls: string }
/** One acquisition of a tracked lock, with the tracked locks the actor held before. */
interface Acquisition extends Mark { readonly held: readonly Held[] }

interface Scan { readonly acqs: readonly Acquisition[]; readonly marks: readonly Mark[] }

/** lockdep in a system (its entry in `sys.registry`): whether its lock rules are on, and the scan of each space they judged (the three rules share it). */
interface Lockdep { on: boolean; readonly scans: WeakMap<Space, Scan> }
const LOCKDEP = systemKey<Lockdep>('lockdep', () => ({ on: false, scans: new WeakMap() }));

/** Every acquisition of a tracked lock and every usage mark in the space, in BFS order; the context read after the step (an `_irqsave` disables as it takes). */
function scan(space: Space, sys: System): Scan {
  const { scans } = sys.registry.get(LOCKDEP), known = scans.get(space);
  if (known) return known;
  const locks = locksOf(sys).filter((l) => lockdepTracks(l.kind) && l.resource.holds !== undefined), byResource = new Map(locks.map((l) => [l.resource, l]));
  const classOf = heldClasses(sys);
  const ctxOf = new Map(contextsOf(sys).map((c) => [c.self.id, c]));
  const acqs: Acquisition[] = [], marks: Mark[] = [];
  space.forEach((t) => {
    const a = t.step.actor.id, c = ctxOf.get(a);
    const ctx = { inHard: c?.kind === 'hardirq', inSoft: c?.kind === 'softirq', hardOn: c === undefined || !irqs_disabled(t.after, c), softOn: c === undefined || !softirqs_disabled(t.after, c) };
    for (const r of t.acquires) {
      if (r === IRQS_ON) {
        // lockdep_hardirqs_on / lockdep_softirqs_on: mark_held_locks, in task context only
        if (c === undefined || c.kind !== 'task') continue;
        const hard = irqs_disabled(t.before, c) && ctx.hardOn, soft = softirqs_disabled(t.before, c) && ctx.softOn;
        if (!hard && !soft) continue;
        for (const l of locks) {
          if (!l.resource.holds!(t.after, a)) continue;
          marks.push({ t, lock: l, cls: classOf(t.after, l.resource, a), inHard: false, inSoft: false, hardOn: hard, softOn: soft, read: l.resource.shared === true, how: 'irqs on' });
        }
        continue;
      }
      const lock = byResource.get(r);
      if (lock === undefined || r.holds!(t.before, a) || !r.holds!(t.after, a)) continue;
      const held = locks.filter((h) => h !== lock && h.resource.holds!(t.before, a)).map((h) => ({ lock: h, cls: classOf(t.before, h.resource, a) }));
      const q: Acquisition = { t, lock, cls: classOf(t.after, r, a), held, ...ctx, read: r.shared === true, how: 'acquire' };
      acqs.push(q);
      marks.push(q);
    }
  });
  const out = { acqs, marks };
  scans.set(space, out);
  return out;
}

/** lockdep's usage bits (lockdep_states.h order: hardirq write/read, softirq write/read; USED_IN then ENABLED). */
const USAGE = ['IN-HARDIRQ-W', 'IN-HARDIRQ-R', 'IN-SOFTIRQ-W', 'IN-SOFTIRQ-R', 'HARDIRQ-ON-W', 'HARDIRQ-ON-R', 'SOFTIRQ-ON-W', 'SOFTIRQ-ON-R'] as const;
const usageBits = (q: Mark): number[] => {
  const r = q.read ? 1 : 0, bits: number[] = [];
  if (q.inHard) bits.push(0 + r);
  if (q.inSoft) bits.push(2 + r);
  if (q.hardOn) bits.push(4 + r);
  if (q.softOn) bits.push(6 + r);
  return bits;
};
const isRead = (bit: number): boolean => (bit & 1) === 1;
const irqName = (bit: number): string => ((bit & 2) === 0 ? 'HARDIRQ' : 'SOFTIRQ');

type Usage = Map<string, (Mark | undefined)[]>;
const usageOf = (marks: readonly Mark[]): Usage => {
  const u: Usage = new Map();
  for (const q of marks) {
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
const lockName = (u: Usage, cls: string, l: DeclaredLock): string => `(${cls})${usageString(u, cls)}-${waitType(l.kind)}`;
const who = (t: SpaceStep): string => `${t.step.actor.name}/${t.step.actor.id}`;
const runLines = (space: Space, t: SpaceStep): string[] => space.run(t.at).map((s, i) => `       step ${i + 1} ${s.actor.name}: ${s.label}`);
const flags = (q: Mark): string => `[HC${q.inHard ? 1 : 0}[${q.inHard ? 1 : 0}]:SC${q.inSoft ? 1 : 0}[${q.inSoft ? 1 : 0}]:HE${q.hardOn ? 1 : 0}:SE${q.softOn ? 1 : 0}]`;

/** Usage pairs that conflict: in irq context against taken with that irq enabled, a read against a read excepted (`exclusive_bit`, `valid_state`). */
const conflicts = (used: number, enabled: number): boolean => (used & 2) === (enabled & 2) && !(isRead(used) && isRead(enabled));
const CONFLICTS: readonly (readonly [number, number])[] = [0, 1, 2, 3].flatMap((i) => [4, 5, 6, 7].filter((j) => conflicts(i, j)).map((j) => [i, j] as const));

function inconsistent(space: Space, sys: System): Finding | undefined {
  const u = usageOf(scan(space, sys).marks);
  let best: { first: Mark; second: Mark; from: number; to: number } | undefined;
  for (const bits of u.values())
    for (const [i, j] of CONFLICTS) {
      const a = bits[i], b = bits[j];
      if (!a || !b) continue;
      const [first, second, from, to] = a.t.at <= b.t.at ? [a, b, i, j] : [b, a, j, i];
      if (!best || second.t.at < best.second.t.at) best = { first, second, from, to };
    }
  if (!best) return undefined;
  const { first, second, from, to } = best, q = second, ruler = '-'.repeat(32);
  return {
    at: second.t.at,
    lines: [
      '='.repeat(32), 'WARNING: inconsistent lock state', ruler,
      `inconsistent {${USAGE[from]}} -> {${USAGE[to]}} usage.`,
      `${who(q.t)} ${flags(q)} takes:`,
      ` ${lockName(u, q.cls, q.lock)}, at: ${q.t.step.label}`,
      `{${USAGE[from]}} state was registered at:`,
      ...runLines(space, first.t),
      '', 'other info that might help us debug this:',
      ' Possible unsafe locking scenario:', '',
      '       CPU0', '       ----',
      `  lock(${q.cls});`, '  <Interrupt>', `    lock(${q.cls});`, '',
      ' *** DEADLOCK ***', '',
      ...(q.how === 'irqs on' ? [`${who(q.t)} enabled interrupts with the lock held (lockdep_hardirqs_on: mark_held_locks)`] : []),
      `the trace ends where ${who(q.t)} ${q.how === 'irqs on' ? 'enables them' : 'takes it'}; the state was registered on the run above (lockdep reports the usage, whether or not an interleaving deadlocks on it)`,
    ],
  };
}

type Edge = { q: Acquisition; held: Held };
type Graph = Map<string, Map<string, Edge>>;

/** Lock-class order edges `held -> taken`, each with its first acquisition (trylocks add none). */
function orderEdges(acqs: readonly Acquisition[]): Graph {
  const g: Graph = new Map();
  for (const q of acqs) {
    if (q.t.trylock) continue;
    for (const h of q.held) {
      const from = h.cls, m = g.get(from) ?? new Map<string, Edge>();
      if (!m.has(q.cls)) m.set(q.cls, { q, held: h });
      g.set(from, m);
    }
  }
  return g;
}

/** A cycle of classes in `g` (as the list of its edges), the first found from the classes in order. */
function findCycle(g: Graph): { from: string; to: string }[] | undefined {
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
  const { acqs, marks } = scan(space, sys), u = usageOf(marks), g = orderEdges(acqs), cyc = findCycle(g);
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
        `${who(next.t)} is trying to acquire lock:`, ` ${lockName(u, next.cls, next.lock)}, at: ${next.t.step.label}`, '',
        'but task is already holding lock:', ` ${lockName(u, prev.cls, prev.lock)}`, '',
        'other info that might help us debug this:', ' Possible unsafe locking scenario:', '',
        '       CPU0', '       ----', `  lock(${prev.cls});`, `  lock(${next.cls});`, '', ' *** DEADLOCK ***', '',
        ' May be due to missing lock nesting notation'],
    };
  }
  const parent = chain.length ? chain.at(-1)!.from : next.cls, r = (l: Held): string => (l.lock.resource.shared ? 'r' : '');   // the lock before PREV on the path NEXT --> … --> PREV
  const lines = [
    '='.repeat(54), 'WARNING: possible circular locking dependency detected', ruler,
    `${who(next.t)} is trying to acquire lock:`, ` ${lockName(u, next.cls, next.lock)}, at: ${next.t.step.label}`, '',
    'but task is already holding lock:', ` ${lockName(u, prev.cls, prev.lock)}`, '',
    'which lock already depends on the new lock.', '', '',
    'the existing dependency chain (in reverse order) is:',
  ];
  const entries = [...[...chain].reverse(), last];
  entries.forEach((e, i) => {
    lines.push('', `-> #${entries.length - 1 - i} ${lockName(u, e.w.q.cls, e.w.q.lock)}:`, ...runLines(space, e.w.q.t));
  });
  lines.push('', 'other info that might help us debug this:', '');
  if (parent !== next.cls) lines.push('Chain exists of:', `  ${next.cls} --> ${parent} --> ${prev.cls}`, '');
  lines.push(' Possible unsafe locking scenario:', '',
    '       CPU0                    CPU1', '       ----                    ----',
    // print_circular_lock_scenario: rlock() for a lock held or taken for read
    `  ${r(prev)}lock(${prev.cls});`, `${' '.repeat(31)}lock(${parent});`, `${' '.repeat(31)}${r(prev)}lock(${prev.cls});`, `  ${next.read ? 'r' : ''}lock(${next.cls});`, '',
    ' *** DEADLOCK ***', '',
    'each dependency above comes from its own run; lockdep reports the order, whether or not an interleaving deadlocks on it (kmc check reports such a deadlock first)');
  return { at: next.t.at, lines };
}

/**
 * lockdep's `print_irq_lock_scenario`: the irq-safe lock SAFE, taken (through MIDDLE) before the
 * irq-unsafe UNSAFE; "Chain exists of" when MIDDLE is not UNSAFE.
 */
export const irqLockScenario = (safe: string, middle: string, unsafe: string): string[] => [
  ...(middle !== unsafe ? ['Chain exists of:', `  ${safe} --> ${middle} --> ${unsafe}`, ''] : []),
  ' Possible interrupt unsafe locking scenario:', '',
  '       CPU0                    CPU1', '       ----                    ----',
  `  lock(${unsafe});`,
  `${' '.repeat(31)}local_irq_disable();`, `${' '.repeat(31)}lock(${safe});`, `${' '.repeat(31)}lock(${middle});`,
  '  <Interrupt>', `    lock(${safe});`, '',
  ' *** DEADLOCK ***',
];

/** A breadth-first path in `g` (forwards, or backwards along reversed edges) from `root` to the first class `hit` accepts: the classes, root first. */
function bfs(g: Graph, root: string, forwards: boolean, hit: (cls: string) => boolean): string[] | undefined {
  const parent = new Map<string, string | null>([[root, null]]), queue = [root];
  const succ = (c: string): string[] => (forwards ? [...(g.get(c)?.keys() ?? [])] : [...g].filter(([, m]) => m.has(c)).map(([f]) => f));
  while (queue.length) {
    const c = queue.shift()!;
    if (hit(c)) {
      const path: string[] = [];
      for (let x: string | null = c; x !== null; x = parent.get(x)!) path.unshift(x);
      return path;
    }
    for (const d of succ(c)) if (!parent.has(d)) { parent.set(d, c); queue.push(d); }
  }
  return undefined;
}

/**
 * check_irq_usage (a new dependency) and check_usage_forwards/backwards (a new usage), replayed
 * over the space's events in BFS order: the first event that connects a class used in irq
 * context to a distinct class taken with that irq enabled is the report.
 */
function irqInversion(space: Space, sys: System): Finding | undefined {
  const { acqs, marks } = scan(space, sys), final = usageOf(marks);
  type Event = { at: number; mark?: Mark; q?: Acquisition };
  // __lock_acquire marks usage before validate_chain adds the dependencies
  const events: Event[] = [...marks.map((mark) => ({ at: mark.t.at * 2, mark })), ...acqs.filter((q) => !q.t.trylock && q.held.length).map((q) => ({ at: q.t.at * 2 + 1, q }))];
  events.sort((x, y) => x.at - y.at);
  const g: Graph = new Map(), u: Usage = new Map();
  const has = (cls: string, bit: number): Mark | undefined => u.get(cls)?.[bit];
  /** A used-in bit of `cls` for a state, preferring write. */
  const usedIn = (cls: string, irq: 0 | 2): number | undefined => [irq, irq + 1].find((b) => has(cls, b));
  const enabledFor = (cls: string, used: number): number | undefined => [(used & 2) + 4, (used & 2) + 5].find((b) => has(cls, b) && conflicts(used, b));
  const declared = new Map<string, DeclaredLock>([...acqs.flatMap((q) => q.held.map((h) => [h.cls, h.lock] as const)), ...marks.map((q) => [q.cls, q.lock] as const)]);
  const nm = (cls: string): string => lockName(final, cls, declared.get(cls)!);
  const pathLines = (path: readonly string[]): string[] => path.slice(1).flatMap((to, i) => {
    const e = g.get(path[i]!)!.get(to)!;
    return [`-> ${nm(path[i]!)} -> ${nm(to)} ... acquired at:`, ...runLines(space, e.q.t)];
  });
  for (const ev of events) {
    if (ev.mark) {
      const q = ev.mark, bits = u.get(q.cls) ?? Array.from({ length: 8 }, () => undefined);
      const fresh = usageBits(q).filter((b) => !bits[b]);
      for (const b of fresh) bits[b] = q;
      u.set(q.cls, bits);
      for (const b of fresh) {
        const used = b < 4;
        // a USED_IN usage looks forwards for an ENABLED class, an ENABLED usage backwards for a USED_IN one
        let other: number | undefined;
        const path = bfs(g, q.cls, used, (c) => c !== q.cls && (other = used ? enabledFor(c, b) : [(b & 2), (b & 2) + 1].find((x) => has(c, x) && conflicts(x, b))) !== undefined);
        if (!path) continue;
        const end = path.at(-1)!, irq = irqName(b) + (isRead(other!) ? '-READ' : '');
        const [safe, unsafe, middle] = used ? [q.cls, end, path[1]!] : [end, q.cls, path.at(-2)!];
        const m = middle === safe ? unsafe : middle;
        return {
          at: q.t.at,
          lines: [
            '='.repeat(56), 'WARNING: possible irq lock inversion dependency detected', '-'.repeat(56),
            `${who(q.t)} just changed the state of lock:`, ` ${lockName(final, q.cls, q.lock)}, at: ${q.t.step.label}`,
            used ? `but this lock took another, ${irq}-unsafe lock in the past:` : `but this lock was taken by another, ${irq}-safe lock in the past:`,
            ` ${nm(end)}`, '', 'and interrupts could create inverse lock ordering between them.', '', '',
            'other info that might help us debug this:', ...irqLockScenario(safe, m, unsafe), '',
            ...heldLocks(q.t.before, sys, q.t.step.actor),
            '', 'the shortest dependencies between 2nd lock and 1st lock:', ...pathLines(used ? path : [...path].reverse()),
            '', `the trace ends where ${who(q.t)} ${q.how === 'irqs on' ? 'enables interrupts holding it (mark_held_locks)' : 'takes it'}; each dependency and usage comes from its own run (lockdep reports the inversion, whether or not an interleaving deadlocks on it)`,
          ],
        };
      }
    } else {
      const q = ev.q!;
      const fresh = q.held.map((h) => h.cls).filter((p) => p !== q.cls && !g.get(p)?.has(q.cls));
      for (const p of fresh) {
        const m = g.get(p) ?? new Map<string, Edge>();
        m.set(q.cls, { q, held: q.held.find((h) => h.cls === p)! });
        g.set(p, m);
      }
      for (const prevCls of fresh) {
        for (const irq of [0, 2] as const) {
          let bit1: number | undefined, bit2: number | undefined;
          const back = bfs(g, prevCls, false, (c) => (bit1 = usedIn(c, irq)) !== undefined);
          if (!back) continue;
          const fwd = bfs(g, q.cls, true, (c) => (bit2 = enabledFor(c, bit1!)) !== undefined);
          if (!fwd) continue;
          const safe = back.at(-1)!, unsafe = fwd.at(-1)!, st = irqName(irq), prev = q.held.find((h) => h.cls === prevCls)!;
          if (safe === unsafe) continue;   // a cycle: the circular rule's report
          const middle = prevCls === safe ? q.cls : prevCls;
          return {
            at: q.t.at,
            lines: [
              '='.repeat(53), `WARNING: ${st}-safe -> ${st}-unsafe lock order detected`, '-'.repeat(53),
              `${who(q.t)} ${flags(q)} is trying to acquire:`, ` ${lockName(final, q.cls, q.lock)}, at: ${q.t.step.label}`, '',
              'and this task is already holding:', ` ${lockName(final, prev.cls, prev.lock)}`,
              'which would create a new lock dependency:', ` ${lockName(final, prev.cls, prev.lock)} -> ${lockName(final, q.cls, q.lock)}`, '',
              `but this new dependency connects a ${st}-irq-safe lock:`, ` ${nm(safe)}`, '',
              `... which became ${st}-irq-safe at:`, ...runLines(space, has(safe, bit1!)!.t), '',
              `to a ${st}-irq-unsafe lock:`, ` ${nm(unsafe)}`, '',
              `... which became ${st}-irq-unsafe at:`, '...', ...runLines(space, has(unsafe, bit2!)!.t), '',
              'other info that might help us debug this:', '', ...irqLockScenario(safe, middle, unsafe), '',
              ...heldLocks(q.t.before, sys, q.t.step.actor), '',
              `the dependencies between ${st}-irq-safe lock and the holding lock:`, ...(back.length > 1 ? pathLines([...back].reverse()) : [` ${nm(safe)} is the holding lock`]), '',
              `the dependencies between the lock to be acquired and ${st}-irq-unsafe lock:`, ...(fwd.length > 1 ? pathLines(fwd) : [` ${nm(unsafe)} is the lock to be acquired`]), '',
              'each usage and dependency above comes from its own run; lockdep reports the order, whether or not an interleaving deadlocks on it',
            ],
          };
        }
      }
    }
  }
  return undefined;
}

/**
 * A model's `builtins` that turn lockdep's whole-space rules off: a port of a transition system
 * from another checker (SPIN), or a model that asks only about deadlocks under a reduction that
 * refuses whole-space properties. The kernel runs lockdep on every lock; a kernel model keeps it.
 */
export const LOCKDEP_OFF: Readonly<Record<string, false>> = { [LOCK_ORDER]: false, [INCONSISTENT]: false, [IRQ_INVERSION]: false };

/** The whole-space rules: lock order (circular and recursive), irq usage, irq lock inversion. */
export const lockOrder = (sys: System): Property => ({ kind: 'space', name: LOCK_ORDER, analyse: (space) => circular(space, sys) });
export const irqUsage = (sys: System): Property => ({ kind: 'space', name: INCONSISTENT, analyse: (space) => inconsistent(space, sys) });
export const irqLockOrder = (sys: System): Property => ({ kind: 'space', name: IRQ_INVERSION, analyse: (space) => irqInversion(space, sys) });

/**
 * Turns lockdep's whole-space rules on for `sys`: the lock-order graph over every explored
 * acquisition of a tracked lock (mutexes, rwsems, spinlocks, rwlocks; not the folio lock, which
 * lockdep does not see, nor ww_mutexes, ordered by their acquire context), the irq usage of
 * each lock class, and the irq-safe -> irq-unsafe dependencies.
 *
 * The one switch, called where the kernel gives something a lockdep map: declaring a tracked
 * lock (`registerLock`, as `lockdep_init_map()` does for every lock of a CONFIG_PROVE_LOCKING
 * kernel), a seqcount (`__seqcount_init`), and the first use of RCU (`rcu_lock_map`); a model
 * may call it itself, and calling it again is harmless. Declaring an execution context does not
 * (it adds only the invalid-context rule): a model of contexts alone — IPIs, preemption,
 * interrupts without a lock — gives the rules nothing to judge, and has them only if it calls
 * this.
 */
export function lockdep(sys: System): void {
  sys.registry.get(LOCKDEP).on = true;
  sys.builtin(lockOrder(sys));
  sys.builtin(irqUsage(sys));
  sys.builtin(irqLockOrder(sys));
}

/** Whether lockdep's whole-space rules are on for `sys` (see {@link lockdep}). */
export const lockdepEnabled = (sys: System): boolean => sys.registry.peek(LOCKDEP)?.on === true;
