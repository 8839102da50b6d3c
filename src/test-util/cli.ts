/** Runs the kmc command line as a subprocess (for CLI transcript tests). */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/load-model.ts';

export interface Run { readonly code: number | null; readonly out: string; readonly err: string }

export const kmcEnv = (env: Record<string, string>, ...args: string[]): Run => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kmc.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

export const kmc = (...args: string[]): Run => kmcEnv({}, ...args);

/** Starts kmc, sends `signal` once stderr shows `when`, and resolves with what it printed. */
export function kmcInterrupted(signal: NodeJS.Signals, when: RegExp, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kmc.js'), ...args], { cwd: ROOT, env: { ...process.env, KMC_PROGRESS_MS: '0' } });
    let out = '', err = '', sent = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => { err += d; if (!sent && when.test(err)) { sent = true; child.kill(signal); } });
    child.on('close', (code) => done({ code, out, err }));
  });
}
