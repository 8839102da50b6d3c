/**
 * Runs the kmc command line for transcript tests: in this process through `run()` (what nearly
 * every test wants), or as the real `node bin/kmc.js` process (for what only a process has: its
 * exit status, signals, Node's own options).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ROOT } from '../cli/load-model.ts';
import { run } from '../cli/run.ts';

export interface Run { readonly code: number | null; readonly out: string; readonly err: string }

/** A stream that appends what is written to it to `into`. */
const sink = (into: (s: string) => void): Writable =>
  new Writable({ decodeStrings: false, write(chunk: string | Buffer, _enc, done) { into(String(chunk)); done(); } });

/** `kmc ...args` in this process, with `env` over this process's environment. */
export async function kmcEnv(env: Record<string, string>, ...args: string[]): Promise<Run> {
  let out = '', err = '';
  const code = await run(args, { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: { ...process.env, ...env } });
  return { code, out, err };
}

/** `kmc ...args` in this process. */
export const kmc = (...args: string[]): Promise<Run> => kmcEnv({}, ...args);

/** `node bin/kmc.js ...args` as a process in the package root, with `env` over this process's environment. */
export const kmcProcessEnv = (env: Record<string, string>, ...args: string[]): Run => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kmc.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** `node bin/kmc.js ...args` as a process in the package root. */
export const kmcProcess = (...args: string[]): Run => kmcProcessEnv({}, ...args);

/** Starts the kmc process, sends `signal` once stderr shows `when`, and resolves with what it printed. */
export function kmcInterrupted(signal: NodeJS.Signals, when: RegExp, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kmc.js'), ...args], { cwd: ROOT, env: { ...process.env, KMC_PROGRESS_MS: '0' } });
    let out = '', err = '', sent = false;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => { err += d; if (!sent && when.test(err)) { sent = true; child.kill(signal); } });
    child.on('close', (code) => done({ code, out, err }));
  });
}
