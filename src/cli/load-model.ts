/** Finds models: a name under `models/` (`classic/philosophers`, or a family's folder) or a path to a `.ts` file anywhere. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ModelError, UsageError } from '../util/errors.ts';
import { isModel, type Model } from '../model/define-model.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = join(ROOT, 'models');

const isModelFile = (f: string): boolean => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts');

/** Names of the models under `dir` (files that `export default defineModel(…)`), sorted. */
export function shippedModels(dir = MODELS): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (isModelFile(f) && /export default defineModel\(/.test(readFileSync(p, 'utf8'))) out.push(relative(dir, p).slice(0, -3).split('\\').join('/').replace(/\/index$/, ''));
    }
  };
  walk(dir);
  return out;
}

/** True if the nearest package.json above `file` says `"type": "module"`. */
function inModulePackage(file: string): boolean {
  for (let d = dirname(file); ; d = dirname(d)) {
    const pj = join(d, 'package.json');
    if (existsSync(pj)) return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string }).type === 'module';
    if (dirname(d) === d) return false;
  }
}

/** The first line of a load failure, or the compiler's `file:line:col: ERROR: …` line when there is one. */
const firstLine = (err: unknown): string => {
  const msg = err instanceof Error ? err.message : String(err);
  return /^.*:\d+:\d+: ERROR: .*$/m.exec(msg)?.[0] ?? msg.split('\n')[0]!;
};

export async function loadModel(spec: string, dir = MODELS): Promise<Model> {
  const asPath = resolve(spec);
  // a name under models/: a file, or a folder whose index.ts is the model (a family)
  const file = /\.[cm]?[jt]s$/.test(spec) && existsSync(asPath) ? asPath : [join(dir, `${spec}.ts`), join(dir, spec, 'index.ts')].find(existsSync) ?? join(dir, `${spec}.ts`);
  if (!existsSync(file)) throw new UsageError(`unknown model '${spec}': not a file, and not one of: ${shippedModels(dir).join(', ')}`);
  let exported: unknown;
  try {
    // a file outside an ESM package is compiled on its own (it would otherwise load as CommonJS)
    const mod = (inModulePackage(file) ? await import(pathToFileURL(file).href) : await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
    exported = isModel(mod.default) ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const line = firstLine(err);
    throw new ModelError('KMC009', /:\d+:\d+: ERROR: /.test(line) ? line : `${relative(process.cwd(), file)}: ${line}`);
  }
  if (!isModel(exported)) throw new ModelError('KMC009', `${relative(process.cwd(), file)}: the default export must be defineModel({...})`);
  return exported;
}
