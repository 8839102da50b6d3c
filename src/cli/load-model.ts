/** Finds models: a name under `models/` (`classic/philosophers`) or a path to a `.ts` file. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModelError, UsageError } from '../util/errors.ts';
import { isModel, type Model } from '../model/define-model.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = join(ROOT, 'models');

const isModelFile = (f: string): boolean => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts');

/** Names of the shipped models (files under models/ that `export default defineModel(…)`), sorted. */
export function shippedModels(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (isModelFile(f) && /export default defineModel\(/.test(readFileSync(p, 'utf8'))) out.push(relative(MODELS, p).slice(0, -3).split('\\').join('/'));
    }
  };
  walk(MODELS);
  return out;
}

export async function loadModel(spec: string): Promise<Model> {
  const asPath = resolve(spec);
  const file = /\.[cm]?[jt]s$/.test(spec) && existsSync(asPath) ? asPath : join(MODELS, `${spec}.ts`);
  if (!existsSync(file)) throw new UsageError(`unknown model '${spec}': not a file, and not one of: ${shippedModels().join(', ')}`);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw new ModelError('KMC009', `${relative(process.cwd(), file)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (!isModel(mod.default)) throw new ModelError('KMC009', `${relative(process.cwd(), file)}: the default export must be defineModel({...})`);
  return mod.default;
}
