/**
 * @internal Where a search keeps what it stores (`--store`):
 *
 * - `memory` (the default): 64-bit fingerprints in an exact open-addressing table, the
 *   per-state arrays and both BFS levels in memory; `--max-memory` stops the search.
 * - `compact`: the visited set by hash compaction (`compact-table.ts`), its table sized from
 *   `--max-memory`, and the per-state arrays and levels past a chunk on disk (`spill.ts`):
 *   about 4.4 B per state at the table's largest load, instead of about 22. A state whose kept
 *   bits equal another's is omitted: the result prints Wolper and Leroy's estimate of that.
 *   One thread, safety and deadlock only (liveness and lockdep read the BFS tree in memory).
 */
import { CompactTable, omission } from '../state/compact-table.ts';
import { Spill } from './spill.ts';
import type { Stats } from './options.ts';

export type StoreKind = 'memory' | 'compact';

/** Share of the budget the compact table takes; the rest is for the memo, candidates, level windows and per-state chunks. */
const TABLE_SHARE = 5 / 8;

export interface StoreTuning {
  /** States kept exactly before the table is compacted (default 1/16 of its cells). */
  readonly compactAt?: number;
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
  const visited = new CompactTable(budget * TABLE_SHARE, tuning.compactAt);
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
