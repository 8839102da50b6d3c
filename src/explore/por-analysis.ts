/**
 * @internal The static half of the partial-order reduction (`por.ts`): what each step may read
 * and write, which steps are visible to the properties, which close a loop of their actor's
 * program (the cycle proviso), and the dependency tables between a step and every other
 * actor's future steps, and each step's moves (per field it writes, from which value to which,
 * as its runs read and wrote them). Computed once per instance, before the search, by running
 * each step's code once per behaviour over the declared domains (`enumerate.ts`); the
 * stubborn-set selection (`por.ts`) consumes it, state by state, and asks a dependent pair
 * again (with `dependence: 'state'`, `--reduce por-state`) over the values the state at hand narrows its fields to (`dependsWithin`, cached by
 * those values).
 */
import { truth } from '../model/truth.ts';
import { decidedValue, enumerate, overlaid, restrict } from './enumerate.ts';
import { commutes } from './commute.ts';
import { Successors } from './successors.ts';
import { stepInfos } from './steps.ts';
import { settle } from './semantics.ts';
import { SlotState } from '../state/slot-state.ts';
import type { Cont } from '../model/compile.ts';
import type { Instance } from '../state/instance.ts';

/** Behaviours a piece of code may have before it is assumed to read and write everything (a few seconds of runs at most). */
const LIMIT = 1 << 19;
/** Rounds a field's reachable values may grow in before it is taken over its declared domain, besides one per actor. */
const WIDEN = 4;
/** Behaviours of a pair of steps (both orders) before they are assumed not to commute. */
const PAIR_LIMIT = 1 << 12;
/** A slot's value before a step that wrote it without reading it whole (any value). */
const ANY = -0x80000000;

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
  /** Per edge: the slots its step (or its guard) may read, what a blocked actor's wait-for relation reads included. */
  readonly reads: readonly Uint32Array[];
  /** Per edge: the slots its step may write. */
  readonly writes: readonly Uint32Array[];
  /** Per edge: the slots its guard (and its wait-for relation) may read. */
  readonly guards: readonly Uint32Array[];
  /** Per edge: visible whatever has been witnessed (it may change an `always` predicate or violate a `transition` property). */
  readonly visible: Uint8Array;
  /** Per edge: the `sometimes` properties (bit i) whose value it may change. */
  readonly witnesses: Int32Array;
  /** Per edge: 1 if it is a back edge of its actor's program (the cycle proviso). */
  readonly sticky: Uint8Array;
  /** Per sticky edge: the resting points it goes back to (a step that goes on forward closes no loop). */
  readonly closing: readonly (ReadonlySet<number> | undefined)[];
  /** Per actor: where its resting points (and its end) start in the dependency tables' columns. */
  readonly pcBase: Int32Array;
  /**
   * Per edge, per (actor, pc) column: some future step of that actor depends on the edge's step
   * (the edge enabled). Computed the first time a state asks (a pair's commutation check costs
   * runs of both steps; most columns are never asked), the same answer whoever asks first.
   */
  readonly dependent: (e: number, column: number) => boolean;
  /**
   * Per edge, per (actor, pc) column: some future step of that actor can enable the edge (make
   * its guard true where it is false, or change what its wait-for sets read): the edge disabled.
   */
  readonly enabling: (e: number, column: number) => boolean;
  /** Per edge, per (actor, pc) column: a step *at* that resting point (not later) depends on the edge's step (lazy, as `dependent`). */
  readonly dependentAt: (e: number, column: number) => boolean;
  /** Per edge, per (actor, pc) column: a step at that resting point (not later) can enable the edge (as `enabling`). */
  readonly enablingAt: (e: number, column: number) => boolean;
  /** Per (actor, pc) column: the resting points (of the same actor) its steps may lead to; the end left out. */
  readonly nextAt: readonly Int32Array[];
  /** Per (actor, pc) column: 1 if every arm there has a guard (the only places an actor can be held until others move). */
  readonly guarded: Uint8Array;
  /**
   * Actor b on its way from resting point q to resting point r: may a step it takes before it
   * rests at r (on a path of its program from q that does not pass r) write what the guards of
   * r's arms read? (lazy)
   */
  readonly touchesOnTheWay: (b: number, q: number, r: number) => boolean;
  /** Whether the stubborn sets follow an actor only as far as it can go while the set does not move (`enabling: 'necessary'`). */
  readonly held: boolean;
  /**
   * Per edge: the other actors (a mask) with some step that writes what it reads or writes, or
   * reads what it writes: the only ones `dependent`/`dependentAt` can name (a pair on disjoint
   * fields is independent); and those with some step that writes what its guard or wait-for
   * sets read: the only ones `enabling`/`enablingAt` can.
   */
  readonly touchedBy: Int32Array;
  readonly enabledBy: Int32Array;
  /** Per actor, per resting point: every arm blocks on a resource (the only places an actor can sit in a wait-for cycle). */
  readonly cyclic: readonly (readonly boolean[])[];
  /** Whether the stubborn sets judge a dependent pair again in the state at hand (`dependence: 'state'`). */
  readonly inState: boolean;
  /**
   * Per (actor, pc) column: its loop, the strongly connected part of the actor's program (a
   * resting point on no loop has one of its own; the end too). A step between two loops goes
   * forward in the program for good; one within a loop may come back.
   */
  readonly loopOf: Int32Array;
  /** The cycle proviso (`PorOptions.proviso`): with `visited`, the stubborn sets leave it to the search (`sticky` is not asked). */
  readonly proviso: 'static' | 'visited';
  /** Per slot: the values it can have in a reachable state (undefined: its declared domain). */
  readonly valuesOf: (slot: number) => Int32Array | undefined;
  /**
   * Per (actor, pc) column, per slot: the changes of the slot's value the actor's future steps
   * (from that resting point on) may make — `from` a value to values, and `any`: values it may
   * write whatever the slot held (a step that writes it without reading it whole); undefined
   * if none of them writes it; `opaque` if one of them has too many behaviours to know. `here`:
   * the steps at that resting point only.
   */
  readonly movesOf: (column: number, slot: number, here?: boolean) => Moves | undefined | 'opaque';
  /** Can step f (another actor's) enable step e (as `enabling`, for the one step)? */
  readonly enables: (f: number, e: number) => boolean;
  /**
   * Are e (enabled, in the set) and f (left out) dependent, `depends` asked again over the
   * states where each field has one of the values `within` gives (undefined: any reachable
   * value)? Only asked of pairs `depends` calls dependent; cached by the values given.
   */
  readonly dependsWithin: (e: number, f: number, within: (slot: number) => Narrowed | undefined) => boolean;
  /** Can f enable e (disabled, in the set) in a state where each field has one of the values `within` gives? (as `dependsWithin`) */
  readonly enablesWithin: (f: number, e: number, within: (slot: number) => Narrowed | undefined) => boolean;
  /** The one `Narrowed` of `slot` and these `values` (sorted): equal narrowings are the same object, with one id. */
  readonly narrowing: (slot: number, values: Int32Array) => Narrowed;
  /** Step `e` enabled, can step `f` of another actor not be moved before it (for diagnostics: `bench/por-pairs.ts`)? */
  readonly depends: (e: number, f: number) => boolean;
  /** Pairs (e, f) checked so far that touch a common field written by one of them, and of those, how many commute. */
  readonly pairs: () => { readonly touching: number; readonly commuting: number };
}

export interface PorOptions {
  readonly deadlock: boolean;
  /**
   * `commuting` (default): two steps that write a field both touch are still independent if
   * they commute (`commute` below); `disjoint`: only steps that touch disjoint fields are (the
   * rule before commuting writes, kept for the benchmark's before-and-after table).
   */
  readonly independence?: 'commuting' | 'disjoint';
  /**
   * `reachable` (default): code is run over the values each field can have in a reachable
   * state (`reachableValues`); `declared`: over the declared domains (the rule before, kept for
   * the benchmark's table; and with symmetry, whose representatives rename actors' values).
   */
  readonly domains?: 'reachable' | 'declared';
  /**
   * `necessary` (default): a disabled step of a set needs only the actors that can enable it
   * (`canEnable`), and an actor held at a resting point of its way until the set moves is not
   * followed past it (`por.ts`); `fields`: every actor that may write what its guard reads,
   * along its whole future (the rule before, kept for the benchmark's table).
   */
  readonly enabling?: 'necessary' | 'fields';
  /**
   * `static` (default): the tables alone, dependence over every reachable state; `state` (with
   * `enabling: 'necessary'`; `--reduce por-state`): a pair of steps dependent over every
   * reachable state is asked again over the states the steps the set leaves out can lead to
   * from the state at hand (`por.ts`): fewer states where actors share locks, several times the
   * cost per state (dio-ring n=5, 0.2% fewer states, about 9x the time of the search).
   */
  readonly dependence?: 'state' | 'static';
  /**
   * The cycle proviso (`por.ts`). `static` (default): a set holding an enabled step that closes
   * a loop of its actor's program is expanded fully. `visited` (`--reduce por-state`'s): a set is
   * not used if a step of it that stays within a loop of its actor's program (`loopOf`) leads to
   * a state the search numbered no later than this one, which the search checks (`part.ts`: one
   * part, the visited set keeping each state's id).
   */
  readonly proviso?: 'static' | 'visited';
}

/** A slot's values narrowed (sorted); made by `Analysis.narrowing`, one object per slot and values (`id`, from 1, names it in caches). */
export interface Narrowed {
  readonly values: Int32Array;
  readonly id: number;
}

/** What a slot may become under some steps: from a value, to values; `any`: to values whatever it held. */
export interface Moves {
  readonly from: ReadonlyMap<number, readonly number[]>;
  readonly any: readonly number[];
  /** Names these moves (for caches). */
  readonly id: number;
}

/** The read and write sets, visibility and proviso of every step of `inst`, and the dependency tables built from them. */
export function analyse(inst: Instance, opts: PorOptions): Analysis {
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
  const reachable = opts.domains !== 'declared' ? reachableValues(inst, succ, at) : undefined;
  restrict(succ, reachable);
  // the same pair asked again over fewer states (`dependence: 'state'`): those where each field has a value `within` gives
  const inState = opts.enabling !== 'fields' && opts.dependence === 'state';
  /** Per edge, per slot it writes: from (the value its run read, or ANY) to the values written (kept only for `inState`). */
  const changes: Map<number, Map<number, Set<number>>>[] = [];

  const reads: Uint32Array[] = [], writes: Uint32Array[] = [], guards: Uint32Array[] = [];
  /** Per edge: too many behaviours to enumerate; what a transition property reads through it. */
  const opaque = new Uint8Array(E), transReads: Uint32Array[] = [];
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
    const moved = new Map<number, Map<number, Set<number>>>();
    changes.push(moved);
    const runs = enumerate(succ, at(e), (v) => {
      const t = fire(e, v);
      if (t === undefined) return null;
      const w = sc.writesOf(t);
      if (inState) for (let k = 0; k < w.length; k += 2) {
        const slot = w[k]!, from = decidedValue(succ, slot) ?? ANY;
        let m = moved.get(slot);
        if (m === undefined) moved.set(slot, m = new Map());
        let tos = m.get(from);
        if (tos === undefined) m.set(from, tos = new Set());
        tos.add(w[k + 1]!);
      }
      return w;
    }, LIMIT);
    const r = observedBy(runs), w = runs === undefined ? S.all() : S.empty();
    for (const run of runs ?? []) for (let k = 0; k < (run.value?.length ?? 0); k += 2) S.add(w, run.value![k]!);
    guards.push(edge.when === undefined ? S.empty() : observedBy(enumerate(succ, at(e), (v) => truth(edge.when!(v), 'the guard'), LIMIT)));
    if (runs === undefined) { visible[e] = 1; opaque[e] = 1; }
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
    const tr = S.empty();
    for (const p of trans) {
      const bad = enumerate(succ, at(e), (v) => { const after = fire(e, v); return after !== undefined && !p({ before: v, step: infos[e]!, after }); }, LIMIT);
      if (bad === undefined || bad.some((x) => x.value === true)) visible[e] = 1;
      S.or(tr, observedBy(bad));
    }
    S.or(r, tr);
    reads.push(r); writes.push(w); transReads.push(tr);
  }
  // what a blocked actor's wait-for relation reads counts as read by its steps (and by their guards)
  const stuck: Uint32Array[] = [], waitReads: Uint32Array[] = [], guardReads: Uint32Array[] = [];
  for (let e = 0; e < E; e++) {
    const edge = inst.edges[e]!, me = edge.actor, wf = S.empty();
    if (opts.deadlock) for (const res of edge.blocksOn) {
      const runs = enumerate(succ, at(e), (v) => res.waitsFor(v, me), LIMIT);
      S.or(wf, observedBy(runs));
    }
    const w = S.empty(), g = S.empty();
    S.or(w, wf); S.or(g, guards[e]!);
    waitReads.push(w); guardReads.push(g);
    S.or(wf, guards[e]!);
    S.or(reads[e]!, wf); S.or(guards[e]!, wf);
    stuck.push(wf);
  }

  // per actor and pc: what the actor's future steps may read and write
  const pcBase = new Int32Array(inst.actors.length + 1);
  inst.actors.forEach((a, i) => { pcBase[i + 1] = pcBase[i]! + a.end + 1; });
  const P = pcBase[inst.actors.length]!;
  const futW: Uint32Array[] = [], futE: number[][] = [], stuckAt: Uint32Array[] = [];
  const sticky = new Uint8Array(E);
  /** Per sticky edge: the resting points it goes back to (a step that goes on forward closes no loop). */
  const closing: (Set<number> | undefined)[] = [];
  const loops: number[] = [];
  let loopBase = 0;
  const nextAt: Int32Array[] = [], guardsAt: Uint32Array[] = [], writesAt: Uint32Array[] = [];
  for (const a of inst.actors) {
    const next = a.rests.map((r) => r.edges.map((e) => targets(a.conts, e.next)));
    next.forEach((ts) => nextAt.push(Int32Array.from(new Set(ts.flat().filter((q) => q >= 0)))));
    nextAt.push(new Int32Array(0));
    for (const r of [...a.rests, { edges: [] }]) {
      const g = S.empty(), w = S.empty();
      for (const e of r.edges) { S.or(g, guards[e.id]!); S.or(w, writes[e.id]!); }
      guardsAt.push(g); writesAt.push(w);
    }
    for (const [pc] of a.rests.entries()) {
      const fw = S.empty(), fe: number[] = [], seen = new Set([pc]), todo = [pc];
      while (todo.length) {
        const p = todo.pop()!;
        a.rests[p]!.edges.forEach((e, k) => {
          S.or(fw, writes[e.id]!); fe.push(e.id);
          for (const q of next[p]![k]!) if (q >= 0 && !seen.has(q)) { seen.add(q); todo.push(q); }
        });
      }
      futW.push(fw); futE.push(fe);
    }
    futW.push(S.empty()); futE.push([]);   // done: no future
    for (const r of a.rests) { const w = S.empty(); for (const e of r.edges) S.or(w, stuck[e.id]!); stuckAt.push(w); }
    stuckAt.push(S.empty());
    const flat = a.rests.flatMap((r) => r.edges);
    for (const [k, to] of backEdges(next, targets(a.conts, a.entry))) { const e = flat[k]!.id; sticky[e] = 1; (closing[e] ??= new Set()).add(to); }
    loops.push(...loopsOf(next).map((l) => l + loopBase)); loops.push(loopBase + next.length);   // the end: a loop of its own
    loopBase += next.length + 1;
  }
  const loopOf = Int32Array.from(loops);

  // step e enabled in the set, can step f of another actor, left out, not be moved before it? Yes if one writes
  // what the other reads or writes, unless they commute (`commute.ts`: guards and effects; the control flow
  // after each must not touch what the other writes, nor write what it reads); a step a transition property
  // reads through must not see another's writes (the property compares its before and after)
  const commuting = opts.independence !== 'disjoint', pair = new Uint8Array(commuting ? E * E : 0);
  /** Per edge, once asked: what the control flow after its effect (branches, assignments, the pc) reads and writes. */
  const contR: Uint32Array[] = [], contW: Uint32Array[] = [];
  const cont = (e: number): void => {
    if (contW[e] !== undefined) return;
    const edge = inst.edges[e]!, act = inst.actors[edge.actor]!, r = S.empty(), w = S.empty();
    S.add(w, act.pcSlot);
    if (edge.staticPc < 0) {
      const runs = enumerate(succ, at(e), (v) => {
        const t = settle(act, v, edge.next) as SlotState, out: number[] = [];
        if (t.gen >= 0) for (let k = 0; k < sc.n; k++) out.push(sc.slot[k]!);
        return out;
      }, LIMIT);
      if (runs === undefined) opaque[e] = 1;
      for (const run of runs ?? []) { for (const x of run.observed) S.add(r, x); for (const x of run.value ?? []) S.add(w, x); }
    }
    contR[e] = r; contW[e] = w;
  };
  /**
   * 0: independent by the field rule; 1: dependent whether or not they commute; 2: dependent
   * unless their guards and effects commute; 3: dependent unless the whole steps (control flow
   * after them included) commute.
   */
  const byFields = (e: number, f: number): number => {
    if (!(S.meets(writes[e]!, reads[f]!) || S.meets(writes[e]!, writes[f]!) || S.meets(reads[e]!, writes[f]!))) return 0;
    if (!commuting || opaque[e] || opaque[f] || S.meets(writes[e]!, transReads[f]!)) return 1;
    cont(e); cont(f);
    if (opaque[e] || opaque[f]) return 1;
    return S.meets(contR[e]!, writes[f]!) || S.meets(contR[f]!, writes[e]!) || S.meets(contW[e]!, reads[f]!) || S.meets(contW[e]!, writes[f]!)
      || S.meets(contW[f]!, reads[e]!) || S.meets(contW[f]!, writes[e]!) ? 3 : 2;
  };
  let touching = 0, commuted = 0;
  const depends = (e: number, f: number): boolean => {
    if (!commuting) return byFields(e, f) !== 0;
    const k = e * E + f;
    if (pair[k] === 0) {
      const c = byFields(e, f);
      let dep = c !== 0;
      if (c !== 0) touching++;
      if (c >= 2) {
        const ee = inst.edges[e]!, ff = inst.edges[f]!;
        const both = new Map([[inst.actors[ee.actor]!.pcSlot, restOf[e]!], [inst.actors[ff.actor]!.pcSlot, restOf[f]!]]);
        if (commutes(succ, ee, ff, both, opts.deadlock, PAIR_LIMIT, [S.meets(guards[e]!, writes[f]!), S.meets(guards[f]!, writes[e]!)], c === 3)) { dep = false; commuted++; }
      }
      pair[k] = dep ? 2 : 1;
    }
    return pair[k] === 2;
  };
  /**
   * Can step f (of another actor) make step e's guard true where it is false (Valmari's
   * necessary enabling set: only such a step can enable e)? Asked of the pair's decision tree
   * (both actors at their steps), a write to what e's wait-for sets read counting as yes (a
   * wait-for cycle must not change under the steps a set leaves out); too many runs, yes. A
   * run where f or the guard throws (a model error) enables nothing: the state f would lead to
   * does not exist (the reduced search reports model errors it meets, not all: see `por.ts`).
   */
  const enabler = new Uint8Array(E * E), necessary = opts.enabling !== 'fields';
  const canEnable = (f: number, e: number): boolean => {
    const k = f * E + e;
    if (enabler[k] === 0) {
      const ee = inst.edges[e]!;
      let yes = S.meets(writes[f]!, guardReads[e]!) || S.meets(writes[f]!, waitReads[e]!);
      if (yes && necessary && ee.when !== undefined && !S.meets(writes[f]!, waitReads[e]!)) yes = enableRuns(f, e);
      enabler[k] = yes ? 2 : 1;
    }
    return enabler[k] === 2;
  };
  /** Is there a state (over the values enumerated) where e's guard is false and f makes it true? */
  const enableRuns = (f: number, e: number): boolean => {
    const ee = inst.edges[e]!, ff = inst.edges[f]!, when = ee.when!;
    const both = new Map([[inst.actors[ee.actor]!.pcSlot, restOf[e]!], [inst.actors[ff.actor]!.pcSlot, restOf[f]!]]);
    const runs = enumerate(succ, both, (v) => {
      try {
        if (when(v) !== false) return false;
        const t = fire(f, v);
        if (t === undefined) return false;
        return overlaid(v, sc.writesOf(t), (x) => when(x) === true);
      } catch {
        return false;
      }
    }, PAIR_LIMIT, (x) => x === true);
    return runs === undefined || runs.some((r) => r.value === true);
  };
  const pairSlots = new Map<number, Int32Array>();
  /** The slots the pair (either step, its guard or wait-for sets) may read or write, but the two actors' pcs (fixed where the pair is asked). */
  const slotsOf = (e: number, f: number): Int32Array => {
    let out = pairSlots.get(e * E + f);
    if (out === undefined) {
      const list: number[] = [], pcs = [inst.actors[inst.edges[e]!.actor]!.pcSlot, inst.actors[inst.edges[f]!.actor]!.pcSlot];
      for (let i = 0; i < S.words; i++) for (let m = (reads[e]![i]! | writes[e]![i]! | reads[f]![i]! | writes[f]![i]!) >>> 0; m !== 0; m &= m - 1) {
        const slot = i * 32 + 31 - Math.clz32(m & -m);
        if (!pcs.includes(slot)) list.push(slot);
      }
      pairSlots.set(e * E + f, out = Int32Array.from(list));
    }
    return out;
  };
  const interned = new Map<string, Narrowed>();
  const narrowing = (slot: number, values: Int32Array): Narrowed => {
    const key = `${slot}:${values.join('.')}`;
    let n = interned.get(key);
    if (n === undefined) interned.set(key, n = { values, id: interned.size + 1 });
    return n;
  };
  /** Answers by a hash of the pair and the ids of the values `within` narrows its fields to (0: none); each entry keeps its key. */
  interface Memo { readonly key: Int32Array; answer?: boolean }
  const dependsMemo = new Map<number, Memo[]>(), enablesMemo = new Map<number, Memo[]>();
  let memoKey = new Int32Array(64);
  /** The memo of the pair under the values `within` narrows its fields to; undefined if it narrows none. */
  const memoOf = (memo: Map<number, Memo[]>, e: number, f: number, within: (slot: number) => Narrowed | undefined): Memo | undefined => {
    const slots = slotsOf(e, f), n = slots.length + 2;
    if (memoKey.length < n) memoKey = new Int32Array(2 * n);
    memoKey[0] = e; memoKey[1] = f;
    let h = Math.imul(e, 0x9e3779b1) ^ f, any = false;
    for (let i = 0; i < slots.length; i++) {
      const id = within(slots[i]!)?.id ?? 0;
      if (id !== 0) any = true;
      memoKey[i + 2] = id; h = Math.imul(h ^ id, 0x85ebca6b) ^ i;
    }
    if (!any) return undefined;
    h &= 0x3fffffff;   // a small integer: a Map hashes those fastest
    let list = memo.get(h);
    if (list === undefined) memo.set(h, list = []);
    outer: for (const m of list) {
      if (m.key.length !== n) continue;
      for (let i = 0; i < n; i++) if (m.key[i] !== memoKey[i]) continue outer;
      return m;
    }
    const m: Memo = { key: memoKey.slice(0, n) };
    list.push(m);
    return m;
  };
  /** Runs `ask` with the enumeration's values narrowed as `within` says for the pair's fields (then restored). */
  const narrowedTo = <T>(e: number, f: number, within: (slot: number) => Narrowed | undefined, ask: () => T): T => {
    const lists = reachable === undefined ? inst.layout.slotName.map(() => undefined as Int32Array | undefined) : reachable.slice();
    for (const slot of slotsOf(e, f)) { const v = within(slot); if (v !== undefined) lists[slot] = v.values; }
    restrict(succ, lists);
    try { return ask(); } finally { restrict(succ, reachable); }
  };
  const dependsWithin = (e: number, f: number, within: (slot: number) => Narrowed | undefined): boolean => {
    const memo = memoOf(dependsMemo, e, f, within);
    if (memo === undefined) return depends(e, f);
    if (memo.answer === undefined) {
      const c = byFields(e, f);
      let dep = c === 1;
      if (c >= 2) {
        const ee = inst.edges[e]!, ff = inst.edges[f]!;
        const both = new Map([[inst.actors[ee.actor]!.pcSlot, restOf[e]!], [inst.actors[ff.actor]!.pcSlot, restOf[f]!]]);
        dep = !narrowedTo(e, f, within, () => commutes(succ, ee, ff, both, opts.deadlock, PAIR_LIMIT, [S.meets(guards[e]!, writes[f]!), S.meets(guards[f]!, writes[e]!)], c === 3));
      }
      memo.answer = dep;
    }
    return memo.answer;
  };
  const enablesWithin = (f: number, e: number, within: (slot: number) => Narrowed | undefined): boolean => {
    const ee = inst.edges[e]!, when = ee.when;
    if (S.meets(writes[f]!, waitReads[e]!) || when === undefined) return canEnable(f, e);
    const memo = memoOf(enablesMemo, e, f, within);
    if (memo === undefined) return canEnable(f, e);
    return memo.answer ??= narrowedTo(e, f, within, () => enableRuns(f, e));
  };
  /** Per (column, here): per slot, the moves (null: none), built at once for every slot; 'opaque' if a step's are unknown. */
  const movesCache = new Map<number, (Moves | null)[] | 'opaque'>();
  let movesIds = 0;
  const movesOf = (col: number, slot: number, here = false): Moves | undefined | 'opaque' => {
    const key = col * 2 + (here ? 1 : 0);
    let bySlot = movesCache.get(key);
    if (bySlot === undefined) {
      const fe = here ? restEdges[col]! : futE[col]!;
      if (fe.some((e) => opaque[e])) bySlot = 'opaque';
      else {
        const from = new Map<number, Map<number, Set<number>>>(), any = new Map<number, Set<number>>();
        for (const e of fe) for (const [x, m] of changes[e]!) for (const [v, tos] of m) {
          const into = v === ANY ? any : (from.get(x) ?? from.set(x, new Map()).get(x)!);
          const k = v === ANY ? x : v;
          let set = into.get(k);
          if (set === undefined) into.set(k, set = new Set());
          for (const t of tos) set.add(t);
        }
        bySlot = inst.layout.slotName.map((_, x) => {
          const f = from.get(x), a = any.get(x);
          return f === undefined && a === undefined ? null : { from: new Map([...(f ?? [])].map(([v, t]) => [v, [...t]])), any: [...(a ?? [])], id: movesIds++ };
        });
      }
      movesCache.set(key, bySlot);
    }
    return bySlot === 'opaque' ? 'opaque' : bySlot[slot] ?? undefined;
  };
  // dependency tables: dep[e][pcBase[b] + q] = some future step of actor b at pc q depends on e (e enabled; 0 not
  // yet known, 1 no, 2 yes); nes[e][...] = some future step of b can enable e (e disabled; the same); nesAt: a step at q
  const dep: Uint8Array[] = [], nes: Uint8Array[] = [], nesAt: Uint8Array[] = [], colActor = new Int32Array(P);
  inst.actors.forEach((_, b) => colActor.fill(b, pcBase[b]!, pcBase[b + 1]!));
  for (let e = 0; e < E; e++) { dep.push(new Uint8Array(P)); nes.push(new Uint8Array(P)); nesAt.push(new Uint8Array(P)); }
  const enabling = (e: number, i: number): boolean => {
    const n = nes[e]!;
    if (n[i] === 0) n[i] = colActor[i] !== inst.edges[e]!.actor && S.meets(guards[e]!, futW[i]!) && futE[i]!.some((f) => canEnable(f, e)) ? 2 : 1;
    return n[i] === 2;
  };
  const restEdges: number[][] = inst.actors.flatMap((a) => [...a.rests.map((r) => r.edges.map((e) => e.id)), []]);
  const enablingAt = (e: number, i: number): boolean => {
    const n = nesAt[e]!;
    if (n[i] === 0) n[i] = colActor[i] !== inst.edges[e]!.actor && S.meets(guards[e]!, writesAt[i]!) && restEdges[i]!.some((f) => canEnable(f, e)) ? 2 : 1;
    return n[i] === 2;
  };
  const depAt: Uint8Array[] = inst.edges.map(() => new Uint8Array(P));
  const dependentAt = (e: number, i: number): boolean => {
    const d = depAt[e]!;
    if (d[i] === 0) d[i] = colActor[i] !== inst.edges[e]!.actor && restEdges[i]!.some((f) => depends(e, f)) ? 2 : 1;
    return d[i] === 2;
  };
  const guarded = Uint8Array.from(restEdges, (es) => (es.length > 0 && es.every((e) => inst.edges[e]!.when !== undefined) ? 1 : 0));
  const onTheWay = new Map<number, boolean>();
  const touchesOnTheWay = (b: number, q: number, r: number): boolean => {
    const base = pcBase[b]!, key = (base + q) * P + base + r;
    let out = onTheWay.get(key);
    if (out === undefined) {
      const w = S.empty(), seen = new Set([q]), todo = q === r ? [] : [q];
      while (todo.length) {
        const p = todo.pop()!;
        S.or(w, writesAt[base + p]!);
        for (const x of nextAt[base + p]!) if (x !== r && !seen.has(x)) { seen.add(x); todo.push(x); }
      }
      out = S.meets(w, guardsAt[base + r]!);
      onTheWay.set(key, out);
    }
    return out;
  };
  const dependent = (e: number, i: number): boolean => {
    const d = dep[e]!;
    // a pair dependent by fields alone settles it before any pair is run
    if (d[i] === 0) d[i] = colActor[i] !== inst.edges[e]!.actor && (futE[i]!.some((f) => pair[e * E + f] === 2 || byFields(e, f) === 1) || futE[i]!.some((f) => depends(e, f))) ? 2 : 1;
    return d[i] === 2;
  };

  const actorR = inst.actors.map(() => S.empty()), actorW = inst.actors.map(() => S.empty());
  for (const edge of inst.edges) { S.or(actorR[edge.actor]!, reads[edge.id]!); S.or(actorW[edge.actor]!, writes[edge.id]!); }
  const touchedBy = new Int32Array(E), enabledBy = new Int32Array(E);
  for (let e = 0; e < E; e++) inst.actors.forEach((_, b) => {
    if (b === inst.edges[e]!.actor) return;
    if (S.meets(writes[e]!, actorR[b]!) || S.meets(writes[e]!, actorW[b]!) || S.meets(reads[e]!, actorW[b]!)) touchedBy[e]! |= 1 << b;
    if (S.meets(guards[e]!, actorW[b]!)) enabledBy[e]! |= 1 << b;
  });
  // resting points where every arm blocks on a resource: the only places an actor can sit in a wait-for cycle
  const cyclic = inst.actors.map((a) => a.rests.map((r) => opts.deadlock && r.edges.length > 0 && r.edges.every((e) => e.blocksOn.length > 0 && e.when !== undefined)));
  return { reads, writes, guards, visible, witnesses, sticky, closing, pcBase, dependent, enabling, dependentAt, enablingAt, nextAt, guarded, touchesOnTheWay, held: necessary, touchedBy, enabledBy, cyclic, depends, inState, loopOf, proviso: opts.proviso ?? 'static', valuesOf: (slot) => reachable?.[slot], movesOf, enables: canEnable, dependsWithin, enablesWithin, narrowing, pairs: () => ({ touching, commuting: commuted }) };
}

/**
 * The values each field can have in a reachable state, as a fixpoint: its initial value, and
 * every value a step may write when run over the values found so far (`enumerate`, each step
 * at its resting point). Every reachable state is within them: the initial one is, and a step
 * from a state within them reads values within them, so what it writes was found. A field
 * whose values grow in more than `WIDEN` rounds and one per actor (a set of actors may gain a
 * member a round; a counter would creep up one value a round) is taken over its declared
 * domain: a superset, so the fixpoint still holds. Undefined (every field over its declared
 * domain) if a step has too many behaviours to run.
 */
export function reachableValues(inst: Instance, succ: Successors, at: (e: number) => Map<number, number>): (Int32Array | undefined)[] | undefined {
  const init = succ.initial().buf, sets = Array.from(init, (v) => new Set([v])), grew = new Int32Array(init.length);
  /** Per field: taken over its declared domain (it kept growing). */
  const wide = new Uint8Array(init.length);
  const lists = (): (Int32Array | undefined)[] => sets.map((s, i) => (wide[i] ? undefined : Int32Array.from(s).sort()));
  for (let changed = true; changed;) {
    changed = false;
    restrict(succ, lists());
    const grown = new Set<number>();
    for (const edge of inst.edges) {
      const runs = enumerate(succ, at(edge.id), (v) => {
        if (succ.fire(edge, v) === undefined) return null;
        const out: number[] = [];
        for (let k = 0; k < succ.sc.n; k++) out.push(succ.sc.slot[k]!, succ.sc.val[k]!);
        return out;
      }, LIMIT);
      if (runs === undefined) { restrict(succ, undefined); return undefined; }
      for (const r of runs) for (let k = 0; k < (r.value?.length ?? 0); k += 2) {
        const slot = r.value![k]!, set = sets[slot]!;
        if (!wide[slot] && !set.has(r.value![k + 1]!)) { set.add(r.value![k + 1]!); grown.add(slot); changed = true; }
      }
    }
    for (const slot of grown) if (++grew[slot]! >= WIDEN + inst.actors.length) wide[slot] = 1;
  }
  restrict(succ, undefined);
  return lists();
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
 * The strongly connected parts of an actor's program (Tarjan's): per resting point, the index
 * of its part (from 0; the end, -1 in `next`, is left out).
 */
function loopsOf(next: readonly (readonly (readonly number[])[])[]): number[] {
  const index = new Int32Array(next.length).fill(-1), low = new Int32Array(next.length), on = new Uint8Array(next.length), of = new Array<number>(next.length).fill(-1);
  const stack: number[] = [];
  let n = 0, parts = 0;
  const visit = (p: number): void => {
    index[p] = low[p] = n++; stack.push(p); on[p] = 1;
    for (const ts of next[p]!) for (const q of ts) {
      if (q < 0) continue;
      if (index[q] === -1) { visit(q); low[p] = Math.min(low[p]!, low[q]!); }
      else if (on[q]) low[p] = Math.min(low[p]!, index[q]!);
    }
    if (low[p] === index[p]) {
      for (;;) { const q = stack.pop()!; on[q] = 0; of[q] = parts; if (q === p) break; }
      parts++;
    }
  };
  for (let p = 0; p < next.length; p++) if (index[p] === -1) visit(p);
  return of;
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
