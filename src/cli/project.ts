/**
 * The project kmc runs in, and where its models are. A project says so in its `package.json`
 * (`"kmc": { "models": "kmc/models" }`, what `kmc init` writes) or in a `kmc.config.json`,
 * `kmc.config.mjs`, `kmc.config.js` or `kmc.config.ts` beside it (its default export the same
 * object); the directory is relative to the file that names it. The project is the nearest
 * directory at or above the working directory that has either. `kmc test` and `kmc matrix` run
 * the project's models; `kmc check NAME` and `kmc replay` find a name there before kmc's own.
 * In kmc's own checkout, or outside any package, kmc's models are the ones run.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError } from '../util/errors.ts';
import { compiledModel } from './compile-cache.ts';
import { loadModel, shippedModels } from './load-model.ts';
import type { Model } from '../model/define-model.ts';

export interface Project {
  /** The directory of the package.json or kmc.config.* that configures it. */
  readonly root: string;
  /** That file, as the message of a bad configuration names it. */
  readonly config: string;
  /** The absolute directory of the project's models. */
  readonly models: string;
}

/** Where the project's kmc configuration is: nowhere (a package without one), or kmc's own package. */
export type Where = { readonly kind: 'project'; readonly project: Project } | { readonly kind: 'unconfigured'; readonly root: string } | { readonly kind: 'kmc' };

const CONFIG_FILES = ['kmc.config.json', 'kmc.config.mjs', 'kmc.config.js', 'kmc.config.ts'];

/** kmc's own package directory (the checkout, or the installed package). */
export const KMC_PACKAGE = ((): string => {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return d;
  }
})();

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The configuration object `named` (a kmc.config.* file, or package.json's "kmc") holds, checked: `models` a directory. */
function project(root: string, named: string, config: unknown): Project {
  if (!isRecord(config)) throw new UsageError(`${named}: expected an object such as { "models": "kmc/models" }`);
  const models = config['models'];
  if (typeof models !== 'string' || models === '') throw new UsageError(`${named}: "models" must name the directory of the project's models (e.g. "kmc/models"), got ${JSON.stringify(models) ?? 'nothing'}`);
  const dir = resolve(root, models);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${named}: "models": ${relative(process.cwd(), dir) || '.'} is ${existsSync(dir) ? 'not a directory' : 'no such directory'}`);
  return { root, config: named, models: dir };
}

async function configFile(root: string, name: string): Promise<unknown> {
  const file = join(root, name);
  if (name.endsWith('.json')) {
    try { return JSON.parse(readFileSync(file, 'utf8')); } catch (err) { throw new UsageError(`${relative(process.cwd(), file)}: not JSON (${err instanceof Error ? err.message : String(err)})`); }
  }
  const url = name.endsWith('.ts') ? pathToFileURL((await compiledModel(file)) ?? file).href : pathToFileURL(file).href;
  return ((await import(url)) as { default?: unknown }).default;
}

/** The project at or above `cwd`, and where its models are. */
export async function whereAmI(cwd = process.cwd()): Promise<Where> {
  for (let d = resolve(cwd); ; d = dirname(d)) {
    const named = CONFIG_FILES.find((f) => existsSync(join(d, f)));
    if (named !== undefined) return { kind: 'project', project: project(d, relative(process.cwd(), join(d, named)), await configFile(d, named)) };
    const pj = join(d, 'package.json');
    if (existsSync(pj)) {
      if (d === KMC_PACKAGE) return { kind: 'kmc' };
      let pkg: unknown;
      try { pkg = JSON.parse(readFileSync(pj, 'utf8')); } catch { pkg = undefined; }
      if (isRecord(pkg) && 'kmc' in pkg) return { kind: 'project', project: project(d, `${relative(process.cwd(), pj)} "kmc"`, pkg['kmc']) };
      return { kind: 'unconfigured', root: d };
    }
    if (dirname(d) === d) return { kind: 'kmc' };
  }
}

/**
 * The models directory `command` runs: the project's, or undefined for kmc's own (in kmc's
 * checkout, or outside any package). A package that does not configure one is a usage error
 * saying how to: in a user's tree, kmc never runs its own models in place of the user's.
 */
export async function projectModels(command: string): Promise<string | undefined> {
  const where = await whereAmI();
  if (where.kind === 'project') return where.project.models;
  if (where.kind === 'kmc') return undefined;
  const pj = relative(process.cwd(), join(where.root, 'package.json')) || 'package.json';
  throw new UsageError(`${command}: ${pj} does not say where this project's models are: add "kmc": { "models": "<dir>" } to it (kmc init does), or give --models <dir>`);
}

/** The project's models directory, if it configures one (for finding a model by name; never an error for an unconfigured project). */
export async function configuredModels(): Promise<string | undefined> {
  const where = await whereAmI();
  return where.kind === 'project' ? where.project.models : undefined;
}

/**
 * A model by name or path, as `kmc check` takes it: one of the project's models by its name
 * first (exactly a name `kmc test` lists, never a path out of the directory), then one of kmc's,
 * then a path.
 */
export async function findModel(spec: string): Promise<Model> {
  const dir = await configuredModels();
  if (dir !== undefined && shippedModels(dir).includes(spec)) return loadModel(spec, dir);
  return loadModel(spec);
}
