/** Runs the kmc command line as a subprocess (for CLI transcript tests). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/load-model.ts';

export const kmcEnv = (env: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kmc.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

export const kmc = (...args: string[]) => kmcEnv({}, ...args);
