/**
 * Where a model was loaded from, so that a worker thread can load it again (`--workers`): the
 * file's URL and how it was imported (a file outside an ESM package is compiled on its own).
 * A model defined inline (in a test) has no source and is explored in one thread.
 */
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from './define-model.ts';

export interface ModelSource {
  readonly url: string;
  readonly via: 'import' | 'tsImport';
  /** The model's own file, when `url` is a module compiled from it (a cached TypeScript model). */
  readonly file?: string;
  /** The model is what this export of the module returns for these arguments (the default export otherwise). */
  readonly factory?: { readonly name: string; readonly args: readonly unknown[] };
}

const sources = new WeakMap<Model, ModelSource>();

export const recordSource = (model: Model, source: ModelSource): void => { sources.set(model, source); };

export const sourceOf = (model: Model): ModelSource | undefined => sources.get(model);

/** The file a model was loaded from, if it was loaded from a file. */
export const sourceFile = (model: Model): string | undefined => {
  const src = sources.get(model);
  return src?.file ?? (src?.url.startsWith('file:') ? fileURLToPath(src.url) : undefined);
};

/** `model 'name'`, with its file (relative to the working directory) when it was loaded from one: for error messages. */
export const modelLabel = (model: Model): string => {
  const file = sourceFile(model);
  return `model '${model.name}'${file === undefined ? '' : ` (${relative(process.cwd(), file)})`}`;
};

const definitions = new WeakMap<Model, string>();

/**
 * Records the file that called `defineModel` (the caller's frame of the stack, captured with
 * `skip` left out), for a model that is imported rather than loaded by kmc: a test file's
 * matcher failure then names it in its replay line.
 */
export function recordDefinition(model: Model, skip: (...args: never[]) => unknown): void {
  const holder: { stack?: string } = {}, limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 1;
  try { Error.captureStackTrace(holder, skip); } finally { Error.stackTraceLimit = limit; }
  const at = /^\s*at (?:.*\()?(.+?):\d+:\d+\)?$/m.exec(holder.stack ?? '')?.[1];
  const file = at?.startsWith('file:') ? fileURLToPath(at) : at;
  if (file !== undefined && isAbsolute(file)) definitions.set(model, file);
}

/** The file a model was defined in (the module that called `defineModel`), if known. */
export const definitionFile = (model: Model): string | undefined => definitions.get(model);
