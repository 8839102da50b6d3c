/** @internal Partial-order reduction (stubborn sets): see below. */
import type { Expander } from './expander.ts';

/** Chooses, per state, which of its enabled edges the search follows. */
export interface Reduction {
  /** Of the `n` enabled edges in `ex.edge/leaf[0..n)`, the indices to follow, into `out`; returns how many. */
  select(ex: Expander, n: number, out: Int32Array): number;
}

/** Placeholder until the analysis lands: follows every enabled edge. */
export function analyse(_inst: unknown, _opts: { deadlock: boolean }): Reduction {
  return { select: (_ex, n, out) => { for (let i = 0; i < n; i++) out[i] = i; return n; } };
}
