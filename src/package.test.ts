/**
 * The package as a user installs it: `npm pack`, the tarball kept in an empty project's vendor/
 * and installed as a clean clone's CI installs it (`npm ci`); there the README's commands from its
 * install on (shipped models, `kmc init`, a model of the user's, check, save, fix, replay, `kmc test`), `kmc init`
 * and the CI job it writes (type-check, `kmc test`, vitest), save and replay, a vitest file
 * importing 'kmc', 'kmc/kernel' and 'kmc/vitest', and the types (.d.ts) all work, with no alias.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from './test-util/cli.ts';
import { claims, commands, readDoc, saveFiles } from './test-util/doc-tree.ts';
import { packAndInstall, run, USER_MODEL, type Installed } from './test-util/package.ts';

/** The README's lines that install: packAndInstall did what they do, as a clean clone's CI does (npm ci from the vendored tarball). */
const INSTALLS = /^(npm ci\b|mkdir -p vendor )/;

let pkg: Installed;
/** `npx kmc init` as the README ran it. */
let init: Run | undefined, beforeInit: string | undefined;
const at = (...p: string[]): string => join(pkg.project, ...p);
const npx = (...args: string[]) => run(pkg.project, 'npx', ['--no-install', ...args], false);
const kmcBin = (...args: string[]) => run(pkg.project, join(pkg.project, 'node_modules/.bin/kmc'), args, false);


describe('the packed package, installed into an empty project', () => {
  beforeAll(() => {
    pkg = packAndInstall(['vitest', 'typescript', '@types/node']);
    writeFileSync(at('my-model.ts'), USER_MODEL);
  }, 300_000);
  // (removing the project's node_modules takes seconds on a loaded machine)
  afterAll(() => { if (pkg) rmSync(dirname(pkg.project), { recursive: true, force: true }); }, 60_000);

  it('ships compiled JavaScript with declarations, not the TypeScript sources', () => {
    expect(pkg.files).toContain('bin/kmc.js');
    expect(pkg.files).toContain('dist/src/index.js');
    expect(pkg.files).toContain('dist/src/kernel/index.d.ts');
    expect(pkg.files).toContain('dist/src/vitest.d.ts');
    expect(pkg.files).toContain('dist/models/classic/abba.js');
    expect(pkg.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(pkg.files.filter((f) => /\.test\.|test-util/.test(f))).toEqual([]);
  });

  it('follows the README from its install on: every command it shows from there runs here, with the installed binary, as its comment says', () => {
    const md = readDoc('README.md');
    expect(saveFiles(md, pkg.project)).toEqual(['models/flag.ts']);
    let ran = 0, installed = false;
    for (const c of commands(md)) {
      // the commands before the install run shipped models, as src/doc-commands.test.ts runs them
      if (c.line.startsWith('mkdir -p vendor ')) installed = true;
      if (!installed || INSTALLS.test(c.line)) continue;
      const [cmd, ...args] = c.words;
      expect([c.line, cmd, args[0]]).toEqual([c.line, 'npx', 'kmc']);
      if (args[1] === 'init') beforeInit = readFileSync(at('package.json'), 'utf8');
      const r = kmcBin(...args.slice(1));   // what npx runs for `npx kmc`: the installed package's bin
      if (c.stdout !== undefined) writeFileSync(at(c.stdout), r.out);
      if (args[1] === 'init') init = r;
      const want = claims(c.comment);
      expect([c.line, r.code], `${c.line}\n${r.err}`).toEqual([c.line, want.exit ?? expect.toSatisfy((n: number) => ![1, 2, 255].includes(n))]);
      for (const p of want.prints) expect(r.out + r.err, c.line).toContain(p);
      ran++;
    }
    expect(ran).toBeGreaterThanOrEqual(10);
  });

  it('kmc init (run by the README above) scaffolds files that pass as generated: on the clean clone npm ci installed, its CI job (tsc, kmc test, vitest) runs green', () => {
    // the tarball is kept in the tree, so a clean clone's npm ci (what packAndInstall ran) finds it
    const before = JSON.parse(beforeInit!) as Record<string, unknown>;
    expect((before['devDependencies'] as Record<string, string>)['kmc']).toBe(`file:${pkg.vendored}`);
    expect((JSON.parse(readFileSync(at('package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> }).packages['node_modules/kmc']!.resolved).toBe(`file:${pkg.vendored}`);
    expect(init?.code).toBe(0);
    expect(init!.out).toMatch(/^wrote kmc\/models\/truncate-vs-write\.ts {2}a model built from the kernel library\n/);
    expect(init!.out).toContain('\nadded to package.json: "kmc": { "models": "kmc/models" }\n');
    // init only told package.json where the models are: the lock npm ci installed from still matches
    expect(JSON.parse(readFileSync(at('package.json'), 'utf8'))).toEqual({ ...before, kmc: { models: 'kmc/models' } });
    // a misspelt parameter is a type error under the tsconfig init wrote, and so is a misuse of the API
    writeFileSync(at('kmc/models/typo.ts'), readFileSync(at('kmc/models/truncate-vs-write.ts'), 'utf8').replace('{ inverted: true }]', '{ invertd: true }]'));
    writeFileSync(at('kmc/misuse.ts'), `import { check } from 'kmc';\nimport { folio_lock } from 'kmc/kernel';\nexport const n: number = check;\nexport const f: string = folio_lock;\n`);
    // the CI job's commands after its npm ci, as a CI runner runs them; its type check (the project's slowest step)
    // runs once, with the two files above: it reports their errors and no other, so without them it passes
    const steps = [...readFileSync(at('kmc/ci.yml'), 'utf8').matchAll(/^\s*- run: (.*)$/gm)].map((m) => m[1]!);
    expect(steps).toEqual(['npm ci', 'npx tsc -p kmc', 'npx kmc test --junit kmc-junit.xml', 'npx vitest run kmc']);
    const typed = run(pkg.project, 'sh', ['-c', steps[1]!], false);
    expect([typed.code, typed.out.trim().split('\n').map((l) => l.replace(/: error (TS\d+).*/, ': $1'))]).toEqual([2, ['kmc/misuse.ts(3,14): TS2322', 'kmc/misuse.ts(4,14): TS2322', 'kmc/models/typo.ts(16,43): TS2561']]);
    expect(typed.out).toContain(`'invertd' does not exist in type`);
    rmSync(at('kmc/models/typo.ts'));
    rmSync(at('kmc/misuse.ts'));
    const [test, vitest] = steps.slice(2).map((step) => run(pkg.project, 'sh', ['-c', step], false));
    expect([test!.code, test!.out.trim().split('\n').at(-1)]).toEqual([0, '6 passed, 0 failed']);   // two targets' verdicts, and each one's step coverage
    expect(readFileSync(at('kmc-junit.xml'), 'utf8')).toContain('<testsuite name="truncate-vs-write inverted=true" tests="3" failures="0">');
    expect(vitest!.code).toBe(0);
    expect(vitest!.out).toMatch(/Tests\s+2 passed/);
    expect(npx('kmc', 'init').code).toBe(1);
    // each model file (the README's models/flag.ts and init's) was compiled once, into the project's cache
    expect(readdirSync(at('node_modules/.cache/kmc')).filter((f) => f.endsWith('.mjs'))).toHaveLength(2);
  });

  it('save, then replay with no model named: the trace records the model file, inside the configured models directory', () => {
    const check = npx('kmc', 'check', 'truncate-vs-write', '--param', 'inverted=true', '--save');
    expect([check.code, check.err]).toEqual([11, 'saved truncate-vs-write-inverted=true.itf.json (kmc replay truncate-vs-write-inverted=true.itf.json)\n']);
    expect(existsSync(at('truncate-vs-write-inverted=true.itf.json'))).toBe(true);
    const replay = npx('kmc', 'replay', 'truncate-vs-write-inverted=true.itf.json');
    expect([replay.code, replay.out.split('\n').slice(0, 2)]).toEqual([11, ['truncate-vs-write inverted=true', 'model: kmc/models/truncate-vs-write.ts (recorded in the trace)']]);
  });

  it('a vitest file imports kmc, kmc/kernel and kmc/vitest; a failing matcher prints the counterexample', () => {
    writeFileSync(at('flag.test.ts'), `import { expect, it } from 'vitest';
import { check } from 'kmc';
import 'kmc/vitest';
import model from './my-model.ts';
it('is violated', () => expect(check(model)).toViolate('dirty', { steps: 3 }));
it('holds', () => expect(check(model)).toHold('dirty'));
`);
    const r = npx('vitest', 'run', 'flag.test.ts');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Tests\s+1 failed \| 1 passed/);
    expect(r.out + r.err).toContain(`expected 'dirty' to hold:`);
    // the replay line names the model's file (where the test's import defined it), as kmc check takes it
    expect(r.out + r.err).toContain('replay: kmc check my-model.ts --property dirty');
  });

});
