/**
 * @internal Model code remembered by what it read.
 *
 * Guards, effects and properties are functions of the state (the model's contract, held on
 * replay, KMC014), so their answer is fixed by the values they read. The fast explorer runs a
 * function once with a {@link Tap} that records those reads (`Observations`), files the answer
 * under that sequence of reads in a {@link Trie}, and from then on answers any state by walking
 * the trie over the state's slots: no closure call, no state view, no allocation per step.
 *
 * A read is either a value (`s.get`: one child per value of the slot's domain) or a test for
 * one value (`s.at`, `s.done`: two children), so a property testing where four tasks are has
 * 2^4 leaves, not (pcs)^4. Reads of slots the function itself wrote are not observations.
 *
 * Nondeterminism: a function that answers differently for the same reads (it reads a counter
 * in a closure, `Math.random`, `Date`) breaks the memo's premise. The first `VERIFY` reuses of
 * every leaf run the function again and compare (KMC014 on a difference), a function that reads
 * differently for the same values is caught when its path is filed, a sample of states is asked
 * again of a second setup of the model (`audit.ts`), and counterexamples are replayed without the
 * memo (`replay.ts`).
 */
import type { Tap } from '../state/slot-state.ts';
import type { Layout } from '../state/layout.ts';

/** How many reuses of a leaf run the function again to compare (a nondeterminism tripwire). */
export const VERIFY = 2;

const DENSE = 0, SPARSE = 1, IS = 2;
/** Slots with more values than this get a Map per node instead of a child per value. */
const MAX_DENSE = 64;

/** The reads one run of a function made, in order: `read` (value) or `is` (a test). */
export class Observations implements Tap {
  kind: number[] = [];
  slot: number[] = [];
  value: number[] = [];
  /** For `is`: the answer (0/1). */
  answer: number[] = [];
  n = 0;
  #gen = 1;
  readonly #full: Int32Array;
  readonly #isGen: Int32Array;
  readonly #isVal: Int32Array;

  constructor(slots: number) {
    this.#full = new Int32Array(slots);
    this.#isGen = new Int32Array(slots);
    this.#isVal = new Int32Array(slots);
  }

  reset(): void { this.n = 0; this.#gen++; }

  read(buf: Int32Array, slot: number): number {
    const v = buf[slot]!;
    if (this.#full[slot] !== this.#gen) { this.#full[slot] = this.#gen; this.#push(DENSE, slot, v, 0); }
    return v;
  }

  is(buf: Int32Array, slot: number, x: number): boolean {
    const r = buf[slot] === x;
    if (this.#full[slot] !== this.#gen && !(this.#isGen[slot] === this.#gen && this.#isVal[slot] === x)) {
      this.#isGen[slot] = this.#gen; this.#isVal[slot] = x;
      this.#push(IS, slot, x, r ? 1 : 0);
    }
    return r;
  }

  /** Slots observed in this run (each once). */
  slots(): number[] { return [...new Set(this.slot.slice(0, this.n))]; }

  #push(kind: number, slot: number, value: number, answer: number): void {
    const i = this.n++;
    this.kind[i] = kind; this.slot[i] = slot; this.value[i] = value; this.answer[i] = answer;
  }
}

/** Thrown by `insert` when a function read differently for the same values. */
export class Diverged extends Error {}

/**
 * Decision tries over slot values, many roots in one pool. A root is a cell holding a child
 * pointer: 0 nothing filed yet, > 0 a node, < 0 a leaf (`~leaf`). Nodes: dense `[slot<<2,
 * min, child per value]`, test `[slot<<2|2, value, child if different, child if equal]`,
 * sparse `[slot<<2|1, map index]` (the map gives a one-cell box per value).
 */
export class Trie {
  pool = new Int32Array(1 << 12);
  top = 1;
  readonly #maps: Map<number, number>[] = [];
  readonly #min: Int32Array;
  readonly #span: Uint32Array;

  constructor(layout: Layout) {
    this.#min = layout.min;
    this.#span = layout.span;
  }

  get bytes(): number { return this.pool.byteLength; }

  /** A new, empty root. */
  root(): number { return this.#alloc(1); }

  /** The leaf filed for the state `cur` under `root`, or -1 when this path was never run. */
  find(root: number, cur: Int32Array): number {
    const pool = this.pool;
    let p = pool[root]!;
    while (p > 0) {
      const h = pool[p]!, slot = h >> 2, kind = h & 3;
      if (kind === DENSE) p = pool[p + 2 + cur[slot]! - pool[p + 1]!]!;
      else if (kind === IS) p = pool[p + 2 + (cur[slot] === pool[p + 1] ? 1 : 0)]!;
      else { const box = this.#maps[pool[p + 1]!]!.get(cur[slot]!); p = box === undefined ? 0 : pool[box]!; }
    }
    return p < 0 ? ~p : -1;
  }

  /** Files `leaf` under the path `obs` describes; {@link Diverged} if it contradicts what is filed. */
  insert(root: number, obs: Observations, leaf: number): void {
    let cell = root;
    for (let i = 0; i < obs.n; i++) {
      const kind = obs.kind[i]!, slot = obs.slot[i]!, value = obs.value[i]!;
      let p = this.pool[cell]!;
      if (p < 0) throw new Diverged();
      if (p === 0) { p = this.#node(kind, slot, value); this.pool[cell] = p; }
      else {
        const h = this.pool[p]!;
        if (h >> 2 !== slot || (kind === IS) !== ((h & 3) === IS) || (kind === IS && this.pool[p + 1] !== value)) throw new Diverged();
      }
      cell = this.#child(p, kind === IS ? obs.answer[i]! : value);
    }
    if (this.pool[cell] !== 0) throw new Diverged();
    this.pool[cell] = ~leaf;
  }

  #node(kind: number, slot: number, value: number): number {
    if (kind === IS) {
      const p = this.#alloc(4);
      this.pool[p] = (slot << 2) | IS; this.pool[p + 1] = value;
      return p;
    }
    const span = this.#span[slot]!;
    if (span < MAX_DENSE) {
      const p = this.#alloc(3 + span);
      this.pool[p] = slot << 2; this.pool[p + 1] = this.#min[slot]!;
      return p;
    }
    const p = this.#alloc(2);
    this.pool[p] = (slot << 2) | SPARSE; this.pool[p + 1] = this.#maps.push(new Map()) - 1;
    return p;
  }

  /** The cell of node `p`'s child for `v` (a value, or the answer of a test); sparse children get a cell. */
  #child(p: number, v: number): number {
    const h = this.pool[p]!;
    if ((h & 3) === DENSE) return p + 2 + v - this.pool[p + 1]!;
    if ((h & 3) === IS) return p + 2 + v;
    // a sparse child is a one-cell box: the map gives the box, the box the child
    const m = this.#maps[this.pool[p + 1]!]!;
    let box = m.get(v);
    if (box === undefined) { box = this.#alloc(1); m.set(v, box); }
    return box;
  }

  #alloc(n: number): number {
    if (this.top + n > this.pool.length) {
      const g = new Int32Array(Math.max(this.pool.length * 2, this.top + n));
      g.set(this.pool);
      this.pool = g;
    }
    const p = this.top;
    this.top += n;
    return p;
  }
}
