/**
 * Long counterexamples: the whole `kmc check bench/models/deep.ts --param n=N` process (a
 * violation at depth N + 3), for N = 10^3, 10^4, 10^5, with the text report and with --json,
 * --html and --dot; wall time and the CPU time the process used (user + system: on a busy
 * machine the wall time says more about the neighbours). Run on its own:
 * `node bin/run-ts.js bench/long-counterexample.ts`; `npm run bench` prints the same rows.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../src/cli/load-model.ts';

export interface LongRow { readonly steps: number; readonly output: string; readonly wall: number; readonly cpu: number; readonly exit: number | null }

export function measureLong(sizes: readonly number[] = [1e3, 1e4, 1e5]): LongRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-long-'));
  try {
    return sizes.flatMap((n) => ([['text', []], ['--json --html --dot', ['--json', '--html', join(dir, 'd.html'), '--dot', join(dir, 'd.dot')]]] as const).map(([output, flags]) => {
      const t0 = performance.now();
      const r = spawnSync('/bin/sh', ['-c', `"$@" >/dev/null 2>&1; echo $?; times`, 'sh', process.execPath,
        join(ROOT, 'bin/kmc.js'), 'check', 'bench/models/deep.ts', '--param', `n=${n}`, '--workers', '1', ...flags], { cwd: ROOT, encoding: 'utf8' });
      const wall = (performance.now() - t0) / 1000;
      // `times`: the shell's own line, then its children's: "0m3.865s 0m1.115s"
      const [code, , children] = r.stdout.trim().split('\n');
      const cpu = (children ?? '').split(' ').map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? Number(m[1]) * 60 + Number(m[2]) : 0; }).reduce((a, b) => a + b, 0);
      return { steps: n + 3, output, wall, cpu, exit: Number(code) };
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const longRows = (rows: readonly LongRow[]): string[][] =>
  [['steps', 'output', 'wall s', 'CPU s', 'exit'], ...rows.map((r) => [r.steps.toLocaleString('en-US'), r.output, r.wall.toFixed(2), r.cpu.toFixed(2), String(r.exit)])];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of longRows(measureLong())) process.stdout.write(`${r.map((c, i) => (i === 1 ? c.padEnd(20) : c.padStart(10))).join(' ')}\n`);
}
