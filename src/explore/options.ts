/** Options and results shared by the explorers. */
import type { Path, Verdict } from '../check/verdict.ts';

export interface ExploreOptions {
  /** Stop with verdict `incomplete` once this many distinct states are stored. */
  readonly maxStates?: number;
  /** Check global deadlock and wait-for cycles (default true; `--no-deadlock` turns it off). */
  readonly deadlock?: boolean;
  /** Called about once every `progressEveryMs` (default 1000). */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEveryMs?: number;
}

export interface Progress { readonly states: number; readonly statesPerSecond: number; readonly depth: number; readonly queue: number; readonly seconds: number }

export interface Stats {
  readonly states: number;
  /** Generated successors plus one for the initial state (SPIN's "transitions", TLC's "states generated"). */
  readonly transitions: number;
  /** Largest BFS distance from the initial state among the states explored. */
  readonly depth: number;
  readonly seconds: number;
  /** Bytes held by the explorer's own structures per stored state. */
  readonly bytesPerState: number;
  /** TLC's optimistic estimate; 0 when fingerprints are exact (states of at most 64 bits). */
  readonly collisionProbability: number;
  /** With liveness properties: bytes per state of the stored state graph (edges, masks, ids, states). */
  readonly graphBytesPerState?: number;
}

export interface ExploreResult {
  readonly verdict: Verdict;
  readonly stats: Stats;
  /** Shortest path to a witness of each reached `sometimes` property. */
  readonly witnesses: ReadonlyMap<string, Path>;
}
