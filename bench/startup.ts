/**
 * Start-up: the wall time of a whole `kmc check classic/abba` process (7 states, so nearly all
 * of it is start-up), in this checkout (TypeScript sources through tsx) and as installed from the
 * packed tarball (compiled JavaScript), against the 0.5 s target. Median of several runs, each
 * after one warm-up run (tsx's cache, the file system's).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../src/cli/load-model.ts';
import { packAndInstall } from '../src/test-util/package.ts';

export const TARGET_SECONDS = 0.5;

export interface Startup { readonly how: string; readonly seconds: number }

function median(bin: string, cwd: string, runs: number): number {
  const once = (): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, 'check', 'classic/abba'], { cwd, stdio: 'ignore' });
    if (r.status !== 11) throw new Error(`${bin} check classic/abba exited ${r.status}, expected 11 (deadlock)`);
    return (performance.now() - t0) / 1000;
  };
  once();
  const xs = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return xs[Math.floor(runs / 2)]!;
}

export function measureStartup(runs = 5): Startup[] {
  const { project } = packAndInstall();
  try {
    return [
      { how: 'checkout: TypeScript sources via tsx', seconds: median(join(ROOT, 'bin/kmc.js'), ROOT, runs) },
      { how: 'installed from the tarball: compiled', seconds: median(join(project, 'node_modules/kmc/bin/kmc.js'), project, runs) },
    ];
  } finally {
    rmSync(dirname(project), { recursive: true, force: true });
  }
}
