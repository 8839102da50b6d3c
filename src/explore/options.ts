/** Options and results shared by the explorers. */
import type { Path, Verdict } from './verdict.ts';
import type { Tree } from './observer.ts';

export interface ExploreOptions {
  /** Stop with verdict `incomplete` once this many distinct states are stored. */
  readonly maxStates?: number;
  /** Stop with verdict `incomplete` before the explorer's own structures would pass this many bytes. */
  readonly maxMemory?: number;
  /** Check global deadlock and wait-for cycles (default true; `--no-deadlock` turns it off). */
  readonly deadlock?: boolean;
  /**
   * Where the visited set, the per-state arrays and the levels are kept (`store.ts`): `memory`
   * (default), or `compact` (hash compaction sized from `maxMemory`, the rest on disk).
   */
  readonly store?: 'memory' | 'compact';
}

/** Where a run is, reported by the explorers about every 50 ms (between slices of work). */
export interface Progress {
  readonly phase: 'safety' | 'liveness graph' | 'reference' | 'lockdep' | 'minimising';
  readonly states: number;
  readonly depth: number;
  readonly queue: number;
  readonly seconds: number;
}

export interface Stats {
  readonly states: number;
  /** Generated successors plus one for the initial state (SPIN's "transitions", TLC's "states generated"). */
  readonly transitions: number;
  /** Largest BFS distance from the initial state among the states explored. */
  readonly depth: number;
  readonly seconds: number;
  /** Bytes held by the explorer's own structures per stored state. */
  readonly bytesPerState: number;
  /** True when the visited set cannot confuse two states (fingerprints are a bijection, or states are compared whole). */
  readonly exact: boolean;
  /** TLC's optimistic estimate of a fingerprint collision; 0 when `exact`; with `store` compacted, Wolper and Leroy's estimate of an omission. */
  readonly collisionProbability: number;
  /**
   * `--store compact`: whether the table was compacted (it keeps states exactly until 1/16 full),
   * the bits it keeps per state, the expected number of omitted states, the bytes written to
   * disk, the levels that went there and the table's cells.
   */
  readonly store?: { readonly kind: 'compact'; readonly compacted: boolean; readonly bits: number; readonly expectedOmitted: number; readonly spilledBytes: number; readonly diskLevels: number; readonly cells: number };
  /** With liveness properties: bytes per state of the stored state graph (edges, masks, ids, states). */
  readonly graphBytesPerState?: number;
  /** Worker threads that ran the search (absent: it ran in the calling thread). */
  readonly workers?: number;
  /** The state space was reduced (the states are those of the reduced graph). */
  readonly reduction?: 'partial-order';
  /** Symmetry reduction: the states are one per orbit of the declared group (`--symmetry`). */
  readonly symmetry?: 'rotation' | 'permutation';
  /** The counterexample is a path of the reduced search: the full search that finds the shortest one stopped first. */
  readonly notShortest?: true;
}

export interface ExploreResult {
  readonly verdict: Verdict;
  readonly stats: Stats;
  /** Shortest path to a witness of each reached `sometimes` property. */
  readonly witnesses: ReadonlyMap<string, Path>;
  /** The fast explorer's event key (BFS order) of each witness: which witnesses a search stopped at a given event would have. */
  readonly witnessKeys?: ReadonlyMap<string, number>;
  /**
   * For the verdict's path: the low byte of the fingerprint of every state on it (the initial
   * state first), so that replay can tell where a nondeterministic model went another way.
   */
  readonly checks?: Uint8Array;
  /**
   * A search that went on past violations (`discover`): per property (`deadlock` for the
   * deadlock rule) found violated, its first violation — the verdict and path a search for it
   * alone gives — with the check bytes of its path and its event key (BFS order).
   */
  readonly found?: ReadonlyMap<string, { readonly key: number; readonly verdict: Extract<Verdict, { path: Path }>; readonly checks: Uint8Array }>;
  /** After a search that exhausted the space: per edge id, 1 if the step fired somewhere (step coverage). */
  readonly fired?: Uint8Array;
}

/** An explorer works in slices: `run()` yields between them, so a caller can report progress or stop it. */
export interface Explorer {
  run(): Generator<Progress, ExploreResult, void>;
  /** The result so far, verdict `incomplete` with the given reason (after `run()` yielded). */
  stop(reason: string): ExploreResult;
  /** An explorer that feeds observers: the search's BFS tree, what their results are read against. */
  tree?(): Tree;
}

/** How long a slice of work runs before an explorer yields. */
export const SLICE_MS = 50;

/** Runs a sliced computation to its end, ignoring what it yields. */
export function drain<T>(it: Generator<unknown, T, void>): T {
  for (;;) { const n = it.next(); if (n.done) return n.value; }
}
