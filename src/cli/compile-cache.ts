/**
 * A user's TypeScript model file, compiled once: esbuild bundles it with the files it imports by
 * relative path into one ES module (packages, `kmc` among them, stay imports, so the model uses
 * the kmc that loads it), kept in the project's `node_modules/.cache/kmc/` under the SHA-256 of
 * what went in (the compiler and its options, the file's path and text). Beside it, the hashes
 * of the other files the bundle holds; a later run checks those, hashes the model file, and
 * imports the cached module without loading a compiler. Where no `node_modules` is above the
 * file (nothing there could resolve `kmc` either), nothing is cached.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { ModelError } from '../util/errors.ts';

/** What the bundle is made with; part of the cache key. */
const OPTIONS = { bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', sourcemap: 'inline' } as const;

const sha256 = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** The nearest `node_modules` directory at or above `dir`, or undefined. */
function nodeModulesAbove(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const nm = join(d, 'node_modules');
    if (existsSync(nm)) return nm;
    if (dirname(d) === d) return undefined;
  }
}

/** The compiler's identity: its version (from its package.json, without loading it). */
function compilerVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

interface Manifest { readonly inputs: readonly { readonly file: string; readonly sha256: string }[] }

const fresh = (m: Manifest): boolean => m.inputs.every((i) => existsSync(i.file) && sha256(readFileSync(i.file)) === i.sha256);

/**
 * The compiled module for TypeScript model `file` (an absolute path): from the cache, or compiled
 * now and cached. Undefined when it cannot be cached (no `node_modules` above it, no esbuild):
 * the caller compiles it some other way. A compile error is a model error with esbuild's
 * `file:line:col: ERROR: …` line.
 */
export async function compiledModel(given: string): Promise<string | undefined> {
  const file = resolve(given);   // esbuild wants an absolute working directory; the key, one name per file
  const nm = nodeModulesAbove(dirname(file)), version = compilerVersion();
  if (nm === undefined || version === undefined) return undefined;
  const text = readFileSync(file);
  const key = sha256(JSON.stringify({ compiler: `esbuild ${version}`, options: OPTIONS, file }) + '\0' + sha256(text));
  const dir = join(nm, '.cache', 'kmc'), out = join(dir, `${key}.mjs`), manifest = join(dir, `${key}.json`);
  if (existsSync(out) && existsSync(manifest)) {
    try {
      if (fresh(JSON.parse(readFileSync(manifest, 'utf8')) as Manifest)) return out;
    } catch { /* an unreadable manifest: compile again */ }
  }
  const esbuild = await import('esbuild');
  let built: Awaited<ReturnType<typeof esbuild.build>>;
  try {
    built = await esbuild.build({ ...OPTIONS, entryPoints: [file], outfile: out, write: false, metafile: true, logLevel: 'silent', absWorkingDir: dirname(file) });
  } catch (err) {
    const e = (err as { errors?: { text: string; location: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    if (e === undefined) throw err;
    const where = e.location ? `${relative(process.cwd(), resolve(dirname(file), e.location.file))}:${e.location.line}:${e.location.column}: ` : `${relative(process.cwd(), file)}: `;
    throw new ModelError('KMC009', `${where}ERROR: ${e.text}`);
  }
  const inputs = Object.keys(built.metafile!.inputs).map((f) => resolve(dirname(file), f)).filter((f) => f !== file);
  mkdirSync(dir, { recursive: true });
  // written under a temporary name and renamed: a concurrent run sees the whole file or none
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, built.outputFiles![0]!.contents);
  writeFileSync(manifest, JSON.stringify({ inputs: inputs.map((f) => ({ file: f, sha256: sha256(readFileSync(f)) })) } satisfies Manifest, null, 2) + '\n');
  renameSync(tmp, out);
  return out;
}
