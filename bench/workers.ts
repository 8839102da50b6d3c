/**
 * The workers table of `npm run bench` (alone: `npm run bench -- --workers`): `kmc check` as its
 * users run it, installed and compiled (no tsx: the JavaScript `tsc` writes, into a directory
 * of its own that is removed afterwards), one thread (`--workers 1`) against `--workers N`, the
 * whole process timed, in fresh processes and alternately (one thread first, then N first), so
 * that both see the machine as it was; the same states, transitions, depth and verdict in every
 * run. The targets (issue 19): >= 1.7x with two threads on rows of 1e6 states and more, and never
 * below one thread. The load average at each pair is printed: the machine may be shared.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../src/cli/load-model.ts';
import { table } from '../src/cli/matrix.ts';

type Params = Record<string, string | number | boolean>;
export interface WorkersCase { readonly model: string; readonly params: Params; readonly label: string; readonly property?: string }

/** One whole `kmc check` process: its wall time, and what its `--json` report says. */
interface Run { readonly wall: number; readonly seconds: number; readonly states: number; readonly transitions: number; readonly depth: number; readonly verdict: string; readonly workers: number }

/** kmc compiled into a directory of its own (package.json beside it, this checkout's node_modules linked): its CLI entry, and how to remove it. */
export function compiledKmc(log: (s: string) => void): { readonly main: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-compiled-'));
  log(`workers: compiling kmc into ${dir}`);
  copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--noCheck', '--outDir', join(dir, 'dist')], { stdio: 'inherit' });
  return { main: join(dir, 'dist/src/cli/main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const argsOf = (main: string, c: WorkersCase, workers: number): string[] => [main, 'check', c.model, ...Object.entries(c.params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
  ...(c.property === undefined ? ['--no-deadlock'] : ['--property', c.property]), '--workers', String(workers), '--json'];

/**
 * What the machine allows two threads of this search: two independent one-thread processes of it
 * run at once, the wall time until both end. Two threads can give at most 2 x (one alone) / this
 * (memory, caches and V8's helper threads are shared; on the 2-core machine phil n=12 gave 1.57x).
 */
function together(main: string, c: WorkersCase): number {
  const q = (x: string): string => `'${x.replace(/'/g, `'\\''`)}'`, cmd = [process.execPath, ...argsOf(main, c, 1)].map(q).join(' ');
  const t0 = performance.now();
  // each process's exit status, as `once` judges it (a verdict's own codes, 10-15, are not failures)
  const r = spawnSync('sh', ['-c', `${cmd} >/dev/null & a=$!; ${cmd} >/dev/null & b=$!; wait $a; x=$?; wait $b; echo $x $?`], { encoding: 'utf8', env: { ...process.env, KMC_PROGRESS_MS: '3600000' } });
  const wall = (performance.now() - t0) / 1000, codes = r.stdout.trim().split(' ').map(Number);
  if (r.status !== 0 || codes.length !== 2 || codes.some((x) => x === 1 || x === 2 || x === 255)) throw new Error(`two kmc processes at once exited ${codes.join(' and ')}: ${r.stderr}`);
  return wall;
}

/** Rows whose one thread takes longer than this (s) are not run twice at once (`together`): the benchmark's time. */
const TOGETHER_MAX = 60;

function once(main: string, c: WorkersCase, workers: number): Run {
  const args = argsOf(main, c, workers);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, KMC_PROGRESS_MS: '3600000' } });
  const wall = (performance.now() - t0) / 1000;
  if (r.status === null || r.status === 1 || r.status === 2 || r.status === 255) throw new Error(`kmc ${args.slice(1).join(' ')} exited ${r.status}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as { seconds: number; states: number; transitions: number; depth: number; verdict: string; workers: number };
  return { wall, seconds: j.seconds, states: j.states, transitions: j.transitions, depth: j.depth, verdict: j.verdict, workers: j.workers };
}

/**
 * The "never < 1x" verdict. Where no worker started in any pair, both runs of a pair are the same
 * one-thread search, and a median below 1x within one thread's own spread is that spread.
 */
function never(median: number, least: number, inTeam: number, spread: number): string {
  const inPair = least < 1 ? `, ${least.toFixed(2)}x in one pair` : '';
  if (median >= 1) return `hit${inPair}`;
  if (inTeam === 0 && median * spread >= 1) return `hit: no worker started, the same one-thread search (${median.toFixed(2)}x is within one thread's own ${spread.toFixed(2)}x spread)`;
  return `MISSED${inPair}`;
}

/**
 * Pairs per row: one on rows whose one thread takes 20 s and more; at least six on rows of under
 * 2 s, where one thread's own runs differ by 5-15% (two pairs read such noise as a loss or a gain).
 */
const pairsFor = (oneThread: number, pairs: number): number => (oneThread >= 20 ? 1 : oneThread < 2 ? Math.max(pairs, 6) : pairs);

export function workersTable(cases: readonly WorkersCase[], n: number, pairs: number, markdown: boolean, log: (s: string) => void): string {
  const { main, remove } = compiledKmc(log);
  const fmt = (x: number, d = 2): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows: string[][] = [['model', 'size', 'states', 'load', '1 thread (s)', `--workers ${n} (s)`, 'x one thread', 'in the search (x)']];
  const lines: string[] = [];
  try {
    for (const c of cases) {
      const ratios: number[] = [], runs: Run[] = [];
      for (let i = 0, want = pairs; i < want; i++) {
        const load = loadavg()[0]!;
        log(`${c.model} ${c.label}: kmc compiled, --workers 1 and ${n} (pair ${i + 1})`);
        const pair: Record<number, Run> = {};
        for (const w of i % 2 === 0 ? [1, n] : [n, 1]) pair[w] = once(main, c, w);
        const one = pair[1]!, many = pair[n]!;
        if (i === 0) want = pairsFor(one.wall, pairs);
        runs.push(one, many);
        ratios.push(one.wall / many.wall);
        rows.push([i === 0 ? c.model : '', i === 0 ? c.label : '', i === 0 ? one.states.toLocaleString('en-US') : '', fmt(load), fmt(one.wall), `${fmt(many.wall)}${many.workers < n ? ' (1 thread)' : ''}`,
          `${fmt(one.wall / many.wall)}x`, `${fmt(one.seconds / many.seconds)}x`]);
      }
      const same = runs.every((r) => r.states === runs[0]!.states && r.transitions === runs[0]!.transitions && r.depth === runs[0]!.depth && r.verdict === runs[0]!.verdict);
      const sorted = [...ratios].sort((a, b) => a - b), mid = sorted.length / 2, median = (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid) - 1]!) / 2, big = runs[0]!.states >= 1e6;
      const verdict = (ok: boolean): string => (ok ? 'hit' : 'MISSED');
      const inTeam = runs.filter((r, i) => i % 2 === 1 && r.workers >= n).length;
      // what one thread's own runs differ by at this load: a ratio below 1x within it is not a loss shown
      const alone = runs.filter((_, i) => i % 2 === 0).map((r) => r.wall), spread = Math.max(...alone) / Math.min(...alone);
      const mean = alone.reduce((a, b) => a + b, 0) / alone.length;
      let ceiling = '';
      if (big && mean <= TOGETHER_MAX) {
        log(`${c.model} ${c.label}: two one-thread processes at once`);
        const both = together(main, c);
        ceiling = `; two one-thread processes at once took ${fmt(both)} s against ${fmt(mean)} s for one alone: two threads can give at most ${fmt(2 * mean / both)}x here`;
      }
      lines.push(`${c.model} ${c.label}: --workers ${n} = ${fmt(median)}x one thread (median of ${ratios.length}; ${ratios.map((r) => fmt(r)).join(', ')}; ${inTeam} of ${ratios.length} in ${n} threads; one thread's runs ${fmt(spread)}x apart) `
        + `(${big ? `target >= 1.7x on 1e6 states and more: ${verdict(median >= 1.7)}; ` : ''}never < 1x: ${never(median, sorted[0]!, inTeam, spread)})${same ? ', same states, transitions, depth and verdict' : ', DIFFERENT COUNTS'}${ceiling}`);
    }
  } finally {
    remove();
  }
  return `--workers: kmc check compiled (as installed), the whole process, one thread against --workers ${n}, fresh processes in alternating order\n${table(rows, markdown)}\n${lines.join('\n')}\n`;
}
