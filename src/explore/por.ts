/**
 * @internal Partial-order reduction for safety and deadlock checking (`--reduce por`): in each
 * state the search follows the enabled steps of a *stubborn set* of actors instead of all.
 * In two parts: the analysis of the steps (`por-analysis.ts`: read and write sets, visibility,
 * the cycle proviso's back edges, dependency tables), computed once per instance, and the
 * stubborn-set selection below, which consumes it state by state.
 *
 * Dependencies are inferred, not declared: `enumerate.ts` runs each step's code once per
 * behaviour over the values each field can have in a reachable state (the actor's own pc
 * fixed), which gives every field the step may read (R, its guard's G) and write (W) in any
 * state the search can meet. Those values are a fixpoint (`por-analysis.ts`: the initial
 * state's, and every value a step writes when run over the values found so far): every
 * reachable state is within them, by induction on its path. (Over the declared domains, a step
 * that reads three actor sets has millions of behaviours, and was taken to read and write
 * everything.) Model code sees the state only through the state view and answers as a
 * function of what it read (the contract replay holds models to), so these sets are exact
 * over-approximations; code with too many behaviours to enumerate is assumed to read and
 * write everything. Two steps of different actors are independent when neither writes what
 * the other reads or writes: then neither enables, disables or changes the other, and both
 * orders reach the same state. Steps that do touch a common field are independent all the
 * same when they commute (`commute.ts`: two `down_read`s, two increments, a reader leaving
 * while another joins): checked per pair over the decision tree of both orders, in every state
 * within those values — where the set's step e is enabled, e neither enables nor disables the
 * other step f nor changes f's wait-for sets, and where both are enabled, f leaves e enabled
 * and both orders end in the same state (Godefroid's independence, in the direction the
 * stubborn set uses it); the whole steps are run where the control flow after one touches what
 * the other writes. What follows needs no more than that.
 *
 * The stubborn set of a state is a set A of actors, closed under:
 * - for an enabled step e of an actor in A: every actor b with a step dependent on e that b may
 *   take before a step of A runs (its *way*, below);
 * - for a disabled step e in A: every actor b with a step on its way that can *enable* e —
 *   make e's guard true in a state where it is false (Valmari's necessary enabling set, asked
 *   of the pair over the reachable values), or write what e's wait-for sets read.
 * With `dependence: 'state'` (`--reduce por-state`), a pair the tables call dependent (or enabling) is asked again in the state at hand: over the
 * states where each field the pair touches has one of the values the actors outside A can lead
 * it to from its value here (`within`: the closure of that value under the moves of their
 * future steps, `por-analysis.ts`; a field only A's actors write keeps its value). Every state a
 * path of steps outside A reaches from here is among them, by induction on the path, which is
 * all the argument below asks of "dependent" and "can enable": it is only ever applied to such
 * states. (For a disabled step the values also take one step of each actor of A where it rests:
 * the wait-for check below asks a blocked actor of A after one of them.)
 * The way of b: the steps at its resting point, and at the resting points its program leads to
 * without passing one where b is *held*: a resting point (not b's own) where every arm's guard
 * is false in this state, where no actor outside A has a future step (anywhere along it) that
 * can enable an arm, and where b's own steps on the way there do not write what the arms'
 * guards read. Computed as A grows, with A as it is then (a larger A holds b at more places:
 * the ways only shrink, so the closure over-approximates). The search follows the enabled
 * steps of A.
 *
 * Why that is a strong stubborn set (Valmari), whose steps T are A's steps where its actors
 * rest: take a path w of steps outside T from this state (steps of actors outside A).
 * - Held stays held: the first step of w past a held point r of b would need an arm of r
 *   enabled; its guards were false here, and no earlier step of w can enable them (steps of
 *   actors outside A cannot, by the choice of r; b's own steps before r do not touch them), so
 *   by induction b never passes r along w. Every step of w is on its actor's way.
 * - D2: a disabled step e of T stays disabled along w: no step of w can make its guard true
 *   from false (none of them is on the way of an actor that can enable e, else that actor
 *   would be in A), so by induction its guard stays false; nor do they write what its wait-for
 *   sets read.
 * - D1: an enabled step e of T and w: every step of w is independent of e (on its actor's way,
 *   so not dependent on e), so e stays enabled along w and e·w reaches the state w·e does.
 * With D0 (the set has an enabled step: it is seeded by one), every deadlock (a state with no
 * enabled step) stays reachable.
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
 *   steps the reduced search takes instead, as for a deadlock. With commuting steps the left-out
 *   steps may change what a set's step reads, and with necessary enabling sets what a blocked
 *   actor's guard reads (never making it true), but not what its wait-for sets read. So for a
 *   set's step e and a left-out path w: the wait-for sets after w·e are those after e·w (D1),
 *   which are those after e (w does not touch them); and if e enables the blocked actor after
 *   w, its guard is true after w·e = e·w, so it was after e (w cannot make it true): a break
 *   after w is one `breaks` sees here. The blocked actors outside the set are independent of
 *   the set's steps as before: an actor's way always holds its resting point.
 * - cycle proviso (C3: every cycle of the reduced graph has a fully expanded state, so no step
 *   is ignored forever), one of two (`PorOptions.proviso`):
 *   - `static` (`--reduce por`): a step that goes back along a loop of its actor's program (to
 *     the target of a back edge of a depth-first search of the program) closes the loop; a set
 *     holding an enabled step that does so here is expanded fully. Every cycle of states moves
 *     some actor around a loop of its program, so every cycle of the reduced graph has a fully
 *     expanded state. The same set is chosen whatever order states are met in, so worker
 *     threads agree.
 *   - `visited` (`--reduce por-state`): a set is not used if one of its steps stays within a
 *     loop of its actor's program (a strongly connected part: `Analysis.loopOf`) and leads to a
 *     state the search has already numbered no later than this one (`part.ts`); the next set is
 *     tried (`select`'s `revisits`), else the state is expanded fully. Order the states by
 *     (f, id): f the sum over the actors of the topological rank, in the actor's program with
 *     each loop taken as one point, of the loop it rests in; id the number BFS gives it. A step
 *     between two loops raises f; one within a loop keeps f, and leads up if its target's id is
 *     larger (a state not yet numbered gets a larger id). So every edge out of a reduced state
 *     goes up, and a cycle, which cannot go up all around, has a fully expanded state. (Bošnački,
 *     Leue and Lafuente's BFS proviso, "Partial-order reduction for general state exploring
 *     algorithms", STTT 2009, orders by BFS level alone: every reconvergence on a shorter path
 *     then expands fully, which costs more states than the static rule on dio-mmap; ordering by
 *     f first leaves the steps between loops alone.) Ids are assigned in BFS order, and the
 *     states numbered up to this one are the same in any run, so the set chosen is too; but
 *     each lookup asks the whole visited set, which only a search in one thread holds.
 */
import { analyse, type Analysis, type Moves, type Narrowed, type PorOptions } from './por-analysis.ts';
import type { Expander } from './expander.ts';
import type { Instance } from '../state/instance.ts';
import type { State } from '../model/state.ts';

/** Chooses, per state, which of its enabled edges the search follows. */
export interface Reduction {
  /**
   * Of the `n` enabled edges in `ex.edge/leaf[0..n)`, the indices to follow, into `out` (in
   * order); returns how many. `unwitnessed`: bit i set while `sometimes` property i (in the
   * instance's order) has no witness yet, as of the start of the level (once witnessed, a
   * witness needs no visibility: its verdict is settled). `revisits` (the visited proviso):
   * told a set's edges (indices in `sel[0..m)`), whether one leads back (the set is then not
   * used: another is tried, else every edge is followed).
   */
  select(ex: Expander, n: number, out: Int32Array, unwitnessed: number, revisits?: (sel: Int32Array, m: number) => boolean): number;
  /**
   * The cycle proviso: `static`, the sets `select` gives already have it; `visited`, the search
   * passes `revisits` to `select`: a set with a step that `stays` within a loop and leads to a
   * state numbered no later than this one is not used (`part.ts`).
   */
  readonly proviso: 'static' | 'visited';
  /** Does the enabled edge `ex.edge[j]` stay within a loop of its actor's program (`Analysis.loopOf`)? */
  stays(ex: Expander, j: number): boolean;
}

/**
 * For diagnostics (`bench/por-pairs.ts`): told, as a set grows, that step `e` (enabled or not)
 * of an actor in it brings in actor `b`, because of b's steps at its resting point `rest`.
 */
export type Explain = (e: number, b: number, rest: number, enabled: boolean) => void;

/** The partial-order reduction of `inst`: its analysis (`por-analysis.ts`), and the stubborn sets chosen from it. */
export function partialOrder(inst: Instance, opts: PorOptions): Reduction {
  return stubbornSets(inst, analyse(inst, opts));
}

/**
 * The stubborn-set selection over an analysis of `inst`: per state, the smallest set (by its
 * enabled steps) closed under the dependency tables from each enabled actor, unless it holds a
 * visible step, a step that closes a loop, or one that breaks a wait-for cycle of its blocked
 * actors; else every enabled step.
 */
export function stubbornSets(inst: Instance, analysis: Analysis, explain?: Explain): Reduction {
  const { visible, witnesses, sticky, closing, pcBase, dependent, enabling: nes, dependentAt, enablingAt, nextAt, guarded, touchesOnTheWay, touchedBy, enabledBy, cyclic } = analysis, E = inst.edges.length;
  const staticProviso = analysis.proviso === 'static';
  const A = inst.actors.length, pcSlot = Int32Array.from(inst.actors, (a) => a.pcSlot), actorOf = Int32Array.from(inst.edges, (e) => e.actor);
  const edgesAt = inst.actors.map((a) => a.rests.map((r) => Int32Array.from(r.edges, (e) => e.id)));
  const wfKeys = inst.edges.map((e) => e.blocksOn.map((r) => (s: State): number => { let m = 0; for (const x of r.waitsFor(s, e.actor)) m |= 1 << x; return m; }));
  const wfWhere = inst.edges.map((e) => e.blocksOn.map((r) => `resource ${r.name}`));
  const wfKey = inst.edges.map((e) => e.blocksOn.map((_, k) => `wait-for ${e.id}:${k}`));
  /** Per (edge, resource): 1 for a resource that needs any one of its actors (a completion): gaining one frees the waiter too. */
  const wfAny = inst.edges.map((e) => e.blocksOn.map((r) => r.needs === 'any'));
  const anyFlags: boolean[] = [];
  const on = new Uint8Array(E), pc = new Int32Array(A);
  // per state (stamped): each edge's dependents as an actor mask (and of them those it surely depends on), each actor's,
  // and what each enabled step breaks
  let stamp = 0;
  const edgeStamp = new Int32Array(E), edgeMask = new Int32Array(E), edgeSure = new Int32Array(E), actorStamp = new Int32Array(A), actorMask = new Int32Array(A), actorSure = new Int32Array(A);
  const brkStamp = new Int32Array(E), brk = new Int32Array(E);
  /** Per actor in this state: 1 if its way surely goes on past where it rests (it has an enabled step there, or no guard). */
  const passes = new Uint8Array(A);
  /**
   * Per edge e (lazily), per (e enabled or not, column i of actor b, b passes i or not): bit 2 if
   * a step of b's future from i depends on e (or can enable it: `dependent`, `enabling`); bit 4
   * if one does surely: at i, or (passing i) past unguarded resting points only. Those are on b's
   * way whatever the state and the set (only a guarded point can hold b, and b passes its
   * resting point where it has an enabled step): `refine` keeps b then without a walk, and a
   * closure over these alone is a lower bound of the set (`tooBig`). Bit 1: known.
   */
  const table: (Uint8Array | undefined)[] = new Array(E);
  const fill = (e: number, b: number, pass: number): number => {
    const base = pcBase[b]!, from = pc[b]!, at = (q: number): boolean => (on[e] ? dependentAt(e, base + q) : enablingAt(e, base + q));
    if (!(on[e] ? dependent(e, base + from) : nes(e, base + from))) return 1;
    let sure = at(from);
    const seen = new Set([from]), next = pass ? [from] : [];
    while (!sure && next.length) for (const q of nextAt[base + next.pop()!]!) if (!seen.has(q) && !guarded[base + q]) { seen.add(q); if ((sure = at(q))) break; next.push(q); }
    return sure ? 7 : 3;
  };
  const edgeDeps = (e: number): number => {
    if (edgeStamp[e] === stamp) return edgeMask[e]!;
    const t = (table[e] ??= new Uint8Array(pcBase[A]! * 4)), o = on[e]!;
    let m = 0, sure = 0;
    for (let c = o ? touchedBy[e]! : enabledBy[e]!; c !== 0; c &= c - 1) {
      const b = 31 - Math.clz32(c & -c), k = ((pcBase[b]! + pc[b]!) * 2 + o) * 2 + passes[b]!;
      let v = t[k]!;
      if (v === 0) v = t[k] = fill(e, b, passes[b]!);
      if (v & 2) m |= 1 << b;
      if (v & 4) sure |= 1 << b;
    }
    edgeStamp[e] = stamp; edgeMask[e] = m; edgeSure[e] = sure;
    return m;
  };
  const actorDeps = (x: number): number => {
    if (actorStamp[x] === stamp) return actorMask[x]!;
    const es = edgesAt[x]![pc[x]!]!;
    let m = 0, sure = 0;
    for (let k = 0; k < es.length; k++) { m |= edgeDeps(es[k]!); sure |= edgeSure[es[k]!]!; }
    actorStamp[x] = stamp; actorMask[x] = m; actorSure[x] = sure;
    return m;
  };
  /** The actors actor x's steps here surely bring into a set (bit 4 of `table`), as a mask. */
  const sureDeps = (x: number): number => { actorDeps(x); return actorSure[x]!; };
  // per state: is edge e's guard false here (for an actor resting elsewhere too)
  const guardStamp = new Int32Array(E), guardOff = new Uint8Array(E);
  const guardKey = inst.edges.map((e) => `guard ${e.id}`), guardWhere = inst.edges.map((e) => `the guard of ${e.label}`);
  const guardFn = inst.edges.map((e) => (s: State): boolean => { try { return e.when === undefined || e.when(s) !== false; } catch { return true; } });
  const falseHere = (ex: Expander, e: number): boolean => {
    if (guardStamp[e] !== stamp) { guardStamp[e] = stamp; guardOff[e] = on[e] ? 0 : ex.value(guardKey[e]!, guardFn[e]!, guardWhere[e]!) === false ? 1 : 0; }
    return guardOff[e] === 1;
  };
  // per state (stamped), per (actor, pc) column r: may its actor be held at r (`held`: every arm's guard false
  // here, none written on the way from where it rests), and then which actors' futures may enable an arm
  const holdStamp = new Int32Array(pcBase[A]!), canHold = new Uint8Array(pcBase[A]!), holdWr = new Int32Array(pcBase[A]!);
  /**
   * Is actor b, on its way, held at its resting point r until a step of the set `mask` runs?
   * Every arm's guard is false now, and nothing that moves while the set does not may write
   * what they read: no actor outside the set (from where it rests), nor b itself before it
   * rests at r.
   */
  const held = (ex: Expander, b: number, r: number, mask: number): boolean => {
    const i = pcBase[b]! + r;
    if (!guarded[i]) return false;
    if (holdStamp[i] !== stamp) {
      const es = edgesAt[b]![r]!;
      let can = 1, w = 0;
      for (let k = 0; k < es.length && can; k++) can = falseHere(ex, es[k]!) ? 1 : 0;
      if (can && touchesOnTheWay(b, pc[b]!, r)) can = 0;
      for (let k = 0; k < es.length && can; k++) w |= edgeDeps(es[k]!);   // its arms are disabled: the actors that can enable them
      holdStamp[i] = stamp; canHold[i] = can; holdWr[i] = w;
    }
    if (canHold[i] === 0) return false;
    sens |= holdWr[i]! & ~(1 << b);
    return (holdWr[i]! & ~mask & ~(1 << b)) === 0;
  };
  // per closure: the set as it was when each actor was first asked about (its way is taken with that set)
  let cstamp = 0, wstamp = 0, sens = 0;
  const firstStamp = new Int32Array(A), firstMask = new Int32Array(A), seenAt = new Int32Array(pcBase[A]!);
  const most = Math.max(1, ...inst.actors.map((a) => a.end + 1)), way = new Int32Array(most), todo = new Int32Array(most);
  const rel = new Int32Array(Math.max(1, ...edgesAt.flatMap((r) => r.map((es) => es.length))));
  let nWay = 0, nRel = 0;
  // per state (stamped), per pair (x, b): does a step of x here depend on one on b's way, and the actors whose being in
  // the set or not decided where b was held on the walk (`sens`): the answer holds for every set that has the same of them
  // (with dependence in the state at hand, the answer is for the set it was asked with: `pairMask`)
  const pairStamp = new Int32Array(A * A), pairKeep = new Uint8Array(A * A), pairSens = new Int32Array(A * A), pairIn = new Int32Array(A * A), pairMask = new Int32Array(A * A);
  /** Per edge (lazily), per (e enabled or not, column): bit 2 a step there depends on e (or can enable it: `dependentAt`, `enablingAt`), bit 4 one there or after it (`dependent`, `enabling`); bit 1 known. */
  const hitTable: (Uint8Array | undefined)[] = new Array(E);
  /** The state and the set a walk asks for (`inStateAt` judges a dependence at a point in them). */
  let hitEx: Expander | undefined, hitMask = 0;
  /**
   * Does a step `rel[k]` (of the set) depend on (or, disabled, can it be enabled by) a step of
   * actor b at its resting point r (in this state, for the set `hitMask`: `inStateAt`), or
   * (`later`) may one after it (over every reachable state: a superset, to prune the walk)?
   */
  const hits = (b: number, r: number, later: boolean): boolean => {
    const i = pcBase[b]! + r;
    for (let k = 0; k < nRel; k++) {
      const e = rel[k]!, t = (hitTable[e] ??= new Uint8Array(pcBase[A]! * 2)), j = i * 2 + on[e]!;
      let v = t[j]!;
      if (v === 0) v = t[j] = 1 | ((on[e] ? dependentAt(e, i) : enablingAt(e, i)) ? 2 : 0) | ((on[e] ? dependent(e, i) : nes(e, i)) ? 4 : 0);
      if (v & (later ? 4 : 2) && (later || inStateAt(hitEx!, e, b, r, hitMask, on[e] === 1))) return true;
    }
    return false;
  };
  /**
   * Actor b's way while the set does not move: where it rests (always: its steps there are what
   * the wait-for check counts on), and the resting points its program leads to without passing
   * one where it is held (`held`), with the set as it was when b was first asked about in this
   * closure (a larger set holds b at more places: this over-approximates). With `find`, whether
   * a step of `rel` depends on one on the way: the walk stops at the first, and skips the points
   * after which none can (`dependent`/`enabling` cover a point's whole future, the way a part
   * of it); else the whole way, into `way`, in the order of the walk.
   */
  const walk = (ex: Expander, b: number, find: boolean): boolean => {
    const base = pcBase[b]!, from = pc[b]!, mask = firstMask[b]!;
    let n = 0;
    nWay = 0; todo[n++] = from;
    seenAt[base + from] = ++wstamp;
    while (n > 0) {
      const r = todo[--n]!;
      if (find && r === from && hits(b, r, false)) return true;
      const stop = analysis.held && held(ex, b, r, mask);
      if (r !== from && !stop) { if (find) { if (hits(b, r, false)) return true; } else way[nWay++] = r; }
      else if (r === from && !find) way[nWay++] = r;
      if (stop) continue;
      for (const q of nextAt[base + r]!) if (seenAt[base + q] !== wstamp) { seenAt[base + q] = wstamp; if (!find || hits(b, q, true)) todo[n++] = q; }
    }
    return false;
  };
  /** Of the actors `cand` that actor x's steps here may depend on (by their whole futures), those they do depend on, up to where each is held. */
  const refine = (ex: Expander, x: number, cand: number, mask: number): number => {
    const es = edgesAt[x]![pc[x]!]!;
    let keep = 0;
    for (let c = cand; c !== 0; c &= c - 1) {
      const b = 31 - Math.clz32(c & -c), bit = 1 << b, base = pcBase[b]!, k = x * A + b;
      if (firstStamp[b] !== cstamp) { firstStamp[b] = cstamp; firstMask[b] = mask; }
      if (explain === undefined) {
        // a sure dependence is static: with dependence in the state at hand, the walk asks at each point
        if (!inState && sureDeps(x) & bit) { keep |= bit; continue; }
        if (pairStamp[k] !== stamp || (firstMask[b]! & pairSens[k]!) !== pairIn[k] || (inState && pairMask[k] !== mask)) {
          nRel = 0;
          for (let j = 0; j < es.length; j++) if (edgeDeps(es[j]!) & bit) rel[nRel++] = es[j]!;
          sens = 0; hitEx = ex; hitMask = mask;
          pairKeep[k] = walk(ex, b, true) ? 1 : 0;
          pairStamp[k] = stamp; pairSens[k] = sens; pairIn[k] = firstMask[b]! & sens; pairMask[k] = mask;
        }
        if (pairKeep[k]) keep |= bit;
        continue;
      }
      walk(ex, b, false);
      for (let j = 0; j < es.length && !(keep & bit); j++) {
        const e = es[j]!;
        if (!(edgeDeps(e) & bit)) continue;
        for (let i = 0; i < nWay; i++) if (on[e] ? dependentAt(e, base + way[i]!) && inStateAt(ex, e, b, way[i]!, mask, true) : enablingAt(e, base + way[i]!) && inStateAt(ex, e, b, way[i]!, mask, false)) { keep |= bit; explain(e, b, way[i]!, on[e] === 1); break; }
      }
    }
    return keep;
  };
  // per state: the values a slot can take along steps of the actors outside a set, from its value here
  const { inState, movesOf, depends, enables, dependsWithin, enablesWithin } = analysis;
  /** Per state: within's answers for each set asked about (the actors outside it, and those whose steps here count once), by slot (known where `at` holds the set's stamp). */
  const asked: { out: number; once: number; stamp: number; at: Int32Array; by: (Narrowed | null)[] }[] = [];
  let nAsked = 0, valuesStamp = -1, askStamp = 0;
  const moves: Moves[] = [], seen: number[] = [];
  /**
   * The values slot x can have in any state a path of steps of the actors in `out` leads to
   * from this one, each actor from where it rests: its value here, and every value the moves of
   * their future steps lead to from there (`movesOf`, over every reachable state, so a superset);
   * with `once`, the moves of the steps of those actors where they rest too (one step each).
   * Undefined if that is not fewer than every reachable value (or a step's moves are not known).
   */
  const within = (ex: Expander, x: number, out: number, once: number): Narrowed | undefined => {
    if (valuesStamp !== stamp) { valuesStamp = stamp; nAsked = 0; }
    let k = 0;
    while (k < nAsked && (asked[k]!.out !== out || asked[k]!.once !== once)) k++;
    if (k === nAsked) {
      const a = asked[nAsked++] ??= { out, once, stamp: 0, at: new Int32Array(ex.cur.length), by: new Array<Narrowed | null>(ex.cur.length).fill(null) };
      a.out = out; a.once = once; a.stamp = ++askStamp;
    }
    const a = asked[k]!;
    if (a.at[x] === a.stamp) return a.by[x] ?? undefined;
    moves.length = 0;
    let opaque = false;
    for (let c = out | once; c !== 0 && !opaque; c &= c - 1) {
      const b = 31 - Math.clz32(c & -c), m = movesOf(pcBase[b]! + pc[b]!, x, ((once >>> b) & 1) === 1);
      if (m === 'opaque') opaque = true; else if (m !== undefined) moves.push(m);
    }
    const res = opaque ? undefined : closed(x, ex.cur[x]!);
    a.at[x] = a.stamp; a.by[x] = res ?? null;
    return res;
  };
  /** closed's answers: by slot, then value, then the ids of the moves in order (a trie). */
  interface Closed { next?: Map<number, Closed>; res?: Narrowed | null }
  const closedRoot: Closed = {};
  const child = (node: Closed, k: number): Closed => {
    const next = (node.next ??= new Map());
    let c = next.get(k);
    if (c === undefined) next.set(k, c = {});
    return c;
  };
  /** The values the moves gathered (`moves`) lead slot x to from value v, across states (by the moves' ids). */
  const closed = (x: number, v: number): Narrowed | undefined => {
    let node = child(child(closedRoot, x), v);
    for (const m of moves) node = child(node, m.id);
    if (node.res !== undefined) return node.res ?? undefined;
    let res: Narrowed | undefined;
    seen.length = 0; seen.push(v);
    for (const m of moves) for (const t of m.any) if (!seen.includes(t)) seen.push(t);
    for (let i = 0; i < seen.length; i++) for (const m of moves) for (const t of m.from.get(seen[i]!) ?? []) if (!seen.includes(t)) seen.push(t);
    const all = analysis.valuesOf(x)?.length;
    if (all === undefined || seen.length < all) res = analysis.narrowing(x, Int32Array.from(seen).sort());
    node.res = res ?? null;
    return res;
  };
  /** Per state: inStateAt's answers, by (step, column, enabled): the set it was asked for and the answer. */
  const askedAt = new Map<number, number>();
  let askedStamp = -1;
  /**
   * Step e of the set (enabled: `dependent`; disabled: `enabling`) against actor b resting at r
   * outside it, where the tables say some step there depends on e (or can enable it): asked again
   * over the states the actors outside the set (`mask`) can lead to from this one, where each
   * field has one of the values `within` gives. Steps outside the set never leave those states,
   * so a pair independent there is independent wherever the stubborn-set argument uses it. For
   * a disabled step, the values also take the set's steps here (one each: a wait-for cycle is
   * judged after one of them, `breaks`).
   */
  const inStateAt = (ex: Expander, e: number, b: number, r: number, mask: number, enabled: boolean): boolean => {
    if (!inState) return true;
    if (askedStamp !== stamp) { askedStamp = stamp; askedAt.clear(); }
    const out = ~mask & ((1 << A) - 1), k = ((e * pcBase[A]! + pcBase[b]! + r) * 2) + (enabled ? 1 : 0), was = askedAt.get(k);
    if (was !== undefined && Math.floor(was / 2) === out) return was % 2 === 1;
    const fs = edgesAt[b]![r]!, w = (x: number): Narrowed | undefined => within(ex, x, out, enabled ? 0 : mask);
    let yes = false;
    for (let i = 0; i < fs.length && !yes; i++) {
      const f = fs[i]!;
      yes = enabled ? depends(e, f) && dependsWithin(e, f, w) : enables(f, e) && enablesWithin(f, e, w);
    }
    askedAt.set(k, out * 2 + (yes ? 1 : 0));
    return yes;
  };
  /** Enabled steps per actor in this state (select fills it). */
  const enabledOf = new Int32Array(A);
  /** Does the closure from `seed` surely hold `limit` enabled steps or more (over `sureDeps` alone, a subset of it)? */
  const tooBig = (seed: number, limit: number): boolean => {
    let mask = 1 << seed, todo = mask, count = enabledOf[seed]!;
    while (todo !== 0 && count < limit) {
      const x = 31 - Math.clz32(todo & -todo), more = sureDeps(x) & ~mask;
      todo = (todo & (todo - 1)) | more; mask |= more;
      for (let c = more; c !== 0; c &= c - 1) count += enabledOf[31 - Math.clz32(c & -c)]!;
    }
    return count >= limit;
  };
  /**
   * The set closed from `seed`; 0 once it holds `limit` enabled steps or more (a set no smaller
   * than the best found so far is not chosen, so it need not be finished: the refinement of the
   * ways is most of a closure's cost).
   */
  const closure = (ex: Expander, seed: number, limit: number): number => {
    cstamp++;
    let mask = 1 << seed, todo = mask, count = enabledOf[seed]!;
    while (todo !== 0) {
      if (count >= limit && explain === undefined) return 0;
      const x = 31 - Math.clz32(todo & -todo);
      todo &= todo - 1;
      let more = actorDeps(x) & ~mask;
      if (more !== 0 && (analysis.held || explain !== undefined)) more = refine(ex, x, more, mask);
      mask |= more; todo |= more;
      for (let c = more; c !== 0; c &= c - 1) count += enabledOf[31 - Math.clz32(c & -c)]!;
    }
    return count >= limit && explain === undefined ? 0 : mask;
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
  const { loopOf } = analysis;
  const stays = (ex: Expander, j: number): boolean => {
    const a = actorOf[ex.edge[j]!]!, slot = pcSlot[a]!, from = ex.cur[slot]!, { data, start, stop } = ex.writesOf(ex.leaf[j]!);
    let to = from;
    for (let k = start; k < stop; k += 2) if (data[k] === slot) to = data[k + 1]!;
    return loopOf[pcBase[a]! + from] === loopOf[pcBase[a]! + to];
  };
  const select = (ex: Expander, n: number, out: Int32Array, unwitnessed: number, revisits?: (sel: Int32Array, m: number) => boolean): number => {
    stamp++;
    for (let b = 0; b < A; b++) pc[b] = ex.cur[pcSlot[b]!]!;
    enabledOf.fill(0);
    for (let j = 0; j < n; j++) { on[ex.edge[j]!] = 1; enabledOf[actorOf[ex.edge[j]!]!]++; }
    for (let b = 0; b < A; b++) passes[b] = enabledOf[b]! > 0 || !guarded[pcBase[b]! + pc[b]!] ? 1 : 0;
    // under the visited proviso a set that closes a loop is used only if no set that closes none will do (`bestCloses`)
    let best = n, bestMask = 0, tried = 0, bestCloses = true;
    for (let j = 0; j < n; j++) {
      const seed = actorOf[ex.edge[j]!]!;
      if ((tried >>> seed) & 1) continue;
      tried |= 1 << seed;
      const limit = bestCloses ? n : best;
      // (the sure dependences are a lower bound of the closure only where dependence is judged over every reachable state)
      const mask = explain === undefined && !inState && tooBig(seed, limit) ? 0 : closure(ex, seed, limit);
      if (mask === 0) continue;
      const blocked = ex.blocked & mask;
      let count = 0, hard = false, shut = false;
      for (let i = 0; i < n && !hard; i++) {
        const e = ex.edge[i]!;
        if (!((mask >>> actorOf[e]!) & 1)) continue;
        count++;
        const loops = sticky[e] === 1 && closes(ex, i);
        shut ||= loops;
        hard = visible[e] === 1 || (witnesses[e]! & unwitnessed) !== 0 || (staticProviso && loops) || (blocked !== 0 && (breaks(ex, i) & blocked) !== 0);
      }
      const better = count < n && (bestCloses && !shut || (bestCloses === shut && count < best));
      if (!hard && better && (revisits === undefined || !revisits(out, edgesOf(ex, n, mask, out)))) { best = count; bestMask = mask; bestCloses = shut; }
    }
    for (let j = 0; j < n; j++) on[ex.edge[j]!] = 0;
    if (best === n) { for (let j = 0; j < n; j++) out[j] = j; return n; }
    return edgesOf(ex, n, bestMask, out);
  };
  /** The enabled edges of the actors `mask`, into `out`; how many. */
  const edgesOf = (ex: Expander, n: number, mask: number, out: Int32Array): number => {
    let m = 0;
    for (let j = 0; j < n; j++) if ((mask >>> actorOf[ex.edge[j]!]!) & 1) out[m++] = j;
    return m;
  };
  return { select, proviso: analysis.proviso, stays };
}
