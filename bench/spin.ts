/**
 * Finds (or installs) SPIN and measures pan on the reference models (`bench/pml/`), in its
 * breadth-first mode (`-DBFS`, its fastest exhaustive search) or its default depth-first one,
 * both `-DNOREDUCE -DSAFETY` (no partial-order reduction, no cycle detection).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpinRun { states: number; transitions: number; depth: number; seconds: number; residentBytes: number }

const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Returns why SPIN cannot be used, or undefined when it is ready. */
export function ensureSpin(log: (s: string) => void): string | undefined {
  if (!which('gcc')) return 'gcc not found';
  if (which('spin')) return undefined;
  log('spin not found; trying apt-get install -y spin');
  const r = spawnSync('sh', ['-c', 'apt-get install -y spin || (apt-get update && apt-get install -y spin)'], { stdio: 'ignore' });
  return r.status === 0 && which('spin') ? undefined : 'spin is not installed and apt-get install -y spin failed';
}

export async function runSpin(pml: string, n: number, search: 'bfs' | 'dfs'): Promise<SpinRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-spin-'));
  copyFileSync(pml, join(dir, 'm.pml'));
  execFileSync('spin', [`-DN=${n}`, '-a', 'm.pml'], { cwd: dir, stdio: 'ignore' });
  execFileSync('gcc', ['-O2', '-DNOREDUCE', '-DSAFETY', '-DMEMLIM=20000', ...(search === 'bfs' ? ['-DBFS'] : []), '-w', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'ignore' });
  const child = spawn('./pan', ['-m100000000', '-n', '-E'], { cwd: dir });
  let out = '', hwm = 0;
  child.stdout.on('data', (d) => (out += d));
  const poll = setInterval(() => {
    try { hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024); } catch { /* exited */ }
  }, 100);
  await new Promise((res) => child.on('exit', res));
  clearInterval(poll);
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  return {
    states: num(/(\d+) states, stored/),
    transitions: num(/([\d.e+]+) transitions \(= stored\+matched\)/),
    depth: num(/depth reached (\d+)/),
    seconds: num(/elapsed time ([\d.e+]+) seconds/),
    residentBytes: hwm,
  };
}
