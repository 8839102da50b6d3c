/**
 * @internal What whole-space properties (lockdep's rules) read: an observer of the search
 * (`observer.ts`) that keeps, for every transition whose step may take a lock
 * (`Edge.acquires`), the states before and after it (packed) and where it starts, in BFS order
 * of its source, then successor order. With the search's BFS tree (parent, edge) each can be
 * reached by a shortest run. Everything else is forgotten as the search goes.
 */
import { compileUnpack } from '../state/layout.ts';
import { Chunked } from './chunked.ts';
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
  #ex: Expander | undefined;
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

  get bytes(): number { return this.#src.bytes + this.#edge.bytes + this.#leaf.bytes + this.#from.bytes + this.#states.bytes; }

  /** The record of the search that ended with `tree`. */
  scan(tree: Tree): SpaceScan {
    const W = this.#W, states = this.#states, words = new Uint32Array(2 * W), unpack = this.#unpack, ex = this.#ex;
    return {
      states: tree.states, parent: tree.parent, via: tree.via, src: this.#src, edge: this.#edge, kept: this.#kept,
      unpack: (i, which, out) => {
        const from = this.#from.get(i);
        for (let w = 0; w < W; w++) words[w] = states.get(from * W + w);
        if (which === 1) ex!.pack(this.#leaf.get(i), words, 0, words, W);
        unpack(words, which * W, out);
      },
    };
  }
}
