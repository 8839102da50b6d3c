/**
 * @internal Every behaviour of a piece of model code, over the declared domains: what the
 * partial-order reduction's analysis (`por.ts`) uses to learn which state fields a step may
 * read and write, in any state, not just in the states seen so far.
 *
 * Model code reads the state only through the state view, and its answer is a function of
 * what it read (the model's contract). So a run is fixed by the values of its reads, in
 * order: the first read is of a field independent of the state, the next depends only on the
 * first value, and so on. Running the code once per path of that decision tree — each read of
 * a field not yet decided branches over the field's domain (a test `at`/`done` branches two
 * ways: equal, or not) — visits every behaviour the code has in any state. A field can be
 * fixed beforehand (the actor's own pc, for a step).
 *
 * Runs that throw count as behaviours with no value (the analysis asks what code may read
 * and write; a model error itself is the search's to find). More than `limit` runs and the
 * answer is `undefined`: the caller must then assume the worst.
 *
 * Code may run several steps one after the other on one valuation (`overlaid`): the later
 * step sees the earlier one's writes, and the fields neither wrote as decided by the tree, so
 * a run is a behaviour of the sequence in one state.
 */
import { SlotState, type Scratch, type Tap } from '../state/slot-state.ts';
import type { Successors } from './successors.ts';

export interface Run<T> {
  /** What the code returned; undefined if it threw. */
  readonly value: T | undefined;
  /** Fields the code read (or tested) from the state it was given. */
  readonly observed: readonly number[];
}

class Infeasible extends Error {}

/** Fields with more values than this are not enumerated: the caller assumes the worst. */
const WIDEST = 4096;

/** A tap that decides unread fields as a script says, branching where the script ends. */
class Valuation implements Tap {
  readonly #min: Int32Array;
  readonly #span: Uint32Array;
  readonly #value: Int32Array;
  /** 0: undecided, 1: decided, 2: undecided but some values excluded (tests answered "not equal"). */
  readonly #state: Uint8Array;
  readonly #excluded = new Map<number, Set<number>>();
  readonly #fixed: ReadonlyMap<number, number>;
  readonly #values: readonly (Int32Array | undefined)[] | undefined;
  script: number[] = [];
  counts: number[] = [];
  #pos = 0;
  observed = new Set<number>();
  /** The run asked for a field with no value left (set even if model code caught the throw). */
  infeasible = false;
  /** The run read a field too wide to enumerate. */
  tooWide = false;

  constructor(min: Int32Array, span: Uint32Array, fixed: ReadonlyMap<number, number>, values?: readonly (Int32Array | undefined)[]) {
    this.#min = min; this.#span = span; this.#fixed = fixed; this.#values = values;
    this.#value = new Int32Array(min.length);
    this.#state = new Uint8Array(min.length);
  }

  /** Starts a run along the current script. */
  begin(): void {
    this.#state.fill(0); this.#excluded.clear(); this.#pos = 0; this.observed = new Set(); this.infeasible = false;
    for (const [slot, v] of this.#fixed) { this.#state[slot] = 1; this.#value[slot] = v; }
  }

  /** Moves the script to the next path; false when every path was run. */
  next(): boolean {
    this.script.length = this.#pos; this.counts.length = this.#pos;
    for (let i = this.script.length - 1; i >= 0; i--) {
      if (this.script[i]! + 1 < this.counts[i]!) { this.script[i]!++; this.script.length = i + 1; this.counts.length = i + 1; return true; }
    }
    return false;
  }

  /** When set, a new decision is drawn from it (a random path of the tree) instead of taking the first value. */
  draw: ((n: number) => number) | undefined = undefined;

  #decide(n: number): number {
    if (n === 0) { this.infeasible = true; throw new Infeasible(); }
    if (this.draw !== undefined) { this.#pos++; return this.draw(n); }
    const i = this.#pos++;
    if (i < this.script.length) { this.counts[i] = n; return this.script[i]!; }
    this.script.push(0); this.counts.push(n);
    return 0;
  }

  /** The value the run decided for `slot` (read whole, or fixed); undefined if it was not (only tested, or not read). */
  decided(slot: number): number | undefined { return this.#state[slot] === 1 ? this.#value[slot] : undefined; }

  read(_buf: Int32Array, slot: number): number {
    this.observed.add(slot);
    if (this.#state[slot] === 1) return this.#value[slot]!;
    const ex = this.#excluded.get(slot), list = this.#values?.[slot];
    if (list !== undefined) {
      // a field whose values are known (`restrict`): the i-th of them not excluded
      const left = ex === undefined ? list : list.filter((x) => !ex.has(x));
      const v = left[this.#decide(left.length)]!;
      this.#state[slot] = 1; this.#value[slot] = v;
      return v;
    }
    const min = this.#min[slot]!, span = this.#span[slot]!;
    if (span >= WIDEST) { this.tooWide = true; throw new Infeasible(); }
    // the i-th value of the domain not excluded (most reads exclude nothing: no list is built)
    let i = this.#decide(span + 1 - (ex?.size ?? 0)), v = min;
    if (ex === undefined) v = min + i;
    else for (; ; v++) if (!ex.has(v) && i-- === 0) break;
    this.#state[slot] = 1; this.#value[slot] = v;
    return v;
  }

  is(_buf: Int32Array, slot: number, x: number): boolean {
    this.observed.add(slot);
    if (this.#state[slot] === 1) return this.#value[slot] === x;
    const ex = this.#excluded.get(slot), list = this.#values?.[slot];
    if (ex?.has(x) || x < this.#min[slot]! || x > this.#min[slot]! + this.#span[slot]! || (list !== undefined && !list.includes(x))) return false;
    if (list !== undefined) {
      const left = ex === undefined ? list : list.filter((y) => !ex.has(y));
      if (left.length === 1) { this.#state[slot] = 1; this.#value[slot] = left[0]!; return left[0] === x; }
    }
    if (this.#decide(2) === 1) { this.#state[slot] = 1; this.#value[slot] = x; return true; }
    if (ex) ex.add(x); else this.#excluded.set(slot, new Set([x]));
    this.#state[slot] = 2;
    return false;
  }
}

/**
 * Runs throw often (model errors in states no search reaches, every infeasible path): while they
 * run no stack is captured and no failure is attributed to its step (`Scratch.probing`): most of
 * an analysis's time went to both. Returns the stack depth to restore (`loud`).
 */
function quiet(sc: Scratch): number {
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  sc.probing = true;
  return depth;
}

function loud(sc: Scratch, depth: number): void {
  Error.stackTraceLimit = depth;
  sc.probing = false;
}

/** Per scratch: the values each field can have (`restrict`); undefined entries range over the declared domain. */
const known = new WeakMap<Successors, readonly (Int32Array | undefined)[]>();

/**
 * From now on `enumerate` and `sample` on `succ` decide each field among `values[slot]` (when
 * given) instead of its declared domain: the values it can have in the states the caller cares
 * about (the reachable ones: see `por-analysis.ts`). Undefined lifts the restriction.
 */
export function restrict(succ: Successors, values: readonly (Int32Array | undefined)[] | undefined): void {
  if (values === undefined) known.delete(succ); else known.set(succ, values);
}

/**
 * Runs `f` once per behaviour (see above) on a base view of `succ`'s scratch; the fields in
 * `fixed` have the given values. Undefined if there are more than `limit` behaviours. With
 * `until`, stops after the first run whose value it accepts (the runs so far, that one last).
 */
export function enumerate<T>(succ: Successors, fixed: ReadonlyMap<number, number>, f: (s: SlotState) => T, limit: number, until?: (value: T | undefined) => boolean): Run<T>[] | undefined {
  const L = succ.inst.layout, sc = succ.sc;
  const tap = new Valuation(L.min, L.span, fixed, known.get(succ));
  const view = new SlotState(new Int32Array(L.slots), sc, -1);
  const runs: Run<T>[] = [];
  sc.tap = tap;
  const depth = quiet(sc);
  try {
    do {
      if (runs.length >= limit) return undefined;
      tap.begin();
      let value: T | undefined;
      try { value = f(view); } catch { value = undefined; }
      if (tap.tooWide) return undefined;
      if (tap.infeasible) continue;
      runs.push({ value, observed: [...tap.observed] });
      if (until?.(value) === true) break;
    } while (tap.next());
  } finally {
    sc.tap = undefined;
    loud(sc, depth);
  }
  return runs;
}

/**
 * Runs `f` on `n` random paths of the decision tree (each decision drawn uniformly, by a fixed
 * seed): a cheap search for a counterexample before `enumerate` proves there is none. True
 * if some path's value is one `until` accepts.
 */
export function sample<T>(succ: Successors, fixed: ReadonlyMap<number, number>, f: (s: SlotState) => T, n: number, until: (value: T | undefined) => boolean): boolean {
  const L = succ.inst.layout, sc = succ.sc;
  const tap = new Valuation(L.min, L.span, fixed, known.get(succ));
  const view = new SlotState(new Int32Array(L.slots), sc, -1);
  let seed = 0x9e3779b9;
  tap.draw = (k) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % k; };
  sc.tap = tap;
  const depth = quiet(sc);
  try {
    for (let i = 0; i < n; i++) {
      tap.begin();
      let value: T | undefined;
      try { value = f(view); } catch { value = undefined; }
      if (tap.tooWide) return true;
      if (!tap.infeasible && until(value)) return true;
    }
  } finally {
    sc.tap = undefined;
    loud(sc, depth);
  }
  return false;
}

/**
 * Inside `enumerate`'s code (not under `overlaid`): the value the current run decided for
 * `slot` of the state it was given, or undefined if the run did not decide it (a field only
 * tested for one value, or not read): what it was before a step wrote it.
 */
export function decidedValue(succ: Successors, slot: number): number | undefined {
  const tap = succ.sc.tap;
  return tap instanceof Valuation ? tap.decided(slot) : undefined;
}

/** Reads of the fields in `writes` (slot, value, slot, value, ...) answered from it; the others as the tap below decides. */
class Overlay implements Tap {
  readonly #w = new Map<number, number>();
  constructor(writes: readonly number[], readonly below: Tap) { for (let k = 0; k < writes.length; k += 2) this.#w.set(writes[k]!, writes[k + 1]!); }
  read(buf: Int32Array, slot: number): number { const v = this.#w.get(slot); return v === undefined ? this.below.read(buf, slot) : v; }
  is(buf: Int32Array, slot: number, x: number): boolean { const v = this.#w.get(slot); return v === undefined ? this.below.is(buf, slot, x) : v === x; }
}

/**
 * Inside `enumerate`'s code: runs `f` on the base view `s` as if `writes` (slot, value, ...) had
 * been made to it — the state a step leads to, for the next step of a sequence to run on.
 */
export function overlaid<T>(s: SlotState, writes: readonly number[], f: (s: SlotState) => T): T {
  const sc = s.sc, below = sc.tap;
  if (below === undefined || s.gen >= 0) throw new Error('Assertion failed: overlaid() outside enumerate() or on a draft');
  sc.tap = new Overlay(writes, below);
  try { return f(s); } finally { sc.tap = below; }
}
