/** `kmc init` in a project: what it writes and what it refuses (the files pass as generated: see package.test.ts). */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { ROOT } from './load-model.ts';

const home = process.cwd();
afterEach(() => process.chdir(home));

/** A new project directory, with `pkg` as its package.json; the working directory moves there until the test ends. */
function project(pkg?: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-init-'));
  if (pkg) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  process.chdir(dir);
  return dir;
}

const kmcDev = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

describe('kmc init', () => {
  it('writes a model, a vitest file, a CI job and a tsconfig whose paths name the directory; never overwrites', async () => {
    const dir = project({ name: 'mine', private: true });
    const r = await kmc('init', 'locking', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { dir: string; files: { path: string }[]; packageJson: string[] };
    expect(j.files.map((f) => f.path)).toEqual(['locking/models/truncate-vs-write.ts', 'locking/truncate-vs-write.test.ts', 'locking/ci.yml', 'locking/tsconfig.json']);
    expect(readdirSync(join(dir, 'locking')).sort()).toEqual(['ci.yml', 'models', 'truncate-vs-write.test.ts', 'tsconfig.json']);
    expect(readFileSync(join(dir, 'locking/ci.yml'), 'utf8')).toContain(`- run: npm ci\n      - run: npx tsc -p locking\n      - run: npx kmc test --junit kmc-junit.xml\n      - run: npx vitest run locking\n`);
    expect(JSON.parse(readFileSync(join(dir, 'locking/tsconfig.json'), 'utf8'))).toMatchObject({ compilerOptions: { strict: true, noEmit: true }, include: ['.'] });
    const again = await kmc('init', 'locking');
    expect(again.code).toBe(1);
    expect(again.err).toBe('kmc: kmc init locking: locking/models/truncate-vs-write.ts, locking/truncate-vs-write.test.ts, locking/ci.yml, locking/tsconfig.json already exist; nothing written (remove them or choose another directory)\n');
  });

  it("tells package.json where the models are and adds typescript and vitest (kmc's ranges) to devDependencies, keeping what is there", async () => {
    const dir = project({ name: 'mine', private: true, devDependencies: { kmc: 'file:vendor/kmc-0.1.0.tgz', vitest: '^3.0.0' } });
    const r = await kmc('init');
    expect(r.out.split('\n').slice(4)).toEqual([
      `added to package.json: devDependencies: typescript@${kmcDev['typescript']}, "kmc": { "models": "kmc/models" }`, '',
      'next:', '  npm install', '  npx kmc check kmc/models/truncate-vs-write.ts --param inverted=true', '  npx tsc -p kmc', '  npx kmc test', '  npx vitest run kmc', '']);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toEqual({
      name: 'mine', private: true, devDependencies: { kmc: 'file:vendor/kmc-0.1.0.tgz', vitest: '^3.0.0', typescript: kmcDev['typescript'] }, kmc: { models: 'kmc/models' },
    });
  });

  it('a package.json that is not JSON: one line, nothing written', async () => {
    const dir = project();
    writeFileSync(join(dir, 'package.json'), '{ nope');
    const r = await kmc('init');
    expect([r.code, readdirSync(dir)]).toEqual([1, ['package.json']]);
    expect(r.err).toMatch(/^kmc: kmc init: package\.json is not JSON \(.*\); nothing written\n$/);
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
