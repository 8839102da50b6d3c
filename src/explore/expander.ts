/**
 * @internal The successor function on the hot path: `Successors` (the one definition of what a
 * step does), remembered per edge by what it read (`memo.ts`). A state is expanded by walking
 * each edge's trie over its unpacked slots; an enabled edge's leaf holds the successor as word
 * edits to the packed parent (`pack`). Properties and the deadlock rule are remembered the same
 * way. Model code runs only on a miss (a combination of values not seen before) and for the
 * first {@link VERIFY} reuses of each answer, so a step costs a few array reads, whatever the
 * model's closures look like. Observably identical to `Successors.expand` + `deadlockAt`: same
 * edges in the same order, same successors, same model errors at the same first state.
 */
import { ModelError } from '../util/errors.ts';
import { SlotState } from '../state/slot-state.ts';
import { compileUnpack } from '../state/layout.ts';
import { truth } from '../model/truth.ts';
import { Diverged, Observations, Trie, VERIFY } from './memo.ts';
import { NOT_DETERMINISTIC, attribute, stepWhere } from './semantics.ts';
import { Successors, domainError } from './successors.ts';
import { deadlockAt, type Deadlock } from './deadlock.ts';
import type { State } from '../model/state.ts';
import type { Instance } from '../state/instance.ts';

/** A state predicate to remember: a property, a liveness `from`/`to`. */
export interface Predicate { readonly name: string; readonly fn: (s: State) => boolean }

/** Growable Int32Array with push. */
class Ints {
  a = new Int32Array(256);
  n = 0;
  push(x: number): void {
    if (this.n === this.a.length) { const g = new Int32Array(this.a.length * 2); g.set(this.a); this.a = g; }
    this.a[this.n++] = x;
  }
}

export class Expander {
  readonly inst: Instance;
  readonly succ: Successors;
  /** The state being expanded, unpacked; the caller fills it (`unpack`). */
  readonly cur: Int32Array;
  /** `cur` as the base view model code sees. */
  readonly view: SlotState;
  readonly unpack: (src: Uint32Array, at: number, slots: Int32Array) => void;
  /** Words of a packed state. */
  readonly stateWords: number;
  /** After `enabled()`: the enabled edges (actor, then edge order) and their leaves. */
  edge: Int32Array;
  leaf: Int32Array;
  /** After `enabled()`: bit a set if actor a is unfinished with no enabled step. */
  blocked = 0;
  /** After `enabled()`: some actor has an enabled step. */
  anyEnabled = false;
  /** BFS depth of the state being expanded, for KMC014 messages. */
  depth = 0;

  readonly trie: Trie;
  readonly #obs: Observations;
  // actors, flattened: edges at (actor a, pc) are edgeList[restStart[restBase[a] + pc] ..restStart[restBase[a] + pc + 1])
  readonly #pcSlot: Int32Array;
  readonly #end: Int32Array;
  readonly #restBase: Int32Array;
  readonly #restStart: Int32Array;
  readonly #edgeList: Int32Array;
  // fire memo: a root per edge; per leaf: enabled, word edits [w, keep, or]…, slot writes [slot, value]…, checks left
  readonly #fireRoot: Int32Array;
  #fireOn = new Uint8Array(256);
  #fireVerify = new Uint8Array(256);
  readonly #editStart = new Ints();
  readonly #edits = new Ints();
  readonly #writeStart = new Ints();
  readonly #writes = new Ints();
  #fireLeaves = 0;
  // predicates
  readonly #preds: readonly Predicate[];
  readonly #predRoot: Int32Array;
  #predValue = new Uint8Array(256);
  #predVerify = new Uint8Array(256);
  #predLeaves = 0;
  // other functions of the state, registered on demand (`value`)
  readonly #fnIndex = new Map<string, number>();
  readonly #fns: { fn: (s: State) => unknown; where: string; root: number }[] = [];
  readonly #fnValue: unknown[] = [];
  #fnVerify = new Uint8Array(64);
  // deadlock rule: a root per (blocked mask, any enabled)
  readonly #deadRoot = new Map<number, number>();
  readonly #deadValue: (Deadlock | undefined)[] = [];
  #deadVerify = new Uint8Array(64);
  readonly #blockedArr: Uint8Array;

  constructor(inst: Instance, preds: readonly Predicate[] = []) {
    this.inst = inst;
    this.succ = new Successors(inst);
    this.stateWords = Math.max(1, inst.layout.words);
    this.cur = new Int32Array(inst.layout.slots);
    this.view = new SlotState(this.cur, this.succ.sc, -1);
    this.unpack = compileUnpack(inst.layout);
    this.trie = new Trie(inst.layout);
    this.#obs = new Observations(inst.layout.slots);
    const A = inst.actors.length;
    this.#pcSlot = Int32Array.from(inst.actors, (a) => a.pcSlot);
    this.#end = Int32Array.from(inst.actors, (a) => a.end);
    this.#restBase = new Int32Array(A);
    const starts: number[] = [], list: number[] = [];
    inst.actors.forEach((a, i) => {
      this.#restBase[i] = starts.length;
      for (const r of a.rests) { starts.push(list.length); for (const e of r.edges) list.push(e.id); }
    });
    starts.push(list.length);
    this.#restStart = Int32Array.from(starts);
    this.#edgeList = Int32Array.from(list);
    this.#fireRoot = Int32Array.from(inst.edges, () => this.trie.root());
    this.#editStart.push(0); this.#writeStart.push(0);
    this.edge = new Int32Array(Math.max(1, inst.edges.length));
    this.leaf = new Int32Array(Math.max(1, inst.edges.length));
    this.#preds = preds;
    this.#predRoot = Int32Array.from(preds, () => this.trie.root());
    this.#blockedArr = new Uint8Array(A);
  }

  /** Bytes held by the memo (tries and leaves). */
  get bytes(): number {
    return this.trie.bytes + this.#edits.a.byteLength + this.#writes.a.byteLength + this.#editStart.a.byteLength + this.#writeStart.a.byteLength
      + this.#fireOn.byteLength + this.#predValue.byteLength;
  }

  /**
   * The enabled edges of `cur` in the successor function's order, into `edge`/`leaf[0..n)`;
   * returns n and sets `blocked` and `anyEnabled`. Model errors are thrown as `expand` throws them.
   */
  enabled(): number {
    const cur = this.cur, trie = this.trie, A = this.#pcSlot.length;
    let n = 0, blocked = 0;
    for (let a = 0; a < A; a++) {
      const pc = cur[this.#pcSlot[a]!]!;
      if (pc === this.#end[a]) continue;
      const b = this.#restBase[a]! + pc;
      let on = false;
      for (let k = this.#restStart[b]!, stop = this.#restStart[b + 1]!; k < stop; k++) {
        const e = this.#edgeList[k]!;
        let leaf = trie.find(this.#fireRoot[e]!, cur);
        if (leaf < 0) leaf = this.#missFire(e);
        else if (this.#fireVerify[leaf] !== 0) this.#verifyFire(e, leaf);
        if (this.#fireOn[leaf] === 0) continue;
        on = true;
        this.edge[n] = e; this.leaf[n] = leaf; n++;
      }
      if (!on) blocked |= 1 << a;
    }
    this.blocked = blocked;
    this.anyEnabled = n > 0;
    return n;
  }

  /** Writes the successor by `leaf` of the packed state `src[from..]` to `dst[at..]`. */
  pack(leaf: number, src: Uint32Array, from: number, dst: Uint32Array, at: number): void {
    const width = this.stateWords, edits = this.#edits.a;
    for (let i = 0; i < width; i++) dst[at + i] = src[from + i]!;
    for (let k = this.#editStart.a[leaf]!, stop = this.#editStart.a[leaf + 1]!; k < stop; k += 3) {
      const w = at + edits[k]!;
      dst[w] = (dst[w]! & edits[k + 1]!) | edits[k + 2]!;
    }
  }

  /** The successor by `leaf` of `cur` as a draft view (for transition properties), valid until the next draft. */
  after(leaf: number): SlotState {
    const sc = this.succ.sc, w = this.#writes.a;
    sc.base = this.cur; sc.n = 0;
    for (let k = this.#writeStart.a[leaf]!, stop = this.#writeStart.a[leaf + 1]!; k < stop; k += 2) { sc.slot[sc.n] = w[k]!; sc.val[sc.n] = w[k + 1]!; sc.n++; }
    return new SlotState(this.cur, sc, ++sc.gen);
  }

  /** The slot writes of `leaf`: `[slot, value]` pairs in `writes()[start..stop)`. */
  writesOf(leaf: number): { readonly data: Int32Array; readonly start: number; readonly stop: number } {
    return { data: this.#writes.a, start: this.#writeStart.a[leaf]!, stop: this.#writeStart.a[leaf + 1]! };
  }

  /** Predicate `i` on `cur`. */
  holds(i: number): boolean {
    let leaf = this.trie.find(this.#predRoot[i]!, this.cur);
    if (leaf < 0) leaf = this.#missPred(i);
    else if (this.#predVerify[leaf] !== 0) this.#verifyPred(i, leaf);
    return this.#predValue[leaf] === 1;
  }

  /** What the memo holds for predicate `i` on `cur` without running it: 1 true, 0 false, -1 never asked there. */
  remembered(i: number): number {
    const leaf = this.trie.find(this.#predRoot[i]!, this.cur);
    return leaf < 0 ? -1 : this.#predValue[leaf]!;
  }

  /** Whether edge `e` (of an actor resting at its resting point in `cur`) is enabled in `cur`. */
  fires(e: number): boolean {
    let leaf = this.trie.find(this.#fireRoot[e]!, this.cur);
    if (leaf < 0) leaf = this.#missFire(e);
    else if (this.#fireVerify[leaf] !== 0) this.#verifyFire(e, leaf);
    return this.#fireOn[leaf] === 1;
  }

  /** The value of `fn` (registered under `key` the first time) on `cur`, remembered like the rest. */
  value(key: string, fn: (s: State) => unknown, where: string): unknown {
    let i = this.#fnIndex.get(key);
    if (i === undefined) { i = this.#fns.push({ fn, where, root: this.trie.root() }) - 1; this.#fnIndex.set(key, i); }
    const f = this.#fns[i]!;
    let leaf = this.trie.find(f.root, this.cur);
    if (leaf < 0) {
      leaf = this.#fnValue.length;
      this.#fnValue.push(this.#recorded(f.where, () => f.fn(this.view)));
      this.#fnVerify = fit(this.#fnVerify, leaf); this.#fnVerify[leaf] = VERIFY;
      this.#file(f.root, leaf, f.where);
    } else if (this.#fnVerify[leaf] !== 0) {
      this.#fnVerify[leaf]!--;
      let again: unknown;
      try { again = f.fn(this.view); } catch (err) { return attribute(err, f.where); }
      if (JSON.stringify(again) !== JSON.stringify(this.#fnValue[leaf])) this.#nondeterministic(`${f.where} gives a different answer each time it is asked`);
    }
    return this.#fnValue[leaf];
  }

  /** After `enabled()`: the deadlock of `cur`, if any (the deadlock rule, `deadlockAt`). */
  deadlock(): Deadlock | undefined {
    if (this.blocked === 0) return undefined;
    const key = this.blocked * 2 + (this.anyEnabled ? 1 : 0);
    let root = this.#deadRoot.get(key);
    if (root === undefined) { root = this.trie.root(); this.#deadRoot.set(key, root); }
    let leaf = this.trie.find(root, this.cur);
    if (leaf < 0) {
      leaf = this.#deadValue.length;
      this.#deadValue.push(this.#recorded(`the deadlock check`, () => this.#deadlockNow()));
      this.#deadVerify = fit(this.#deadVerify, leaf); this.#deadVerify[leaf] = VERIFY;
      this.#file(root, leaf, `the deadlock rule (a resource's waitsFor)`);
    } else if (this.#deadVerify[leaf] !== 0) {
      this.#deadVerify[leaf]!--;
      const again = this.#deadlockNow();
      if (JSON.stringify(again) !== JSON.stringify(this.#deadValue[leaf])) this.#nondeterministic(`the deadlock rule (a resource's waitsFor) gives a different answer each time it is asked`);
    }
    return this.#deadValue[leaf];
  }

  #deadlockNow(): Deadlock | undefined {
    const b = this.#blockedArr;
    for (let a = 0; a < b.length; a++) b[a] = (this.blocked >>> a) & 1;
    try { return deadlockAt(this.inst, this.view, b, this.anyEnabled); } catch (err) { return attribute(err, `the deadlock check`); }
  }

  #missFire(e: number): number {
    const edge = this.inst.edges[e]!;
    const after = this.#recorded(stepWhere(this.inst, edge), () => this.succ.fire(edge, this.view));
    const leaf = this.#fireLeaves++;
    this.#fireOn = fit(this.#fireOn, leaf); this.#fireVerify = fit(this.#fireVerify, leaf);
    this.#fireVerify[leaf] = VERIFY;
    if (after === undefined) this.#fireOn[leaf] = 0;
    else {
      this.#fireOn[leaf] = 1;
      const sc = this.succ.sc, L = this.inst.layout, words = new Map<number, [number, number]>();
      for (let k = 0; k < sc.n; k++) {
        const s = sc.slot[k]!, x = sc.val[k]!, v = (x - L.min[s]!) >>> 0;
        if (v > L.span[s]!) domainError(this.inst, s, x, edge);
        const [keep, or] = words.get(L.word[s]!) ?? [-1, 0];
        const m = L.mask[s]! << L.shift[s]!;
        words.set(L.word[s]!, [keep & ~m, (or & ~m) | (v << L.shift[s]!)]);
        this.#writes.push(s); this.#writes.push(x);
      }
      for (const [w, [keep, or]] of words) { this.#edits.push(w); this.#edits.push(keep); this.#edits.push(or); }
    }
    this.#editStart.push(this.#edits.n); this.#writeStart.push(this.#writes.n);
    this.#file(this.#fireRoot[e]!, leaf, stepWhere(this.inst, edge));
    return leaf;
  }

  #verifyFire(e: number, leaf: number): void {
    this.#fireVerify[leaf]!--;
    const edge = this.inst.edges[e]!, after = this.succ.fire(edge, this.view);
    const w = this.#writes.a, start = this.#writeStart.a[leaf]!, stop = this.#writeStart.a[leaf + 1]!, sc = this.succ.sc;
    let same = (after !== undefined) === (this.#fireOn[leaf] === 1);
    if (same && after !== undefined) {
      same = sc.n * 2 === stop - start;
      for (let k = 0; same && k < sc.n; k++) same = sc.slot[k] === w[start + 2 * k] && sc.val[k] === w[start + 2 * k + 1];
    }
    if (!same) this.#nondeterministic(`${stepWhere(this.inst, edge)} ${after === undefined || this.#fireOn[leaf] === 0 ? 'is enabled one time and not the next' : 'gives a different state each time it fires'}`);
  }

  #missPred(i: number): number {
    const p = this.#preds[i]!, where = `property '${p.name}'`;
    const v = this.#recorded(where, () => truth(p.fn(this.view), where));
    const leaf = this.#predLeaves++;
    this.#predValue = fit(this.#predValue, leaf); this.#predVerify = fit(this.#predVerify, leaf);
    this.#predValue[leaf] = v ? 1 : 0; this.#predVerify[leaf] = VERIFY;
    this.#file(this.#predRoot[i]!, leaf, where);
    return leaf;
  }

  #verifyPred(i: number, leaf: number): void {
    this.#predVerify[leaf]!--;
    const p = this.#preds[i]!, where = `property '${p.name}'`;
    let v: boolean;
    try { v = truth(p.fn(this.view), where); } catch (err) { return attribute(err, where); }
    if (v !== (this.#predValue[leaf] === 1)) this.#nondeterministic(`${where} gives a different answer each time it is asked`);
  }

  /** Runs model code with the tap on, attributing its failures to `where`. */
  #recorded<T>(where: string, f: () => T): T {
    const sc = this.succ.sc;
    this.#obs.reset();
    sc.tap = this.#obs;
    try { return f(); } catch (err) { return attribute(err, where); } finally { sc.tap = undefined; }
  }

  #file(root: number, leaf: number, what: string): void {
    try { this.trie.insert(root, this.#obs, leaf); } catch (err) {
      if (err instanceof Diverged) this.#nondeterministic(`${what} reads different state fields for the same values`);
      throw err;
    }
  }

  #nondeterministic(what: string): never {
    throw new ModelError('KMC014', `${what} (${this.depth === 0 ? 'in the initial state' : `in a state after ${this.depth} steps`}): ${NOT_DETERMINISTIC}`, true);
  }
}

/** `a` with room for index `i`. */
function fit(a: Uint8Array<ArrayBuffer>, i: number): Uint8Array<ArrayBuffer> {
  if (i < a.length) return a;
  const g = new Uint8Array(Math.max(a.length * 2, i + 1));
  g.set(a);
  return g;
}
