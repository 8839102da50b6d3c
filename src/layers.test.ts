/**
 * Arrows point one way: model → state → explore → check → trace → cli (kernel on model and
 * state). Every import of every source file, type-only ones included, is read and checked
 * against this table. Test files and test-util sit on top and may import any of src/, but
 * nothing under src/ imports models/ or properties/.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const below: Record<string, readonly string[]> = {
  util: [],
  model: ['util'],
  state: ['model', 'util'],
  kernel: ['state', 'model', 'util'],
  explore: ['state', 'model', 'util'],
  check: ['explore', 'state', 'model', 'util'],
  trace: ['check', 'explore', 'state', 'model', 'util'],
  cli: ['trace', 'check', 'explore', 'state', 'model', 'util'],
  'vitest.ts': ['trace', 'check', 'explore', 'state', 'model', 'util'],
  'index.ts': ['check', 'explore', 'state', 'model', 'util'],
};

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

/** Relative import specifiers of a file: `import … from`, `export … from`, `import(…)`. */
const imports = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1]!));

const layer = (file: string): string => relative(SRC, file).split('/')[0]!;
const isTest = (file: string): boolean => file.endsWith('.test.ts') || layer(file) === 'test-util';

/** `from -> to` for every import that leaves its layer for one that is not below it. */
function upward(edges: readonly (readonly [string, string])[]): string[] {
  return edges.filter(([f, t]) => {
    const mine = layer(f), theirs = layer(t);
    return !(t.startsWith(SRC + '/') && (theirs === mine || below[mine]?.includes(theirs)));
  }).map(([f, t]) => `${relative(SRC, f)} -> ${relative(SRC, t)}`);
}

describe('module layers', () => {
  it('every import points down the layers (or stays in its own layer)', () =>
    expect(upward(files(SRC).filter((f) => !isTest(f)).flatMap((f) => imports(f).map((t) => [f, t] as const)))).toEqual([]));

  it('nothing under src/, tests included, imports models/ or properties/', () => {
    const bad = files(SRC).flatMap((f) => imports(f).filter((t) => !t.startsWith(SRC + '/')).map((t) => `${relative(SRC, f)} -> ${relative(SRC, t)}`));
    expect(bad).toEqual([]);
  });

  it('flags an arrow that points up, a file outside every layer, and an import of models/', () =>
    expect(upward([
      [join(SRC, 'explore/bfs.ts'), join(SRC, 'check/check.ts')],
      [join(SRC, 'model/x.ts'), join(SRC, 'state/layout.ts')],
      [join(SRC, 'misc/x.ts'), join(SRC, 'util/errors.ts')],
      [join(SRC, 'cli/x.ts'), join(SRC, '../models/matrix.ts')],
      [join(SRC, 'check/x.ts'), join(SRC, 'explore/bfs.ts')],
    ])).toEqual(['explore/bfs.ts -> check/check.ts', 'model/x.ts -> state/layout.ts', 'misc/x.ts -> util/errors.ts', 'cli/x.ts -> ../models/matrix.ts']));
});
