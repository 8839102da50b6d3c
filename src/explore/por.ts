/**
 * @internal Partial-order reduction for safety and deadlock checking (`--reduce por`): in each
 * state the search follows the enabled steps of a *stubborn set* of actors instead of all.
 *
 * Dependencies are inferred, not declared: `enumerate.ts` runs each step's code once per
 * behaviour over the declared domains (the actor's own pc fixed), which gives every field the
 * step may read (R, its guard's G) and write (W) in any state. Model code sees the state only
 * through the state view and answers as a function of what it read (the contract replay
 * holds models to), so these sets are exact over-approximations; code with too many
 * behaviours to enumerate is assumed to read and write everything. Two steps of different
 * actors are independent when neither writes what the other reads or writes: then neither
 * enables, disables or changes the other, and both orders reach the same state.
 *
 * The stubborn set of a state is a set A of actors, closed under: for an enabled step e of an
 * actor in A, every actor whose *future* steps (those reachable from its pc in its program)
 * include one dependent on e; for a disabled step e in A, every actor whose future steps may
 * write what e's guard reads. The search follows the enabled steps of A. This is a strong
 * stubborn set (Valmari): no path of steps outside it can enable, disable or commute badly
 * with a step in it, so every deadlock (a state with no enabled step) stays reachable.
 *
 * Properties are kept by visibility, wait-for cycles by a check on the set, and every step by
 * a cycle proviso:
 * - a step is *visible* if it may change the value of an `always`/`sometimes` predicate (for
 *   each distinct value it writes of what the predicate reads, is there a state the predicate
 *   tells apart from that state with the write?), or may violate a `transition` property (which
 *   then also reads, through the step, what the predicate reads). A set with an enabled visible
 *   step is only used if it holds every enabled step (C2). A `sometimes` predicate stops being
 *   visible from the level after its witness is found (its verdict is settled).
 * - wait-for cycles are stable for the cycle's members as long as no step frees one of them.
 *   Blocked actors outside the set are independent of its steps (their guards' and wait-for
 *   sets' reads count as read); a set is not used if one of its enabled steps, applied to this
 *   state, enables an arm of a blocked actor of the set or takes from an arm's wait-for set an
 *   actor other than its own (`breaks`: exact, since the steps the set leaves out change
 *   neither). Then a cycle that a state reachable in the full graph has is still there after the
 *   steps the reduced search takes instead, as for a deadlock.
 * - cycle proviso for breadth-first search: a step that goes back along a loop of its actor's
 *   program (to the target of a back edge of a depth-first search of the program) closes the
 *   loop; a set holding an enabled step that does so here is expanded fully. Every cycle of
 *   states moves some actor around a loop of its program, so every cycle of the reduced graph
 *   has a fully expanded state: no step is ignored forever.
 * The same set is chosen whatever order states are met in, so worker threads agree.
 */
import { truth } from '../model/truth.ts';
import { enumerate } from './enumerate.ts';
import { Successors } from './successors.ts';
import { stepInfos } from './steps.ts';
import type { Cont } from '../model/compile.ts';
import type { Expander } from './expander.ts';
import type { Instance } from '../state/instance.ts';
import { SlotState } from '../state/slot-state.ts';
import type { State } from '../model/state.ts';

/** Chooses, per state, which of its enabled edges the search follows. */
export interface Reduction {
  /**
   * Of the `n` enabled edges in `ex.edge/leaf[0..n)`, the indices to follow, into `out` (in
   * order); returns how many. `unwitnessed`: bit i set while `sometimes` property i (in the
   * instance's order) has no witness yet, as of the start of the level (once witnessed, a
   * witness needs no visibility: its verdict is settled).
   */
  select(ex: Expander, n: number, out: Int32Array, unwitnessed: number): number;
}

/** Behaviours a piece of code may have before it is assumed to read and write everything (a few seconds of runs at most). */
const LIMIT = 1 << 19;

/** Sets of slots as bit vectors. */
class Slots {
  /** Words of a set. */
  readonly words: number;
  constructor(slots: number) { this.words = Math.max(1, Math.ceil(slots / 32)); }
  empty(): Uint32Array { return new Uint32Array(this.words); }
  all(): Uint32Array { return new Uint32Array(this.words).fill(0xffffffff); }
  add(s: Uint32Array, slot: number): void { s[slot >>> 5]! |= 1 << (slot & 31); }
  or(a: Uint32Array, b: Uint32Array): void { for (let i = 0; i < this.words; i++) a[i]! |= b[i]!; }
  meets(a: Uint32Array, b: Uint32Array): boolean { for (let i = 0; i < this.words; i++) if ((a[i]! & b[i]!) !== 0) return true; return false; }
  has(s: Uint32Array, slot: number): boolean { return ((s[slot >>> 5]! >>> (slot & 31)) & 1) === 1; }
}

/** What the analysis found, per edge and per (actor, pc); exposed for tests and the claims of docs/scale.md. */
export interface Analysis {
  readonly reads: readonly Uint32Array[];
  readonly writes: readonly Uint32Array[];
  readonly guards: readonly Uint32Array[];
  readonly visible: Uint8Array;
  /** Per edge: the `sometimes` properties (bit i) whose value it may change. */
  readonly witnesses: Int32Array;
  readonly sticky: Uint8Array;
}

export interface PorOptions { readonly deadlock: boolean }

export function analyse(inst: Instance, opts: PorOptions): Reduction & { readonly analysis: Analysis } {
  const succ = new Successors(inst), sc = succ.sc, S = new Slots(inst.layout.slots);
  const E = inst.edges.length, infos = stepInfos(inst);
  const restOf = new Int32Array(E);
  for (const a of inst.actors) a.rests.forEach((r, pc) => { for (const e of r.edges) restOf[e.id] = pc; });
  const at = (e: number): Map<number, number> => new Map([[inst.actors[inst.edges[e]!.actor]!.pcSlot, restOf[e]!]]);
  const observedBy = (runs: readonly { observed: readonly number[] }[] | undefined): Uint32Array => {
    if (runs === undefined) return S.all();
    const s = S.empty();
    for (const r of runs) for (const x of r.observed) S.add(s, x);
    return s;
  };
  const fire = (e: number, view: SlotState): SlotState | undefined => succ.fire(inst.edges[e]!, view);

  const reads: Uint32Array[] = [], writes: Uint32Array[] = [], guards: Uint32Array[] = [];
  /** Visible whatever has been witnessed; and, per edge, the `sometimes` properties (bit i) whose value it may change. */
  const visible = new Uint8Array(E), witnesses = new Int32Array(E);
  const preds = inst.properties.filter((p) => p.kind === 'always' || p.kind === 'sometimes');
  let nthSometimes = 0;
  const bit = new Map(preds.map((p) => [p, p.kind === 'sometimes' && nthSometimes < 31 ? nthSometimes++ : -1]));
  /** What each predicate may read, in any state. */
  const predReads = preds.map((p) => observedBy(enumerate(succ, new Map(), (v) => p.pred(v), LIMIT)));
  const trans = inst.properties.flatMap((p) => (p.kind === 'transition' ? [p.pred] : []));
  for (let e = 0; e < E; e++) {
    const edge = inst.edges[e]!;
    // every behaviour of the step: what it reads, and what it writes (slot, value, slot, value, ...)
    const runs = enumerate(succ, at(e), (v) => {
      if (fire(e, v) === undefined) return null;
      const out: number[] = [];
      for (let k = 0; k < sc.n; k++) out.push(sc.slot[k]!, sc.val[k]!);
      return out;
    }, LIMIT);
    const r = observedBy(runs), w = runs === undefined ? S.all() : S.empty();
    for (const run of runs ?? []) for (let k = 0; k < (run.value?.length ?? 0); k += 2) S.add(w, run.value![k]!);
    guards.push(edge.when === undefined ? S.empty() : observedBy(enumerate(succ, at(e), (v) => truth(edge.when!(v), 'the guard'), LIMIT)));
    if (runs === undefined) visible[e] = 1;
    // may the step change a state predicate? Only through what it writes of what the predicate reads:
    // for each distinct such write, is there a state where writing it changes the predicate?
    for (const [i, p] of preds.entries()) {
      if (visible[e]) break;
      const b = bit.get(p)!;
      if (b >= 0 && (witnesses[e]! >>> b) & 1) continue;
      const seen = predReads[i]!, outcomes = new Map<string, number[]>();
      for (const run of runs ?? []) {
        const wr: number[] = [];
        for (let k = 0; k < (run.value?.length ?? 0); k += 2) if (S.has(seen, run.value![k]!)) wr.push(run.value![k]!, run.value![k + 1]!);
        if (wr.length) outcomes.set(wr.join(), wr);
      }
      let changes = false;
      for (const wr of outcomes.values()) {
        const runs2 = enumerate(succ, at(e), (v) => {
          const before = p.pred(v);
          let after = v;
          for (let k = 0; k < wr.length; k += 2) { sc.write(after, wr[k]!, wr[k + 1]!); after = new SlotState(v.buf, sc, sc.gen); }
          return before !== p.pred(after);
        }, LIMIT);
        if (runs2 === undefined || runs2.some((x) => x.value === true)) { changes = true; break; }
      }
      if (changes) { if (b >= 0) witnesses[e]! |= 1 << b; else visible[e] = 1; }
    }
    // may it violate a transition property? what the property reads through it is read by it
    for (const p of trans) {
      const bad = enumerate(succ, at(e), (v) => { const after = fire(e, v); return after !== undefined && !p({ before: v, step: infos[e]!, after }); }, LIMIT);
      if (bad === undefined || bad.some((x) => x.value === true)) visible[e] = 1;
      S.or(r, observedBy(bad));
    }
    reads.push(r); writes.push(w);
  }
  // what a blocked actor's wait-for relation reads counts as read by its steps (and by their guards)
  const stuck: Uint32Array[] = [];
  for (let e = 0; e < E; e++) {
    const edge = inst.edges[e]!, me = edge.actor, wf = S.empty();
    if (opts.deadlock) for (const res of edge.blocksOn) {
      const runs = enumerate(succ, at(e), (v) => res.waitsFor(v, me), LIMIT);
      S.or(wf, observedBy(runs));
    }
    S.or(wf, guards[e]!);
    S.or(reads[e]!, wf); S.or(guards[e]!, wf);
    stuck.push(wf);
  }

  // per actor and pc: what the actor's future steps may read and write
  const pcBase = new Int32Array(inst.actors.length + 1);
  inst.actors.forEach((a, i) => { pcBase[i + 1] = pcBase[i]! + a.end + 1; });
  const P = pcBase[inst.actors.length]!;
  const futR: Uint32Array[] = [], futW: Uint32Array[] = [], stuckAt: Uint32Array[] = [];
  const sticky = new Uint8Array(E);
  /** Per sticky edge: the resting points it goes back to (a step that goes on forward closes no loop). */
  const closing: (Set<number> | undefined)[] = [];
  for (const a of inst.actors) {
    const next = a.rests.map((r) => r.edges.map((e) => targets(a.conts, e.next)));
    for (const [pc] of a.rests.entries()) {
      const fr = S.empty(), fw = S.empty(), seen = new Set([pc]), todo = [pc];
      while (todo.length) {
        const p = todo.pop()!;
        a.rests[p]!.edges.forEach((e, k) => {
          S.or(fr, reads[e.id]!); S.or(fw, writes[e.id]!);
          for (const q of next[p]![k]!) if (q >= 0 && !seen.has(q)) { seen.add(q); todo.push(q); }
        });
      }
      futR.push(fr); futW.push(fw);
    }
    futR.push(S.empty()); futW.push(S.empty());   // done: no future
    for (const r of a.rests) { const w = S.empty(); for (const e of r.edges) S.or(w, stuck[e.id]!); stuckAt.push(w); }
    stuckAt.push(S.empty());
    const flat = a.rests.flatMap((r) => r.edges);
    for (const [k, to] of backEdges(next, targets(a.conts, a.entry))) { const e = flat[k]!.id; sticky[e] = 1; (closing[e] ??= new Set()).add(to); }
  }

  // dependency tables: dep[e][pcBase[b] + q] = some future step of actor b at pc q depends on e (e enabled);
  // nes[e][...] = some future step of b may write what e's guard reads (e disabled)
  const dep: Uint8Array[] = [], nes: Uint8Array[] = [];
  for (let e = 0; e < E; e++) {
    const d = new Uint8Array(P), n = new Uint8Array(P), own = inst.edges[e]!.actor;
    for (let b = 0; b < inst.actors.length; b++) {
      if (b === own) continue;
      for (let q = 0; q <= inst.actors[b]!.end; q++) {
        const i = pcBase[b]! + q, fr = futR[i]!, fw = futW[i]!;
        d[i] = S.meets(writes[e]!, fr) || S.meets(writes[e]!, fw) || S.meets(reads[e]!, fw) ? 1 : 0;
        n[i] = S.meets(guards[e]!, fw) ? 1 : 0;
      }
    }
    dep.push(d); nes.push(n);
  }

  const A = inst.actors.length, pcSlot = Int32Array.from(inst.actors, (a) => a.pcSlot), actorOf = Int32Array.from(inst.edges, (e) => e.actor);
  const edgesAt = inst.actors.map((a) => a.rests.map((r) => Int32Array.from(r.edges, (e) => e.id)));
  // resting points where every arm blocks on a resource: the only places an actor can sit in a wait-for cycle
  const cyclic = inst.actors.map((a) => a.rests.map((r) => opts.deadlock && r.edges.length > 0 && r.edges.every((e) => e.blocksOn.length > 0 && e.when !== undefined)));
  const wfKeys = inst.edges.map((e) => e.blocksOn.map((r) => (s: State): number => { let m = 0; for (const x of r.waitsFor(s, e.actor)) m |= 1 << x; return m; }));
  const wfWhere = inst.edges.map((e) => e.blocksOn.map((r) => `resource ${r.name}`));
  const wfKey = inst.edges.map((e) => e.blocksOn.map((_, k) => `wait-for ${e.id}:${k}`));
  /** Per (edge, resource): 1 for a resource that needs any one of its actors (a completion): gaining one frees the waiter too. */
  const wfAny = inst.edges.map((e) => e.blocksOn.map((r) => r.needs === 'any'));
  const anyFlags: boolean[] = [];
  const on = new Uint8Array(E), pc = new Int32Array(A);
  // per state (stamped): each edge's dependents as an actor mask, each actor's, and what each enabled step breaks
  let stamp = 0;
  const edgeStamp = new Int32Array(E), edgeMask = new Int32Array(E), actorStamp = new Int32Array(A), actorMask = new Int32Array(A);
  const brkStamp = new Int32Array(E), brk = new Int32Array(E);
  const edgeDeps = (e: number): number => {
    if (edgeStamp[e] === stamp) return edgeMask[e]!;
    const t = on[e] ? dep[e]! : nes[e]!;
    let m = 0;
    for (let b = 0; b < A; b++) if (t[pcBase[b]! + pc[b]!]) m |= 1 << b;
    edgeStamp[e] = stamp; edgeMask[e] = m;
    return m;
  };
  const actorDeps = (x: number): number => {
    if (actorStamp[x] === stamp) return actorMask[x]!;
    const es = edgesAt[x]![pc[x]!]!;
    let m = 0;
    for (let k = 0; k < es.length; k++) m |= edgeDeps(es[k]!);
    actorStamp[x] = stamp; actorMask[x] = m;
    return m;
  };
  const closure = (seed: number): number => {
    let mask = 1 << seed, todo = mask;
    while (todo !== 0) {
      const x = 31 - Math.clz32(todo & -todo);
      todo &= todo - 1;
      const more = actorDeps(x) & ~mask;
      mask |= more; todo |= more;
    }
    return mask;
  };
  /** Wait-for sets of actor c's arms at its resting point, as actor masks (memoised per expander). */
  const waitMasks = (ex: Expander, c: number, out: number[]): void => {
    out.length = 0; anyFlags.length = 0;
    for (const e of edgesAt[c]![pc[c]!]!) for (let k = 0; k < wfKeys[e]!.length; k++) {
      out.push(ex.value(wfKey[e]![k]!, wfKeys[e]![k]!, wfWhere[e]![k]!) as number);
      anyFlags.push(wfAny[e]![k]!);
    }
  };
  const before: number[] = [], after: number[] = [], saved: number[] = [];
  /**
   * Which blocked actors (a mask) the enabled step `ex.edge[j]` may free from a wait-for cycle
   * a later state could have. Only a blocked actor of the set can hold such a cycle against the
   * set's steps (the others are independent of them, wait-for sets included); the step breaks
   * it if, in the state it leads to, an arm of that actor is enabled, or an arm's wait-for set
   * lost an actor other than the stepping one (for a resource that needs any one of its actors,
   * a completion, if the set changed at all). Asked on this state and its successor, which is
   * exact: the steps a stubborn set leaves out change neither what its steps read nor what its
   * blocked actors' guards and wait-for sets read. A set with such a step is not used.
   */
  const breaks = (ex: Expander, j: number): number => {
    const e = ex.edge[j]!;
    if (brkStamp[e] === stamp) return brk[e]!;
    const me = actorOf[e]!, cur = ex.cur, { data, start, stop } = ex.writesOf(ex.leaf[j]!);
    let out = 0;
    for (let c = 0; c < A; c++) {
      if (!((ex.blocked >>> c) & 1) || c === me || !cyclic[c]![pc[c]!]) continue;
      waitMasks(ex, c, before);
      const es = edgesAt[c]![pc[c]!]!, notMe = ~(1 << me);
      // every arm must wait on someone other than the stepping actor, or c is in no cycle it could break
      let arms = true;
      for (let i = 0, k = 0; i < es.length && arms; i++) { let any = 0; for (let r = 0; r < wfKeys[es[i]!]!.length; r++) any |= before[k++]! & notMe; arms = any !== 0; }
      if (!arms) continue;
      saved.length = 0;
      for (let k = start; k < stop; k += 2) { saved.push(cur[data[k]!]!); cur[data[k]!] = data[k + 1]!; }
      try {
        let broken = false;
        for (let i = 0; i < es.length && !broken; i++) broken = ex.fires(es[i]!);
        if (!broken) {
          waitMasks(ex, c, after);
          for (let k = 0; k < before.length && !broken; k++) broken = anyFlags[k] ? before[k] !== after[k] : (before[k]! & notMe & ~after[k]!) !== 0;
        }
        if (broken) out |= 1 << c;
      } finally {
        for (let k = stop - 2, m = saved.length - 1; k >= start; k -= 2, m--) cur[data[k]!] = saved[m]!;
      }
    }
    brkStamp[e] = stamp; brk[e] = out;
    return out;
  };
  /** Does the enabled step `ex.edge[j]` go back along a loop of its program (to where its back edge leads)? */
  const closes = (ex: Expander, j: number): boolean => {
    const e = ex.edge[j]!, slot = pcSlot[actorOf[e]!]!, to = closing[e]!, { data, start, stop } = ex.writesOf(ex.leaf[j]!);
    for (let k = start; k < stop; k += 2) if (data[k] === slot) return to.has(data[k + 1]!);
    return false;
  };
  const select = (ex: Expander, n: number, out: Int32Array, unwitnessed: number): number => {
    stamp++;
    for (let b = 0; b < A; b++) pc[b] = ex.cur[pcSlot[b]!]!;
    for (let j = 0; j < n; j++) on[ex.edge[j]!] = 1;
    let best = n, bestMask = 0, tried = 0;
    for (let j = 0; j < n; j++) {
      const seed = actorOf[ex.edge[j]!]!;
      if ((tried >>> seed) & 1) continue;
      tried |= 1 << seed;
      const mask = closure(seed), blocked = ex.blocked & mask;
      let count = 0, hard = false;
      for (let i = 0; i < n && !hard; i++) {
        const e = ex.edge[i]!;
        if (!((mask >>> actorOf[e]!) & 1)) continue;
        count++;
        hard = visible[e] === 1 || (witnesses[e]! & unwitnessed) !== 0 || (sticky[e] === 1 && closes(ex, i)) || (blocked !== 0 && (breaks(ex, i) & blocked) !== 0);
      }
      if (!hard && count < best) { best = count; bestMask = mask; }
    }
    for (let j = 0; j < n; j++) on[ex.edge[j]!] = 0;
    if (best === n) { for (let j = 0; j < n; j++) out[j] = j; return n; }
    let m = 0;
    for (let j = 0; j < n; j++) if ((bestMask >>> actorOf[ex.edge[j]!]!) & 1) out[m++] = j;
    return m;
  };
  return { select, analysis: { reads, writes, guards, visible, witnesses, sticky } };
}

/** The resting points a continuation may lead to (both arms of a branch); -1 for the end. */
function targets(conts: readonly Cont[], c: number): number[] {
  const out = new Set<number>(), seen = new Set<number>(), todo = [c];
  while (todo.length) {
    const x = todo.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    const k = conts[x]!;
    if (k.kind === 'rest') out.add(k.pc);
    else if (k.kind === 'end') out.add(-1);
    else if (k.kind === 'jump') todo.push(k.to);
    else if (k.kind === 'branch') todo.push(k.then, k.else);
    else todo.push(k.next);
  }
  return [...out];
}

/**
 * The back edges of a depth-first search of an actor's program that starts where the actor
 * starts: (index into its edges, rest by rest; the resting point it goes back to). Every loop
 * of the program has one.
 */
function backEdges(next: readonly (readonly (readonly number[])[])[], starts: readonly number[]): [number, number][] {
  const state = new Uint8Array(next.length), out: [number, number][] = [], first: number[] = [];
  let k = 0;
  for (const r of next) { first.push(k); k += r.length; }
  const visit = (p: number): void => {
    state[p] = 1;
    next[p]!.forEach((ts, i) => {
      for (const q of ts) {
        if (q < 0) continue;
        if (state[q] === 1) out.push([first[p]! + i, q]);
        else if (state[q] === 0) visit(q);
      }
    });
    state[p] = 2;
  };
  for (const p of starts) if (p >= 0 && state[p] === 0) visit(p);
  for (let p = 0; p < next.length; p++) if (state[p] === 0) visit(p);
  return out;
}
