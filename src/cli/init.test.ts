/** `kmc init` in a checkout: what it writes and what it refuses (the files pass as generated: see package.test.ts). */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';

describe('kmc init', () => {
  it('writes a model, a vitest file and a CI job whose paths name the directory; never overwrites', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kmc-init-')), 'locking');
    const r = await kmc('init', dir, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { dir: string; files: { path: string }[] };
    expect(j.files.map((f) => f.path.slice(j.dir.length + 1))).toEqual(['models/truncate-vs-write.ts', 'truncate-vs-write.test.ts', 'ci.yml']);
    expect(readdirSync(dir).sort()).toEqual(['ci.yml', 'models', 'truncate-vs-write.test.ts']);
    expect(readFileSync(join(dir, 'ci.yml'), 'utf8')).toContain(`- run: npx kmc test --models ${j.dir}/models --junit kmc-junit.xml\n      - run: npx vitest run ${j.dir}\n`);
    const again = await kmc('init', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^kmc: kmc init \S+: \S+\/models\/truncate-vs-write\.ts, \S+\/truncate-vs-write\.test\.ts, \S+\/ci\.yml already exist; nothing written \(remove them or choose another directory\)\n$/);
  });

  it('refuses a <dir> that is a file, or under one: one line, exit 1, nothing written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kmc-init-')), 'afile');
    writeFileSync(file, '');
    for (const dir of [file, join(file, 'sub')]) {
      const r = await kmc('init', dir);
      expect([r.code, r.out]).toEqual([1, '']);
      expect(r.err).toMatch(/^kmc: kmc init \S+: \S*afile is not a directory\n$/);
    }
  });
});
