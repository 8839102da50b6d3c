/**
 * Does a path end in a given violation, and among the shortest counterexamples, which has the
 * fewest context switches (loom's preemption bound, applied after the fact): single steps move
 * to other positions while the reordered path still replays and still ends in the same
 * violation. Never changes the length, so the trace stays a shortest one; deterministic.
 */
import { match } from 'ts-pattern';
import { replay } from '../explore/replay.ts';
import { spinsAt } from '../explore/livelock.ts';
import { Successors } from '../explore/successors.ts';
import { stepInfos } from '../explore/steps.ts';
import { truth } from '../model/truth.ts';
import type { WaitCycle } from '../explore/deadlock.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Path, Verdict } from '../explore/verdict.ts';

/** The context switches on a path: consecutive steps of different actors. */
export const switches = (inst: Instance, p: Path): number => {
  let n = 0;
  for (let i = 1; i < p.length; i++) if (inst.edges[p[i]!]!.actor !== inst.edges[p[i - 1]!]!.actor) n++;
  return n;
};

/** How many times a deadlock is re-checked in its state before it is believed. */
const CONFIRM = 24;

const sameCycle = (a: WaitCycle | undefined, b: WaitCycle | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
/** The same state: every slot equal. */
export const sameState = (a: SlotState, b: SlotState): boolean => a.buf.every((x, i) => x === b.buf[i]);

/**
 * True if the states `views` (the replay of `v`'s path) end in the violation `v` reports: the
 * property fails in the last state (or on the last step), the same deadlock is there, or the
 * lasso's cycle comes back to the state it started from (a livelock's spins, in the state the
 * deadlock rule reports).
 */
export function endsIn(inst: Instance, v: Verdict, views: readonly SlotState[]): boolean {
  const last = views.at(-1)!;
  return match(v)
    .with({ kind: 'deadlock' }, (v) => {
      // a guard that answers at random must not confirm a deadlock by luck: ask it again and again
      const succ = new Successors(inst);
      for (let i = 0; i < CONFIRM; i++) {
        succ.expand(last, () => {});
        const d = succ.deadlock(last);
        if (d === undefined || !sameCycle(d.cycle, v.cycle)) return false;
      }
      return true;
    })
    .with({ kind: 'safety' }, (v) => {
      const prop = inst.properties.find((x) => x.name === v.property)!;
      const where = `property '${prop.name}'`;
      return match(prop)
        .with({ kind: 'transition' }, (p) => views.length > 1 && !truth(p.pred({ before: views.at(-2)!, step: stepInfos(inst)[v.path.at(-1)!]!, after: last }), where))
        .with({ kind: 'always' }, (p) => !truth(p.pred(last), where))
        .with({ kind: 'sometimes' }, { kind: 'leadsTo' }, { kind: 'space' }, () => false)
        .exhaustive();
    })
    .with({ kind: 'liveness' }, (v) => sameState(views[v.loop]!, last))
    // the prefix ends in the deadlock rule's state, and each step of the cycle spins there
    .with({ kind: 'livelock' }, (v) => {
      const at = views[v.loop];
      if (at === undefined || views.length !== v.path.length + 1 || !views.slice(v.loop).every((x) => sameState(x, at))) return false;
      return endsIn(inst, { kind: 'deadlock', property: v.property, path: v.path.slice(0, v.loop), cycle: v.cycle }, [at]) && spinsAt(inst, at, v.cycle).join() === v.path.slice(v.loop).join();
    })
    // the run ends in the transition the analysis named: replayed whole, it is that run
    .with({ kind: 'lockdep' }, (v) => views.length === v.path.length + 1)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, () => false)
    .exhaustive();
}

/**
 * How much work minimisation may do before it settles for the best path found so far: steps
 * replayed, positions tried and bookkeeping, each one unit. Below it (every counterexample of the
 * shipped models, and any of a few thousand steps) the answer is the full search's; above it the
 * path keeps the switches it has not yet removed. The bound keeps a 10^5-step counterexample
 * to seconds, and the answer deterministic (it counts work, not time).
 */
export const MINIMISE_BUDGET = 3_000_000;

/** Units of work between two yields of {@link minimising} (where a signal can stop it). */
const SLICE = 20_000;

export interface Minimised {
  readonly path: Path;
  /** Why minimisation stopped before it was done: the caller's reason (a signal), or the work bound. */
  readonly cut: string | undefined;
}

/** `path` reordered to fewer context switches, ending in the same violation (see {@link minimising}). */
export function fewestSwitches(inst: Instance, v: Verdict, path: Path, budget = MINIMISE_BUDGET): Path {
  const it = minimising(inst, v, path, () => undefined, budget);
  for (;;) { const n = it.next(); if (n.done) return n.value.path; }
}

/**
 * The minimisation in slices: first-improvement hill climbing over single-step moves, in the
 * order (from, to) ascending, restarting after each move (what a plain double loop over every
 * move would find), but only the moves that remove a switch are enumerated (a step moves next
 * to a step of its own actor, or into a gap between two others), and a candidate is replayed
 * only from the first position it changes until its states rejoin the path's. Yields between
 * slices; returns the best path so far when `stopped()` gives a reason or the budget runs out.
 */
export function* minimising(inst: Instance, v: Verdict, path: Path, stopped: () => string | undefined, budget = MINIMISE_BUDGET): Generator<number, Minimised, void> {
  if (v.kind === 'livelock') {
    // the run to the livelock is minimised as the deadlock it ends in; the spins follow from where it ends
    const prefix = path.slice(0, v.loop), r = yield* minimising(inst, { kind: 'deadlock', property: v.property, path: prefix, cycle: v.cycle }, prefix, stopped, budget);
    const end = replay(inst, r.path)?.at(-1), spins = end && spinsAt(inst, end, v.cycle);
    return spins !== undefined && spins.join() === path.slice(v.loop).join() ? { path: [...r.path, ...spins], cut: r.cut } : { path, cut: r.cut };
  }
  const n = path.length, succ = new Successors(inst);
  const best = [...path], actorOf = (id: number): number => inst.edges[id]!.actor;
  const views = replay(inst, best);
  if (views === undefined || n < 3) return { path, cut: undefined };
  let work = n, nextYield = SLICE, moves = 0;
  const spend = function* (units: number): Generator<number, string | undefined, void> {
    work += units;
    if (work > budget) return `minimisation stops at ${budget.toLocaleString('en-US')} units of work`;
    if (work < nextYield) return undefined;
    nextYield = work + SLICE;
    yield work;
    return stopped();
  };
  /** Does `best` with step `i` moved to position `j` (of the path without it) replay and end in `v`? */
  const moved = (i: number, j: number): SlotState[] | undefined => {
    const lo = Math.min(i, j), hi = Math.max(i, j), x = best[i]!, out: SlotState[] = [];
    const at = (k: number): number => (k < lo || k > hi ? best[k]! : j < i ? (k === j ? x : best[k - 1]!) : k === j ? x : best[k + 1]!);
    let s = views[lo]!;
    for (let k = lo; k < n; k++) {
      const next = succ.step(s, inst.edges[at(k)]!);
      if (next === undefined) return undefined;
      out.push((s = next));
      // from here on the candidate is the path itself: same states, same ending
      if (k >= hi && k + 1 < n && sameState(s, views[k + 1]!)) return out;
    }
    const before = out.length > 1 ? out.at(-2)! : views[n - 1]!;
    return endsIn(inst, v, [before, s]) ? out : undefined;
  };
  for (let improved = true; improved;) {
    improved = false;
    const actors = best.map(actorOf);
    const runs = positions(actors);
    const gaps: number[] = [];
    for (let m = 1; m < n; m++) if (actors[m - 1] !== actors[m]) gaps.push(m);
    let why = yield* spend(n);
    for (let i = 0; i < n && !improved && why === undefined; i++) {
      const x = actors[i]!, p = actors[i - 1], q = actors[i + 1];
      // switches removed by taking step i out: 0, 1 or 2
      const removed = i === 0 ? +(x !== q) : i === n - 1 ? +(p !== x) : +(p !== x) + +(x !== q) - +(p !== q);
      why = yield* spend(1);
      if (removed === 0) continue;
      // c: the path without step i; a candidate inserts it at j (0..n-1) between c[j-1] and c[j]
      const c = (k: number): number => actors[k < i ? k : k + 1]!;
      const added = (j: number): number => (j === 0 ? +(x !== c(0)) : j === n - 1 ? +(c(n - 2) !== x) : +(c(j - 1) !== x) + +(x !== c(j)) - +(c(j - 1) !== c(j)));
      for (const j of candidates(i, n, runs.get(x)!, removed === 2 ? gaps : [])) {
        why = yield* spend(1);
        if (why !== undefined) break;
        if (j === i || added(j) >= removed) continue;
        const out = moved(i, j);
        why = yield* spend(out?.length ?? Math.abs(i - j) + 1);
        if (out === undefined) continue;
        const lo = Math.min(i, j);
        const [step] = best.splice(i, 1);
        best.splice(j, 0, step!);
        views.splice(lo + 1, out.length, ...out);
        improved = true;
        moves++;
        break;
      }
    }
    if (why !== undefined) return { path: moves ? best : path, cut: why };
  }
  return { path: moves ? best : path, cut: undefined };
}

/** Each actor's positions on the path, ascending. */
function positions(actors: readonly number[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  actors.forEach((a, k) => { let l = out.get(a); if (l === undefined) out.set(a, (l = [])); l.push(k); });
  return out;
}

/**
 * The insertion points j (ascending, each once) where step i might remove a switch, in the path
 * without it: beside a step of its own actor (`own`), and, when taking it out removed two
 * switches, also the ends and the gaps between two other actors (`gaps`, positions m with a
 * switch between m - 1 and m). Positions of the full path shift down by one past i.
 */
function* candidates(i: number, n: number, own: readonly number[], gaps: readonly number[]): Generator<number, void, void> {
  const inC = (k: number): number => (k < i ? k : k - 1);
  let last = -1;
  const fromOwn = function* (): Generator<number, void, void> {
    for (const k of own) if (k !== i) { yield inC(k); yield inC(k) + 1; }
  }();
  const fromGaps = function* (): Generator<number, void, void> {
    if (gaps.length === 0) return;
    yield 0;
    for (const m of gaps) if (m !== i && m !== i + 1) yield m <= i - 1 ? m : m - 1;
    yield n - 1;
  }();
  let x = fromOwn.next(), y = fromGaps.next();
  while (!x.done || !y.done) {
    let j: number;
    if (y.done || (!x.done && x.value <= y.value)) { j = x.value as number; x = fromOwn.next(); } else { j = y.value; y = fromGaps.next(); }
    if (j > last && j <= n - 1) { last = j; yield j; }
  }
}
