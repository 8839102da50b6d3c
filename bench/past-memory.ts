/**
 * `npm run bench -- --past-memory [--largest]`: `--store compact` (hash compaction, the BFS tree
 * and the levels on disk) against the search in memory, one thread each, whole state space,
 * deadlock checking off, each in a fresh process, alternately: states/s (per second of the clock,
 * and per second of CPU time, which other processes on a shared machine disturb less), the bytes per state the
 * explorer counts and the process's peak resident bytes per state, the estimated omission, and
 * what went to disk. The compact runs get a `--max-memory` that puts the table at load ~3/4
 * at the end (what `--store compact` is for: a table sized to the states), the runs in memory
 * none. `--largest` adds philosophers n=17 (~6.6e8 states) and n=18 (~2.2e9) under
 * `--max-memory 8G`: the search in memory stops at ~3.5e8 states (its states/s are up to then;
 * not run again for n=18), the compact one explores n=17 and stops n=18 at its full table
 * (~1.6e9 states; n=18 is also past 2^31 state ids). Over an hour and a half on 2 cores.
 */
import { table } from '../src/cli/matrix.ts';

type Params = Record<string, string | number | boolean>;
export interface StoreRun {
  states: number; transitions: number; depth: number; seconds: number; cpuSeconds: number; bytesPerState: number; residentBytesPerState: number; verdict: string; reason?: string;
  collisionProbability: number; store?: { compacted: boolean; bits: number; expectedOmitted: number; spilledBytes: number; diskLevels: number; cells: number };
}

const fmt = (x: number, d = 0): string => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
const MiB = 2 ** 20, GiB = 2 ** 30;
/** The budget that puts `states` at load 3/4 of the compact table (5/8 of a budget under 3.3 GiB, 4 B a cell), in whole MiB. */
const sized = (states: number): number => Math.ceil((states / 0.75) * 4 / (5 / 8) / MiB) * MiB;
const size = (b: number): string => (b >= GiB && b % GiB === 0 ? `${b / GiB}G` : `${Math.round(b / MiB)}M`);

/** Philosophers' states per n (models/classic/classic.test.ts and the benchmark pin the smaller ones). */
const PHIL: Record<number, number> = { 12: 1_684_801, 13: 5_564_522, 14: 18_400_000 };

export function pastMemoryTable(quick: boolean, largest: boolean, markdown: boolean, measure: (mode: string, model: string, params: Params) => StoreRun): string {
  /** `memory`: the search in memory's budget (undefined: none; 0: not run, as it would stop where the one before did). */
  const cases: { n: number; memory?: number; compact: number }[] = [
    ...(quick ? [{ n: 12, compact: sized(PHIL[12]!) }] : [{ n: 13, compact: sized(PHIL[13]!) }, { n: 14, compact: sized(PHIL[14]!) }]),
    ...(largest ? [{ n: 17, memory: 8 * GiB, compact: 8 * GiB }, { n: 18, memory: 0, compact: 8 * GiB }] : []),
  ];
  const rows: string[][] = [['philosophers', 'store', '--max-memory', 'verdict', 'states', 'transitions', 'depth', 'seconds', 'CPU s', 'states/s', 'states/CPU s', 'B/state', 'resident B/state', 'p(omission)', 'omitted (expected)', 'bits kept', 'to disk', 'levels on disk']];
  const lines: string[] = [];
  for (const c of cases) {
    const mem = c.memory === 0 ? undefined : measure(c.memory === undefined ? 'fast' : `memory:${c.memory}`, 'classic/philosophers', { n: c.n });
    const cmp = measure(`compact:${c.compact}`, 'classic/philosophers', { n: c.n });
    for (const [label, r, budget] of [['memory', mem, c.memory], ['compact', cmp, c.compact]] as const) {
      if (r === undefined) continue;
      const s = r.store;
      rows.push([label === 'memory' || mem === undefined ? `n=${c.n}` : '', label, budget === undefined ? '-' : size(budget), r.verdict === 'incomplete' ? `incomplete (${r.reason ?? ''})` : r.verdict,
        fmt(r.states), fmt(r.transitions), fmt(r.depth), fmt(r.seconds, 1), fmt(r.cpuSeconds, 1), fmt(r.states / r.seconds), fmt(r.states / r.cpuSeconds), fmt(r.bytesPerState, 1), fmt(r.residentBytesPerState, 1),
        s?.compacted ? r.collisionProbability.toExponential(1) : '-', s?.compacted ? s.expectedOmitted.toExponential(1) : '-', s?.compacted ? s.bits.toFixed(1) : '-',
        s ? `${fmt(s.spilledBytes / MiB)} MiB` : '-', s ? String(s.diskLevels) : '-']);
    }
    if (mem === undefined) {
      lines.push(`philosophers n=${c.n}: --store compact ${cmp.verdict === 'incomplete' ? `stopped at ${fmt(cmp.states)} states (${cmp.reason ?? ''})` : `explored all ${fmt(cmp.states)} states`}, ${fmt(cmp.states / cmp.seconds)} states/s, ${fmt(cmp.bytesPerState, 1)} B/state`);
      continue;
    }
    const same = mem.states === cmp.states && mem.transitions === cmp.transitions && mem.depth === cmp.depth;
    lines.push(`philosophers n=${c.n}: --store compact = ${((cmp.states / cmp.seconds) / (mem.states / mem.seconds)).toFixed(2)}x the states/s in memory ` +
      `(${((cmp.states / cmp.cpuSeconds) / (mem.states / mem.cpuSeconds)).toFixed(2)}x per CPU second), ` +
      `${fmt(cmp.bytesPerState, 1)} against ${fmt(mem.bytesPerState, 1)} B/state counted (${(mem.bytesPerState / cmp.bytesPerState).toFixed(1)}x less), ` +
      `${fmt(cmp.residentBytesPerState, 1)} against ${fmt(mem.residentBytesPerState, 1)} resident; ` +
      (mem.verdict === 'incomplete' || cmp.verdict === 'incomplete' ? `the search in memory ${mem.verdict === 'incomplete' ? 'stopped' : 'ended'} at ${fmt(mem.states)} states, the compact one ${cmp.verdict === 'incomplete' ? 'stopped' : 'ended'} at ${fmt(cmp.states)}`
        : same ? 'same states, transitions and depth' : 'DIFFERENT COUNTS (an omission, or a bug)'));
  }
  return `--store compact (hash compaction, BFS tree and levels on disk) against the search in memory, one thread, one run each, alternately:\n\n${table(rows, markdown)}\n${lines.join('\n')}\n`;
}
