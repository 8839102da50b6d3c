/**
 * @internal What whole-space properties (lockdep's rules) read: an observer of the search
 * (`observer.ts`) that keeps, for every transition whose step may take a lock
 * (`Edge.acquires`), the states before and after it (packed) and where it starts, in BFS order
 * of its source, then successor order. With the search's BFS tree (parent, edge) each can be
 * reached by a shortest run. Everything else is forgotten as the search goes.
 */
import { compileUnpack } from '../state/layout.ts';
import { Chunked } from './chunked.ts';
import { Grown } from './shared.ts';
import type { Expander } from './expander.ts';
import type { Observer, Tree } from './observer.ts';
import type { Instance } from '../state/instance.ts';

export interface SpaceScan {
  readonly states: number;
  /** BFS tree: per state its parent (-1 for the initial state) and the edge from it. */
  readonly parent: Int32Array;
  readonly via: Uint16Array | Int32Array;
  /** Per kept transition: its source state and its edge. */
  readonly src: Chunked;
  readonly edge: Chunked;
  readonly kept: number;
  /** Unpacks kept transition `i`'s state before (`which` 0) or after (1) into `out`. */
  unpack(i: number, which: 0 | 1, out: Int32Array): void;
}

/**
 * Per state with a transition that may take a lock, the state packed (W words); per such
 * transition, its source state, which of those packed states it starts from, its edge and the
 * expander's leaf, which gives the state after as word edits to the one before
 * (`Expander.pack`): 12 bytes a transition and 4W a state, instead of both states packed.
 */
export class AcquisitionRecorder implements Observer {
  readonly preds = [];
  readonly ids = false;
  readonly #acquires: Uint8Array;
  readonly #W: number;
  readonly #unpack: ReturnType<typeof compileUnpack>;
  readonly #src = new Chunked(Int32Array);
  readonly #edge = new Chunked(Int32Array);
  readonly #leaf = new Chunked(Int32Array);
  readonly #from = new Chunked(Int32Array);
  readonly #states = new Chunked(Uint32Array);
  /** States after of the transitions that worker threads recorded (`adopt`), W words each; their leaf is -1 - index. */
  readonly #afters = new Chunked(Uint32Array);
  #ex: Expander | undefined;
  #adopted = false;
  #kept = 0;
  #sources = 0;

  constructor(inst: Instance) {
    this.#acquires = Uint8Array.from(inst.edges, (e) => (e.acquires.length > 0 ? 1 : 0));
    this.#W = Math.max(1, inst.layout.words);
    this.#unpack = compileUnpack(inst.layout);
  }

  expanded(id: number, ex: Expander, _base: number, n: number, state: Uint32Array, at: number): void {
    this.#ex = ex;
    const W = this.#W;
    let kept = false;
    for (let j = 0; j < n; j++) {
      const e = ex.edge[j]!;
      if (this.#acquires[e] === 0) continue;
      if (!kept) { kept = true; for (let w = 0; w < W; w++) this.#states.push(state[at + w]!); this.#sources++; }
      this.#src.push(id); this.#edge.push(e); this.#leaf.push(ex.leaf[j]!); this.#from.push(this.#sources - 1);
      this.#kept++;
    }
  }

  targets(): void {}

  get bytes(): number { return this.#src.bytes + this.#edge.bytes + this.#leaf.bytes + this.#from.bytes + this.#states.bytes + this.#afters.bytes; }

  /**
   * Appends the records of the worker parts that took the search over (`SharedAcquisitions`,
   * `kept[v]` each), in BFS order of their sources: a part's record is in state order, and
   * each state was expanded by one part.
   */
  adopt(buffers: readonly (readonly SharedArrayBuffer[])[], kept: readonly number[]): void {
    if (this.#adopted) throw new Error('Assertion failed: a record adopted twice');
    this.#adopted = true;
    const W = this.#W;
    const parts = buffers.map((b, v) => ({ src: new Int32Array(b[0]!), edge: new Int32Array(b[1]!), words: new Uint32Array(b[2]!), n: kept[v]!, at: 0 }));
    let last = -1;
    for (;;) {
      let p: (typeof parts)[number] | undefined;
      for (const q of parts) if (q.at < q.n && (p === undefined || q.src[q.at]! < p.src[p.at]!)) p = q;
      if (p === undefined) return;
      const i = p.at++, src = p.src[i]!;
      if (src !== last) { last = src; for (let w = 0; w < W; w++) this.#states.push(p.words[2 * i * W + w]!); this.#sources++; }
      this.#src.push(src); this.#edge.push(p.edge[i]!); this.#from.push(this.#sources - 1);
      this.#leaf.push(-1 - this.#afters.length / W);
      for (let w = 0; w < W; w++) this.#afters.push(p.words[(2 * i + 1) * W + w]!);
      this.#kept++;
    }
  }

  /** The record of the search that ended with `tree`. */
  scan(tree: Tree): SpaceScan {
    const W = this.#W, states = this.#states, words = new Uint32Array(2 * W), unpack = this.#unpack, ex = this.#ex;
    return {
      states: tree.states, parent: tree.parent, via: tree.via, src: this.#src, edge: this.#edge, kept: this.#kept,
      unpack: (i, which, out) => {
        const from = this.#from.get(i);
        for (let w = 0; w < W; w++) words[w] = states.get(from * W + w);
        const leaf = this.#leaf.get(i);
        if (which === 1 && leaf >= 0) ex!.pack(leaf, words, 0, words, W);
        else if (which === 1) for (let w = 0; w < W; w++) words[W + w] = this.#afters.get((-1 - leaf) * W + w);
        unpack(words, which * W, out);
      },
    };
  }
}

/**
 * Lockdep's record in a worker part of `--workers N` (`part.ts`): the same transitions as
 * `AcquisitionRecorder`, in shared memory that the main thread reads when the search ends
 * (`AcquisitionRecorder.adopt`); both states are kept packed (a worker's expander, whose
 * leaves would give the state after, is not the main thread's).
 */
export class SharedAcquisitions implements Observer {
  readonly preds = [];
  readonly ids = false;
  readonly #acquires: Uint8Array;
  readonly #W: number;
  readonly #src: Grown<Int32Array>;
  readonly #edge: Grown<Int32Array>;
  readonly #words: Grown<Uint32Array>;
  #cap = 0;
  kept = 0;

  constructor(inst: Instance, buffers: readonly SharedArrayBuffer[]) {
    this.#acquires = Uint8Array.from(inst.edges, (e) => (e.acquires.length > 0 ? 1 : 0));
    this.#W = Math.max(1, inst.layout.words);
    this.#src = new Grown(Int32Array, buffers[0]); this.#edge = new Grown(Int32Array, buffers[1]); this.#words = new Grown(Uint32Array, buffers[2]);
  }

  expanded(id: number, ex: Expander, _base: number, n: number, state: Uint32Array, at: number, succ: Uint32Array, c: number): void {
    const W = this.#W;
    for (let j = 0; j < n; j++) {
      const e = ex.edge[j]!;
      if (this.#acquires[e] === 0) continue;
      const k = this.kept++;
      if (k >= this.#cap) { this.#cap = Math.max(1024, 2 * k); this.#src.ensure(this.#cap); this.#edge.ensure(this.#cap); this.#words.ensure(2 * W * this.#cap); }
      this.#src.view[k] = id; this.#edge.view[k] = e;
      const words = this.#words.view;
      for (let w = 0; w < W; w++) { words[2 * k * W + w] = state[at + w]!; words[(2 * k + 1) * W + w] = succ[(c + j) * W + w]!; }
    }
  }

  targets(): void {}

  get bytes(): number { return this.#src.sab.byteLength + this.#edge.sab.byteLength + this.#words.sab.byteLength; }
}
