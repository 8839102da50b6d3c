/**
 * Finds models: a name under `models/` (`classic/philosophers`, or a family's folder) or a path
 * to a model file anywhere. In a checkout kmc runs from its TypeScript sources and `models/`
 * holds `.ts` files; an installed package runs compiled JavaScript from `dist/`, its models
 * compiled alongside, and only a user's own `.ts` model files are compiled: once, into a cache
 * (`compile-cache.ts`), or by tsx where there is no cache.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModelError, UsageError } from '../util/errors.ts';
import { isModel, modelShapeError, type Model } from '../model/define-model.ts';
import { recordSource, type ModelSource } from '../model/source.ts';
import { loadFresh } from '../model/reload.ts';
import { compiledModel } from './compile-cache.ts';

/** The package root: the checkout, or `dist/` of an installed package (where the compiled models are). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = join(ROOT, 'models');

/** True when kmc itself runs from TypeScript sources (a checkout, tsx registered by bin/kmc.js). */
const FROM_SOURCES = extname(fileURLToPath(import.meta.url)) === '.ts';

const isModelFile = (f: string): boolean => /\.[jt]s$/.test(f) && !/\.test\.[jt]s$/.test(f) && !f.endsWith('.d.ts');

/** `base.ts`, or `base.js` where the sources were compiled (an installed package). */
export function moduleFile(base: string): string {
  return existsSync(`${base}.ts`) || !existsSync(`${base}.js`) ? `${base}.ts` : `${base}.js`;
}

/**
 * Names of the models under `dir` (files that `export default defineModel(…)`), sorted. A `dir`
 * that is not a directory is a usage error. Symbolic links are followed once: a dangling link, a
 * link back into a folder already walked (a loop) and an entry that cannot be read are skipped,
 * each with a one-line note passed to `skipped`.
 */
export function shippedModels(dir = MODELS, skipped: (note: string) => void = () => {}): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--models ${dir}: ${existsSync(dir) ? 'not a directory' : 'no such directory'}`);
  const out: string[] = [], walked = new Set<string>();
  const shown = (p: string): string => relative(process.cwd(), p) || p;
  const walk = (d: string): void => {
    walked.add(realpathSync(d));
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      let st: Stats;
      try {
        st = statSync(p);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skipped(`skipped ${shown(p)}: ${code === 'ENOENT' ? 'a dangling symbolic link' : code === 'ELOOP' ? 'a symbolic link loop' : `cannot read it (${code ?? String(err)})`}`);
        continue;
      }
      if (st.isDirectory()) {
        if (walked.has(realpathSync(p))) skipped(`skipped ${shown(p)}: a symbolic link loop (back to ${shown(realpathSync(p))})`);
        else walk(p);
      } else if (isModelFile(f)) {
        let text: string;
        try { text = readFileSync(p, 'utf8'); } catch (err) { skipped(`skipped ${shown(p)}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`); continue; }
        if (/export default defineModel\(/.test(text)) out.push(relative(dir, p).slice(0, -3).split('\\').join('/').replace(/\/index$/, ''));
      }
    }
  };
  walk(dir);
  return [...new Set(out)];
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

/**
 * JavaScript is imported as it is. TypeScript, when kmc runs compiled (installed), is compiled
 * once into the cache and the cached module imported; in a checkout, its tsx hooks compile a
 * file inside an ESM package. Otherwise tsx (loaded only then) compiles it on its own (outside
 * an ESM package it would load as CommonJS). Returns the module and how to load it again.
 */
async function importModel(file: string): Promise<{ mod: unknown; source: ModelSource }> {
  const url = pathToFileURL(file).href;
  if (importsPlainly(file)) return { mod: await import(url), source: { url, via: 'import' } };
  const cached = FROM_SOURCES ? undefined : await compiledModel(file);
  if (cached !== undefined) {
    const source: ModelSource = { url: pathToFileURL(cached).href, via: 'import', file };
    return { mod: await import(source.url), source };
  }
  const { tsImport } = await import('tsx/esm/api');
  return { mod: await tsImport(url, import.meta.url), source: { url, via: 'tsImport' } };
}

const importsPlainly = (file: string): boolean => /\.[cm]?js$/.test(file) || (FROM_SOURCES && inModulePackage(file));

/** The model file a path names: itself (.ts/.js), or a folder's index; anything else is a usage error saying what it is. */
function pathModel(spec: string, path: string): string {
  if (statSync(path).isDirectory()) {
    const index = moduleFile(join(path, 'index'));
    if (existsSync(index)) return index;
    throw new UsageError(`model '${spec}': a folder without index.ts (a model folder's index.ts exports the model)`);
  }
  if (!isModelFile(path)) throw new UsageError(`model '${spec}': not a model file (.ts or .js, exporting defineModel({...}))`);
  return path;
}

/**
 * The model `spec` names, with a fresh instance of its module loaded beside it for the
 * determinism audit's second setup (`model/reload.ts`); `fresh: false` skips that (listing
 * models checks none).
 */
export async function loadModel(spec: string, dir = MODELS, { fresh = true }: { readonly fresh?: boolean } = {}): Promise<Model> {
  const asPath = resolve(spec);
  // a name under models/: a file, or a folder whose index is the model (a family)
  const named = [join(dir, spec), join(dir, spec, 'index')].map(moduleFile);
  const found = named.find(existsSync);
  // a path given as such: a model file, or a folder whose index is the model
  const file = found ?? (existsSync(asPath) ? pathModel(spec, asPath) : undefined);
  if (file === undefined) throw new UsageError(`unknown model '${spec}': no such file, and not one of: ${shippedModels(dir).join(', ')}`);
  let exported: unknown, source: ModelSource;
  try {
    const loaded = await importModel(file), mod = loaded.mod as { default?: unknown };
    source = loaded.source;
    exported = isModel(mod.default) ? mod.default : (mod.default as { default?: unknown } | undefined)?.default;
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const line = firstLine(err);
    throw new ModelError('KMC009', /:\d+:\d+: ERROR: /.test(line) ? line : `${relative(process.cwd(), file)}: ${line}`);
  }
  if (!isModel(exported)) throw new ModelError('KMC009', `${relative(process.cwd(), file)}: the default export must be defineModel({...})`);
  const shape = modelShapeError(exported);
  if (shape !== undefined) throw new ModelError('KMC013', `${relative(process.cwd(), file)}: ${shape}`);
  recordSource(exported, source);
  if (fresh) await loadFresh(exported);
  return exported;
}
