/**
 * kmc as its users get it: `npm pack` (which builds dist/ in prepack), then the tarball kept in
 * an empty project (`vendor/`, as the README's install does, so that a clean clone can install
 * it) and installed from there as CI installs it: the lock file written first, then `npm ci` on
 * the tree without node_modules, with `--prefer-offline` (dependencies from the cache this
 * checkout's `npm ci` filled). Used by the pack-and-install test and by the benchmark's start-up rows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../cli/load-model.ts';
import type { Run } from './cli.ts';

/**
 * The environment without npm's and vitest's per-invocation variables (a nested npm or vitest
 * must not act on this checkout or this run), and without colour.
 */
const cleanEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|vitest)/i.test(k) || /^npm_config_cache$/i.test(k))),
  NO_COLOR: '1', FORCE_COLOR: '0',
});

/** A user's model file in an installed project: a flag set outside its lock (`dirty` violated in one step). */
export const USER_MODEL = `import { bool, defineModel, never, step } from 'kmc';
import { mutex, mutex_lock, mutex_unlock } from 'kmc/kernel';

export default defineModel({
  name: 'my/flag', doc: 'a flag set outside its lock', params: {},
  setup(_p, sys) {
    const lock = mutex(sys, 'folio_lock'), flag = sys.var('PG_dirty', bool());
    sys.task('T1', (t) => [mutex_lock(lock, t), mutex_unlock(lock, t), step('folio_mark_dirty', { then: (s) => s.set(flag, true) })]);
    return [never('dirty', (s) => s.test(flag))];
  },
});
`;

/** Runs `cmd args` in `cwd` (no shell); throws with its output if it fails and `check` is set. */
export function run(cwd: string, cmd: string, args: readonly string[], check = true): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (check && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const version = (pkg: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

export interface Installed {
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** The files in it. */
  readonly files: readonly string[];
  /** An empty project with the tarball installed (and `extra` packages, at this checkout's versions). */
  readonly project: string;
  /** The tarball as the project's package.json names it (`vendor/kmc-<version>.tgz`). */
  readonly vendored: string;
}

/** Packs this checkout and installs the tarball into a new empty directory. */
export function packAndInstall(extra: readonly string[] = []): Installed {
  const tmp = mkdtempSync(join(tmpdir(), 'kmc-pack-'));
  const packed = JSON.parse(run(ROOT, 'npm', ['pack', '--json', '--pack-destination', tmp]).out) as { filename: string; files: { path: string }[] }[];
  const tarball = join(tmp, packed[0]!.filename);
  const project = join(tmp, 'project'), vendored = `vendor/${packed[0]!.filename}`;
  mkdirSync(join(project, 'vendor'), { recursive: true });
  copyFileSync(tarball, join(project, vendored));
  const quiet = ['--prefer-offline', '--no-audit', '--no-fund'];
  run(project, 'npm', ['install', '--package-lock-only', '--save-dev', ...quiet, `./${vendored}`, ...extra.map((p) => `${p}@${version(p)}`)]);
  run(project, 'npm', ['ci', ...quiet]);
  return { tarball, files: packed[0]!.files.map((f) => f.path), project, vendored };
}
