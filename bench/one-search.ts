/**
 * `kmc check` explores once: the liveness graph and lockdep's record are built by the search
 * that checks the safety properties, not by searches of their own. This measures what that
 * saves against an older revision (`--before REV`, default the last revision that explored
 * in phases), in one run: each row runs the older sources and these, alternately, each in a
 * fresh process, `rounds` times (the median is shown). Seconds are the check's own (as `kmc
 * check` prints them); B/state is what the explorer counts (the older revision counted the
 * safety search only, and printed its liveness graph apart), and resident B/state the process's
 * peak resident memory over the states (every phase included, whatever counts it). Threads: the
 * worker threads that ran the (safety) search, 1 if it stayed in the calling thread.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../src/cli/load-model.ts';
import { table } from '../src/cli/matrix.ts';

type Params = Record<string, string | number | boolean>;
interface Run { states: number; seconds: number; bytesPerState: number; graphBytesPerState?: number; residentBytesPerState: number; verdict: string; workers?: number; notes?: string[] }

/** The last revision whose `kmc check` explored a liveness or lockdep configuration in phases. */
export const BEFORE = '8186041';

const CASES: { model: string; params: Params; label: string; property?: string }[] = [
  { model: 'gup-writeback', params: {}, label: 'default' },
  { model: 'dio-mmap', params: {}, label: 'default' },
  { model: 'dio-mmap', params: { tasks: 3, files: 2 }, label: 'tasks=3 files=2' },
  { model: 'dio-mmap', params: { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 1, files: 1, buffer: 'same' }, label: "d3 1 task 1 file, L2(c)", property: 'L2(c)' },
  { model: 'dio-mmap', params: { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 3, files: 3, buffer: 'same' }, label: 'd3 3 tasks 3 files' },
  { model: 'dio-mmap', params: { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 3, files: 3, buffer: 'same', punch: true }, label: 'd3 3 tasks 3 files +punch' },
  // lockdep alone (no liveness property asked): the search keeps its worker threads
  { model: 'dio-mmap', params: { dio: 'd1_shared', fault_lock: 'invalidate_lock', tasks: 3, files: 2, punch: true }, label: 'd1_shared 3 tasks 2 files +punch', property: 'possible circular locking dependency' },
];

const log = (s: string): void => { process.stderr.write(`${s}\n`); };
const fmt = (x: number | undefined, d = 0): string => (x !== undefined && Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function run(root: string, c: (typeof CASES)[number]): Run {
  return JSON.parse(execFileSync(process.execPath,
    ['--expose-gc', join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/run-check.ts'), root, c.model, JSON.stringify(c.params), ...(c.property ? [c.property] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 20 })) as Run;
}

/** The table of the comparison: per case, the older revision's row and this one's. */
export function oneSearch(before = BEFORE, rounds = 3, markdown = false): string {
  const old = mkdtempSync(join(tmpdir(), 'kmc-before-'));
  try {
    execFileSync('sh', ['-c', `git -C '${ROOT}' archive '${before}' | tar -x -C '${old}'`]);
    symlinkSync(join(ROOT, 'node_modules'), join(old, 'node_modules'));
    const rows: string[][] = [['model', 'configuration', 'sources', 'verdict', 'states', 'threads', 'seconds', 'B/state (counted)', 'resident B/state']];
    const ratios: string[] = [];
    for (const c of CASES) {
      const runs: { old: Run[]; now: Run[] } = { old: [], now: [] };
      for (let i = 0; i < rounds; i++) {
        log(`${c.model} ${c.label}: round ${i + 1}`);
        runs.old.push(run(old, c)); runs.now.push(run(ROOT, c));
      }
      const show = (label: string, rs: Run[]): { seconds: number; resident: number } => {
        const r = rs[0]!, seconds = median(rs.map((x) => x.seconds)), resident = median(rs.map((x) => x.residentBytesPerState));
        const counted = `${fmt(median(rs.map((x) => x.bytesPerState)), 1)}${r.graphBytesPerState === undefined ? '' : ` + graph ${fmt(r.graphBytesPerState, 1)}`}`;
        rows.push([label === 'before' ? c.model : '', label === 'before' ? `${c.label}${c.property ? ` --property '${c.property}'` : ''}` : '', label, r.verdict, fmt(r.states), String(r.workers ?? 1), fmt(seconds, 3), counted, fmt(resident, 1)]);
        return { seconds, resident };
      };
      const a = show('before', runs.old), b = show('after', runs.now);
      // the models have changed since the older revision (steps of the kernel added, e.g. the fault's
      // VM_FAULT_RETRY and GUP-fast), so a state count may differ: said, with both counts; a verdict may not
      const o = runs.old[0]!, n = runs.now[0]!;
      const diff = o.verdict !== n.verdict ? ` — DIFFERENT VERDICT (${o.verdict} -> ${n.verdict})` : o.states !== n.states ? ` (the model changed since ${before}: ${fmt(o.states)} -> ${fmt(n.states)} states, so the times compare different searches)` : '';
      ratios.push(`${c.model} ${c.label}: ${(a.seconds / b.seconds).toFixed(2)}x less time, resident ${fmt(a.resident, 1)} -> ${fmt(b.resident, 1)} B/state${diff}`);
    }
    return `kmc check before (${before}: liveness and lockdep explored in phases of their own) and after (one search), median of ${rounds}, --workers = cores:\n\n${table(rows, markdown)}\n${ratios.join('\n')}\n`;
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('one-search.ts')) {
  const at = process.argv.indexOf('--before');
  process.stdout.write(oneSearch(at > 0 ? process.argv[at + 1] : BEFORE, 3, process.argv.includes('--markdown')));
}
