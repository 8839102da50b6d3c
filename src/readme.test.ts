/** The README's first model must work as the README says. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from './check/check.ts';
import { ROOT } from './cli/load-model.ts';
import type { Model } from './model/define-model.ts';

describe('README', () => {
  it('the first model checks as described', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const code = /## Your first model[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!.replaceAll(`'../../src/`, `'${ROOT}/src/`);
    const file = join(mkdtempSync(join(tmpdir(), 'kmc-readme-')), 'flag.ts');
    writeFileSync(file, code);
    const model = (await import(file)).default as Model;
    const ok = check(model);
    expect(ok.verdict).toEqual({ kind: 'ok' });
    expect(readme).toContain(`says \`ok: all ${ok.stats.states} states explored\``);
    const bad = check(model, { params: { locked: false } });
    expect(bad.verdict).toMatchObject({ kind: 'safety', property: 'two writers at once' });
  });
});
