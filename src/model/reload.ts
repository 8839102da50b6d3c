/**
 * A model loaded from its source (`source.ts`): the module imported as the first load imported
 * it, its model export taken. A worker thread loads the model file so; so do the determinism
 * audit's second setups (`explore/declaration.ts` `setUpAgain`), each from a fresh instance of
 * the module (its URL with a query of its own: `?kmc-audit=1`), whose module-level state no
 * setup of the search shares. Two of them, for the two ways a second setup is used: the audit
 * fires every enabled step of the states it samples (`audit`), the replay of a reported path
 * only the path's own steps (`replay`), so an object at module level that some other step
 * changed is as it was in the replay's instance. Files the module imports are loaded once and
 * shared, unless the loader bundled them into it (a TypeScript model an installed kmc compiles
 * into its cache bundles the files it imports by relative path).
 */
import { isModel, type Model } from './define-model.ts';
import { modelLabel, recordSource, sourceOf, type ModelSource } from './source.ts';
import { ModelError } from '../util/errors.ts';

/** What a second setup is for: the audit of sampled states, or the replay of a reported path. */
export type Role = 'audit' | 'replay';

/**
 * The query of each role's module instance: fixed, so that loading a model again reuses them (a
 * process that checks one model many times, as `kmc test` does, holds three instances of its
 * module, not two more per check; the replay's instance then keeps what earlier replays' own
 * steps left at module level).
 */
const QUERY: Readonly<Record<Role, string>> = { audit: 'kmc-audit=1', replay: 'kmc-audit=2' };

/** The module at `src` (with `query` added to its URL: another instance), and its model: the default export, a factory's answer, or a CommonJS default's default. */
export async function importSource(src: ModelSource, query?: string): Promise<{ mod: unknown; model: unknown }> {
  const url = query === undefined ? src.url : `${src.url}${src.url.includes('?') ? '&' : '?'}${query}`;
  // as the first load did it: tsx only for a TypeScript file outside an ESM package
  const mod = (src.via === 'import' ? await import(url) : await (await import('tsx/esm/api')).tsImport(url, import.meta.url)) as Record<string, unknown>;
  const made = src.factory ? (mod[src.factory.name] as (...a: unknown[]) => unknown)(...src.factory.args) : mod['default'];
  return { mod, model: isModel(made) ? made : (made as { default?: unknown } | undefined)?.default };
}

const fresh = new WeakMap<Model, Readonly<Record<Role, Model>>>();

/**
 * Loads `model`'s module again, once per role, as fresh instances for the second setups. A model
 * without a source (defined inline) is set up again from its own module. A file that loads once
 * but not again reads something that changes between loads: KMC014.
 */
export async function loadFresh(model: Model): Promise<void> {
  const src = sourceOf(model);
  if (src === undefined || fresh.has(model)) return;
  const load = async (role: Role): Promise<Model> => {
    let again: unknown;
    try { again = (await importSource(src, QUERY[role])).model; } catch (err) { again = err instanceof Error ? err.message.split('\n')[0] : String(err); }
    if (!isModel(again))
      throw new ModelError('KMC014', `${modelLabel(model)}: its file, loaded again for a second setup of the model, ${typeof again === 'string' ? `fails (${again})` : 'exports no model'}: the file reads something that changes between loads (Math.random, Date, the environment)`);
    recordSource(again, src);
    return again;
  };
  const [audit, replay] = await Promise.all([load('audit'), load('replay')]);
  fresh.set(model, { audit, replay });
}

/** The model from `role`'s fresh instance of `model`'s module (`loadFresh`), or `model` itself. */
export const freshOf = (model: Model, role: Role): Model => fresh.get(model)?.[role] ?? model;
