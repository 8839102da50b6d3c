/**
 * The package as a user installs it: `npm pack`, installed into an empty project from the
 * tarball; there `npx kmc check`, `kmc init`, `kmc test`, a vitest file importing 'kmc',
 * 'kmc/kernel' and 'kmc/vitest', and the types (.d.ts) all work, with no alias.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, run, type Installed } from './test-util/package.ts';

let pkg: Installed;
const at = (...p: string[]): string => join(pkg.project, ...p);
const npx = (...args: string[]) => run(pkg.project, 'npx', ['--no-install', ...args], false);

const MODEL = `import { bool, defineModel, never, step } from 'kmc';
import { mutex, mutex_lock, mutex_unlock } from 'kmc/kernel';

export default defineModel({
  name: 'my/flag', doc: 'a flag set outside its lock', params: {},
  setup(_p, sys) {
    const lock = mutex(sys, 'folio_lock'), flag = sys.var('PG_dirty', bool());
    sys.task('T1', (t) => [mutex_lock(lock, t), mutex_unlock(lock, t), step('folio_mark_dirty', { then: (s) => s.set(flag, true) })]);
    return [never('dirty', (s) => s.test(flag))];
  },
});
`;

// as `tsc --init` writes it (skipLibCheck: true), for a project that runs TypeScript through vitest and kmc
const TSCONFIG = { compilerOptions: { target: 'ES2022', module: 'preserve', moduleResolution: 'bundler', strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'] } };

describe('the packed package, installed into an empty project', () => {
  beforeAll(() => {
    pkg = packAndInstall(['vitest', 'typescript', '@types/node']);
    writeFileSync(at('my-model.ts'), MODEL);
    writeFileSync(at('tsconfig.json'), JSON.stringify(TSCONFIG));
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

  it('npx kmc check runs a shipped model and a model file of the project', () => {
    const abba = npx('kmc', 'check', 'classic/abba');
    expect([abba.code, abba.out.split('\n').slice(0, 2)]).toEqual([11, ['classic/abba', 'deadlock: wait-for cycle (AB-BA) after 2 steps (shortest)']]);
    const mine = npx('kmc', 'check', './my-model.ts');
    expect(mine.code).toBe(12);
    expect(mine.out).toContain(`violated: 'dirty' after 3 steps (shortest)`);
  });

  it('kmc init scaffolds files that pass as generated: its CI job (kmc test, then vitest) runs green', () => {
    const init = npx('kmc', 'init');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/^wrote kmc\/models\/truncate-vs-write\.ts {2}a model built from the kernel library\n/);
    // the CI job's commands after its npm ci, as a CI runner runs them
    const steps = [...readFileSync(at('kmc/ci.yml'), 'utf8').matchAll(/^\s*- run: (.*)$/gm)].map((m) => m[1]!);
    expect(steps).toEqual(['npm ci', 'npx kmc test --models kmc/models --junit kmc-junit.xml', 'npx vitest run kmc']);
    const [test, vitest] = steps.slice(1).map((step) => run(pkg.project, 'sh', ['-c', step], false));
    expect([test!.code, test!.out.trim().split('\n').at(-1)]).toEqual([0, '4 passed, 0 failed']);
    expect(readFileSync(at('kmc-junit.xml'), 'utf8')).toContain('<testsuite name="truncate-vs-write inverted=true" tests="2" failures="0">');
    expect(vitest!.code).toBe(0);
    expect(vitest!.out).toMatch(/Tests\s+2 passed/);
    expect(npx('kmc', 'init').code).toBe(1);
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
  });

  it('types come from the .d.ts files: the project type-checks, and a misuse is an error', () => {
    expect(npx('tsc', '-p', '.').code).toBe(0);
    writeFileSync(at('misuse.ts'), `import { check } from 'kmc';\nimport { folio_lock } from 'kmc/kernel';\nexport const n: number = check;\nexport const f: string = folio_lock;\n`);
    const r = npx('tsc', '-p', '.');
    expect(r.code).toBe(2);
    expect(r.out).toContain(`misuse.ts(3,14): error TS2322`);
    expect(r.out).toContain(`misuse.ts(4,14): error TS2322`);
  });
});
