/**
 * `kmc check MODEL --save [PATH]`: the counterexample as an ITF trace, by default in the working
 * directory under a name made of the model's and its changed parameters. A user's model (not one
 * of kmc's) is recorded by its file, relative to the trace (`#meta.modelFile`), so that the trace
 * and the model can move together, and `kmc replay` can find it (see `replay.ts`).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { changedParams, itfOf, userModelFile } from '../trace/report.ts';
import type { Report } from '../check/check.ts';

/** `classic/abba` → `classic-abba.itf.json`; `mine` with inverted=true → `mine-inverted=true.itf.json`. */
export function defaultTraceName(r: Report): string {
  const words = [r.instance.model.name, ...Object.entries(changedParams(r.instance)).map(([k, v]) => `${k}=${String(v)}`)];
  return `${words.map((w) => w.replace(/[^\w.=+-]+/g, '-')).join('-')}.itf.json`;
}

/** The trace of `r` to be saved at `path`, with the model's file relative to it when the model is a user's; null without a counterexample. */
export function savedTrace(r: Report, path: string): string | null {
  const itf = itfOf(r);
  if (itf === null) return null;
  const file = userModelFile(r.instance.model);
  const modelFile = file === undefined ? {} : { modelFile: relative(dirname(resolve(path)), file).split(sep).join('/') };
  return JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], ...modelFile } }, null, 2) + '\n';
}
