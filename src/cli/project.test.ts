/**
 * A user's tree: `kmc check FILE --save`, the trace recording the model file relative to it,
 * `kmc replay TRACE` finding it, replay lines naming the file, and the project's configuration
 * (package.json "kmc", kmc.config.*) telling `kmc test`, `kmc matrix` and `kmc check NAME` where
 * the user's models are.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './load-model.ts';
import { kmc } from '../test-util/cli.ts';
import { check } from '../check/check.ts';
import type { Model } from '../model/define-model.ts';
import '../vitest.ts';

const flag = (fixed: boolean): string => `import { bool, defineModel, never, step } from '${ROOT}/src/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '${ROOT}/src/kernel/index.ts';
export default defineModel({
  name: 'my/flag', doc: 'a flag set outside its lock', params: {},
  expect: () => ({ dirty: 'holds' }),
  setup(_p, sys) {
    const lock = mutex(sys, 'folio_lock'), flag = sys.var('PG_dirty', bool());
    sys.task('T1', (t) => [mutex_lock(lock, t), ${fixed ? '' : `mutex_unlock(lock, t), `}step('folio_mark_dirty', { then: (s) => ${fixed ? 's' : 's.set(flag, true)'} })${fixed ? ', mutex_unlock(lock, t)' : ''}]);
    return [never('dirty', (s) => s.test(flag))];
  },
});
`;

/** A project with `models/my/flag.ts` (and package.json's "kmc" key unless `configured` is false); the working directory moves there until the test ends. */
function project(configured = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmc-project-'));
  mkdirSync(join(dir, 'models/my'), { recursive: true });
  writeFileSync(join(dir, 'models/my/flag.ts'), flag(false));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'mine', private: true, type: 'module', ...(configured ? { kmc: { models: 'models' } } : {}) }));
  process.chdir(dir);
  return dir;
}

const home = process.cwd();
afterEach(() => process.chdir(home));

describe('kmc check FILE --save', () => {
  it('saves the trace under the model name, recording the model file relative to the trace', async () => {
    const dir = project();
    const r = await kmc('check', 'models/my/flag.ts', '--save');
    expect([r.code, r.err]).toEqual([12, 'saved my-flag.itf.json (kmc replay my-flag.itf.json)\n']);
    const meta = JSON.parse(readFileSync(join(dir, 'my-flag.itf.json'), 'utf8'))['#meta'];
    expect([meta.source, meta.modelFile]).toEqual(['my/flag', 'models/my/flag.ts']);
    mkdirSync(join(dir, 'traces'));
    expect((await kmc('check', 'my/flag', '--save', 'traces/t.itf.json')).err).toBe('saved traces/t.itf.json (kmc replay traces/t.itf.json)\n');
    expect(JSON.parse(readFileSync(join(dir, 'traces/t.itf.json'), 'utf8'))['#meta'].modelFile).toBe('../models/my/flag.ts');
  });

  it("a shipped model's trace records no file; its default name carries the changed parameters; no counterexample, nothing saved", async () => {
    const dir = project();
    expect((await kmc('check', 'classic/abba', '--param', 'ordered=false', '--save')).err).toBe('saved classic-abba.itf.json (kmc replay classic-abba.itf.json)\n');
    expect(JSON.parse(readFileSync(join(dir, 'classic-abba.itf.json'), 'utf8'))['#meta'].modelFile).toBeUndefined();
    expect((await kmc('check', 'classic/abba', '--param', 'ordered=true', '--save=p.itf.json')).err).toBe('kmc: --save: not written: the verdict (ok) has no counterexample\n');
  });
});

describe('kmc replay TRACE, with no model named', () => {
  it("loads the recorded model file inside the project's models directory, says so; the trace moves with the model", async () => {
    const dir = project();
    await kmc('check', 'models/my/flag.ts', '--save');
    const still = await kmc('replay', 'my-flag.itf.json');
    expect([still.code, still.out.split('\n').slice(0, 4)]).toEqual([12, ['my/flag', 'model: models/my/flag.ts (recorded in the trace)', 'replay of my-flag.itf.json: a violation of \'dirty\' in 3 steps', "still violates: 'dirty' after 3 steps, as recorded"]]);
    // the fix, in a clone of the tree (a module is loaded once per process: a new file for the fixed one)
    const trace = readFileSync(join(dir, 'my-flag.itf.json'), 'utf8');
    const clone = project();
    writeFileSync(join(clone, 'models/my/flag.ts'), flag(true));
    writeFileSync(join(clone, 'my-flag.itf.json'), trace);
    const fixed = await kmc('replay', 'my-flag.itf.json');
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('\none interleaving is not a proof; this is:\n  kmc check models/my/flag.ts\n');
  });

  it('outside a configured models directory the recorded file runs only when named or confirmed', async () => {
    project(false);
    await kmc('check', 'models/my/flag.ts', '--save');
    const refused = await kmc('replay', 'my-flag.itf.json');
    expect([refused.code, refused.err]).toEqual([1, `kmc: my-flag.itf.json records its model file as models/my/flag.ts, outside the project's models directory; a model file is code: run it by naming it (kmc replay my-flag.itf.json models/my/flag.ts) or with --model-from-trace\n`]);
    expect((await kmc('replay', 'my-flag.itf.json', '--model-from-trace')).code).toBe(12);
    expect((await kmc('replay', 'my-flag.itf.json', 'models/my/flag.ts')).code).toBe(12);
  });

  it("a shipped model's trace replays by its name", async () => {
    project();
    await kmc('check', 'classic/abba', '--save');
    expect((await kmc('replay', 'classic-abba.itf.json')).out.split('\n')[0]).toBe('classic/abba');
  });
});

describe("the project's configuration", () => {
  it("kmc test runs the project's models, not kmc's; a failure's replay line (text and JUnit) names the file", async () => {
    const dir = project();
    const r = await kmc('test', '--junit', 'kmc.xml');
    expect(r.code).toBe(15);
    expect(r.out.split('\n')[0]).toBe('FAIL  my/flag  dirty: expected holds, got violated(3)');
    expect(r.out).toContain('\nreplay: kmc check models/my/flag.ts --property dirty\n');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
    expect(readFileSync(join(dir, 'kmc.xml'), 'utf8')).toContain('replay: kmc check models/my/flag.ts --property dirty\n');
  });

  it('kmc matrix runs them too; kmc check finds a name among them; kmc.config.json says the same as package.json', async () => {
    const dir = project(false);
    writeFileSync(join(dir, 'kmc.config.json'), JSON.stringify({ models: 'models' }));
    const m = await kmc('matrix');
    expect([m.code, m.out.split('\n')]).toEqual([0, ['Models (models), in each of their configurations', '', 'model    params  verdict      property  states  depth', '-------  ------  -----------  --------  ------  -----', 'my/flag          violated(3)  dirty     4       3', '']]);
    expect((await kmc('check', 'my/flag')).code).toBe(12);
  });

  it('in a package that configures nothing, kmc test and kmc matrix say how to, and run nothing', async () => {
    project(false);
    for (const cmd of ['test', 'matrix']) {
      const r = await kmc(cmd);
      expect([r.code, r.out, r.err]).toEqual([1, '', `kmc: kmc ${cmd}: package.json does not say where this project's models are: add "kmc": { "models": "<dir>" } to it (kmc init does), or give --models <dir>\n`]);
    }
  });

  it('a bad configuration is one line naming the file and the key', async () => {
    const dir = project();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ kmc: { models: 'nowhere' } }));
    expect((await kmc('test')).err).toBe('kmc: package.json "kmc": "models": nowhere is no such directory\n');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ kmc: { model: 'models' } }));
    expect((await kmc('test')).err).toBe(`kmc: package.json "kmc": "models" must name the directory of the project's models (e.g. "kmc/models"), got nothing\n`);
  });
});

describe('a vitest matcher failure', () => {
  it("names the model's file in its replay line, for a model the test imported", async () => {
    const dir = project();
    const model = ((await import(pathToFileURL(join(dir, 'models/my/flag.ts')).href)) as { default: Model }).default;
    let message = '';
    try { expect(check(model)).toHold('dirty'); } catch (err) { message = (err as Error).message; }
    expect(message).toContain('\nreplay: kmc check models/my/flag.ts --property dirty\n');
  });
});
