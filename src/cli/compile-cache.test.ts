/** A user's TypeScript model compiled once into the project's cache, compiled again when any file it bundles changes. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compiledModel } from './compile-cache.ts';
import { ModelError } from '../util/errors.ts';

describe('the compile cache', () => {
  const project = mkdtempSync(join(tmpdir(), 'kmc-cache-'));
  mkdirSync(join(project, 'node_modules'));
  mkdirSync(join(project, 'models/lib'), { recursive: true });
  const model = join(project, 'models/m.ts'), lib = join(project, 'models/lib/n.ts');
  writeFileSync(lib, 'export const N: number = 2;\n');
  writeFileSync(model, `import { N } from './lib/n.ts';\nconst twice = (x: number): number => 2 * x;\nexport default { n: twice(N) };\n`);

  it('bundles the file with its relative imports into node_modules/.cache/kmc/, once', async () => {
    const out = (await compiledModel(model))!;
    expect(out.startsWith(join(project, 'node_modules/.cache/kmc/'))).toBe(true);
    expect(((await import(pathToFileURL(out).href)) as { default: { n: number } }).default.n).toBe(4);
    const made = statSync(out).mtimeMs;
    expect(await compiledModel(model)).toBe(out);
    expect(statSync(out).mtimeMs).toBe(made);
  });

  it('a path relative to the working directory names the same entry (kmc test --models kmc/models)', async () => {
    const old = process.cwd();
    process.chdir(project);
    try {
      expect(await compiledModel('models/m.ts')).toBe(await compiledModel(model));
    } finally { process.chdir(old); }
  });

  it('a changed file it imports compiles it again; a changed model file is another entry', async () => {
    const before = (await compiledModel(model))!;
    writeFileSync(lib, 'export const N: number = 3;\n');
    expect(await compiledModel(model)).toBe(before);
    expect(readFileSync(before, 'utf8')).toContain('N = 3');
    writeFileSync(model, readFileSync(model, 'utf8') + '// changed\n');
    const after = (await compiledModel(model))!;
    expect(after).not.toBe(before);
    expect(existsSync(after)).toBe(true);
  });

  it("a syntax error is a model error with the compiler's file:line:col line", async () => {
    const bad = join(project, 'models/bad.ts');
    writeFileSync(bad, 'export default 1 +;\n');
    const err = await compiledModel(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toMatch(/models\/bad\.ts:1:18: ERROR: Unexpected ";"$/);
  });

  it('nothing is cached where no node_modules is above the file', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'kmc-nocache-'));
    writeFileSync(join(alone, 'm.ts'), 'export default 1;\n');
    // (tmpdir() has no node_modules above it on this machine's layouts; skip if it does)
    if (!existsSync(join(tmpdir(), 'node_modules')) && !existsSync('/node_modules')) expect(await compiledModel(join(alone, 'm.ts'))).toBeUndefined();
  });
});
