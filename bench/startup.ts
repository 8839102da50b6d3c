/**
 * Start-up: the wall time of a whole `kmc check` process on a model of a few states (so nearly
 * all of it is start-up), against the 0.5 s target: `classic/abba` in this checkout (TypeScript
 * sources through tsx) and as installed from the packed tarball (compiled JavaScript); and a
 * user's own TypeScript model file in the installed project, which kmc compiles once into the
 * project's cache (its first run, compiling, is shown apart). Median of several runs, each
 * after one warm-up run (tsx's cache, the compile cache, the file system's).
 * `node bin/run-ts.js bench/startup.ts` prints them alone.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../src/cli/load-model.ts';
import { packAndInstall, USER_MODEL } from '../src/test-util/package.ts';

export const TARGET_SECONDS = 0.5;

export interface Startup { readonly how: string; readonly seconds: number }

/** One `kmc check <model>` process in `cwd`: its wall time, checked against the exit code expected. */
function once(bin: string, cwd: string, model: string, code: number): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'check', model], { cwd, stdio: 'ignore' });
  if (r.status !== code) throw new Error(`${bin} check ${model} exited ${r.status}, expected ${code}`);
  return (performance.now() - t0) / 1000;
}

function median(bin: string, cwd: string, runs: number, model = 'classic/abba', code = 11): number {
  once(bin, cwd, model, code);
  const xs = Array.from({ length: runs }, () => once(bin, cwd, model, code)).sort((a, b) => a - b);
  return xs[Math.floor(runs / 2)]!;
}

export function measureStartup(runs = 5): Startup[] {
  const { project } = packAndInstall();
  try {
    const bin = join(project, 'node_modules/kmc/bin/kmc.js');
    writeFileSync(join(project, 'my-model.ts'), USER_MODEL);
    const first = once(bin, project, './my-model.ts', 12);
    return [
      { how: 'checkout: TypeScript sources via tsx', seconds: median(join(ROOT, 'bin/kmc.js'), ROOT, runs) },
      { how: 'installed from the tarball: compiled', seconds: median(bin, project, runs) },
      { how: "installed: a user's TypeScript model (compiled once, cached)", seconds: median(bin, project, runs, './my-model.ts', 12) },
      { how: "installed: that model's first run (compiling it)", seconds: first },
    ];
  } finally {
    rmSync(dirname(project), { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  for (const s of measureStartup()) console.log(`${s.how}: ${s.seconds.toFixed(2)} s (${(s.seconds / TARGET_SECONDS).toFixed(2)}x the ${TARGET_SECONDS} s target)`);
