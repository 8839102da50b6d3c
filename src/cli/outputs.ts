/**
 * What kmc writes never destroys what it reads: an output file (`--html`, `--dot`, `--junit`,
 * `--out`, `--save`) may not be the model's source, the input trace, or another output of the
 * same run. Files are compared as the file system sees them (symbolic and hard links included).
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';

export interface Named { readonly what: string; readonly file: string }

/** A key for the file `file` is or would be: device and inode when it exists, else the real path of its folder and its name. */
function identity(file: string): string {
  const abs = resolve(file);
  if (existsSync(abs)) { const s = statSync(abs); return `${s.dev}:${s.ino}`; }
  let dir = dirname(abs);
  try { dir = realpathSync(dir); } catch { /* a folder that does not exist yet */ }
  return `${dir}/${basename(abs)}`;
}

/** Refuses (a usage error, before anything runs or is written) an output that is an input or another output. */
export function refuseClobbering(outputs: readonly Named[], inputs: readonly Named[]): void {
  const seen = new Map<string, Named>(inputs.map((i) => [identity(i.file), i] as const));
  const isInput = new Set(seen.keys());
  for (const o of outputs) {
    const id = identity(o.file), before = seen.get(id);
    if (before !== undefined && isInput.has(id)) throw new UsageError(`${o.what} ${o.file}: that is ${before.what} (${before.file}); kmc never overwrites its input`);
    if (before !== undefined) throw new UsageError(`${o.what} ${o.file} and ${before.what} ${before.file}: the same file; give each output its own`);
    seen.set(id, o);
  }
}
