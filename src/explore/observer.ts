/**
 * @internal What watches the search besides its own checks: the liveness state graph
 * (`graph.ts`) and lockdep's acquisition record (`acquisitions.ts`) are built from the
 * expansion that checks the safety properties, with its visited set, bounds, progress and stop
 * (TLC's `Worker` feeds `LiveCheck` from the same loop). The explorer calls an observer once per
 * expanded state, with the state's enabled transitions and their successors, in BFS order.
 *
 * The state graph's observer runs in the thread that runs the search (one part, `part.ts`): it
 * needs each successor's id, which a part knows only for the states it inserted itself.
 * Lockdep's record also runs in worker parts (`--workers`), each keeping its own transitions,
 * merged in BFS order when the search ends (`adopt`).
 */
import type { Expander, Predicate } from './expander.ts';

export interface Observer {
  /** State predicates the observer reads: the expander remembers them with the search's own. */
  readonly preds: readonly Predicate[];
  /** True if the observer needs each successor's state id (`targets`). */
  readonly ids: boolean;
  /**
   * State `id` was expanded: `ex.cur` holds it (the observer's predicate i is `ex.holds(base +
   * i)`), packed at `state[at..at + W)`; its `n` enabled transitions are `ex.edge`/`ex.leaf[0..n)`,
   * successor j packed at `succ[(c + j) * W..)`.
   */
  expanded(id: number, ex: Expander, base: number, n: number, state: Uint32Array, at: number, succ: Uint32Array, c: number): void;
  /** With `ids`: the state id of each of the `n` successors generated since the last call, in order. */
  targets(ids: Int32Array, n: number): void;
  /** Bytes the observer holds. */
  readonly bytes: number;
  /**
   * With `--workers`: the records the worker parts kept of the search they took over (in the
   * memory's `acquisitions`, `kept[v]` transitions each), appended after this thread's. An
   * observer without it cannot watch a search handed to workers.
   */
  adopt?(buffers: readonly (readonly SharedArrayBuffer[])[], kept: readonly number[]): void;
}

/** The search's BFS tree when it ended: per state its parent (-1 for the initial state), the edge from it, its check byte. */
export interface Tree {
  readonly states: number;
  readonly parent: Int32Array;
  readonly via: Uint16Array | Int32Array;
  readonly check: Uint8Array;
}
