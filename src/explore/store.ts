/**
 * @internal Where a search keeps what it stores (`--store`):
 *
 * - `memory` (the default): 64-bit fingerprints in an exact open-addressing table, the
 *   per-state arrays and both BFS levels in memory; `--max-memory` stops the search.
 * - `compact`: the visited set by hash compaction (`compact-table.ts`), its table sized from
 *   `--max-memory` (5/8 of it, or all but 1.25 GiB of a larger one), and the per-state arrays
 *   and levels past a chunk on disk (`spill.ts`):
 *   about 4.4 B per state at the table's largest load, instead of about 22. A state whose kept
 *   bits equal another's is omitted: the result prints Wolper and Leroy's estimate of that.
 *   One thread, safety and deadlock only (liveness and lockdep read the BFS tree in memory).
 */
import { CompactTable, omission } from '../state/compact-table.ts';
import { Spill } from './spill.ts';
import type { Stats } from './options.ts';

export type StoreKind = 'memory' | 'compact';

/**
 * What the compact table leaves of the budget: 3/8, at most 1.25 GiB, for the memo, the
 * candidates, the level windows and the per-state chunks (at most 256 MiB each).
 */
export const tableBytes = (budget: number): number => budget - Math.min(budget * 3 / 8, 1.25 * 2 ** 30);

export interface StoreTuning {
  /** States kept exactly before the table is compacted (default 1/16 of its cells, at most 2^24). */
  readonly compactAt?: number;
  /** Bytes of the compact table (default `tableBytes` of the budget). */
  readonly table?: number;
  /** Bytes of a level buffer or of the per-state arrays before they go to disk (default 1/32 of the budget, 64 KiB to 256 MiB). */
  readonly chunk?: number;
}

export interface Store {
  readonly visited: CompactTable;
  readonly spill: Spill;
  /** What the result's statistics say of the store after `states` states. */
  stats(states: number): Partial<Stats>;
}

export function compactStore(budget: number, tuning: StoreTuning = {}): Store {
  if (!Number.isFinite(budget)) throw new Error('Assertion failed: a compact store without a memory budget');
  const visited = new CompactTable(tuning.table ?? tableBytes(budget), tuning.compactAt);
  const spill = new Spill(tuning.chunk ?? Math.min(2 ** 28, Math.max(2 ** 16, budget / 32)));
  return {
    visited, spill,
    stats(states) {
      const o = omission(states, visited.bits);
      return {
        store: { kind: 'compact', compacted: visited.compacted, bits: visited.bits, expectedOmitted: visited.compacted ? o.expected : 0, spilledBytes: spill.written, diskLevels: spill.levels, cells: visited.cells },
        ...(visited.compacted ? { exact: false, collisionProbability: o.p } : {}),
      };
    },
  };
}
