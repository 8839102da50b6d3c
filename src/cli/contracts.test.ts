/** Contracts a script can rely on: refused contradictions, JSON on stdout, errors classified, signals, models anywhere. */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './load-model.ts';
import { kmc, kmcEnv, kmcInterrupted, kmcProcessEnv } from '../test-util/cli.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kmc-cli-'));
const fixture = (name: string): string => `src/test-util/fixtures/${name}.ts`;
const json = (out: string): Record<string, unknown> => JSON.parse(out) as Record<string, unknown>;

describe('contradictory requests are refused, never dropped', () => {
  it.each([
    [['check', 'classic/abba', '--property', 'deadlock', '--no-deadlock'], '--property deadlock and --no-deadlock contradict each other'],
    [['check', 'classic/abba', 'extra.json'], `kmc check: unexpected 'extra.json' (an extra argument: one model, and a path only after --save)`],
    [['check', 'classic/abba', '--save', 'abba.txt'], '--save abba.txt: a trace is saved as JSON: give a path ending in .json (or --save=abba.txt)'],
    [['check', 'classic/abba', '--scenario', 'S-12'], 'give a model or --scenario S-12, not both'],
    [['check', '--scenario', 'S-12', '--no-deadlock'], '--no-deadlock: a scenario row fixes what it checks, deadlock included'],
    [['check', 'classic/abba', '--expect', '--no-deadlock'], '--expect compares every expected verdict, deadlock included'],
    [['check', '--scenario', 'S-12', '--save', '--reduce', 'por'], 'which --reduce would change'],
    [['check', 'classic/abba', '--reduce', 'state'], '--reduce state: expected por (partial-order reduction), por-state (dependence judged in the state at hand too: fewer states, more time per state) or none'],
    [['check', 'classic/abba', '--reduce', 'por', '--proviso', 'level'], '--proviso level: expected static (a set that closes a loop of its actor\'s program is expanded fully) or visited'],
    [['check', 'classic/abba', '--proviso', 'visited'], '--proviso visited: the cycle proviso is the partial-order reduction\'s; give --reduce por or por-state'],
    [['check', 'classic/abba', '--property', 'deadlock', '--reduce', 'por-state', '--workers', '2'], '--reduce por-state runs in one thread (its cycle proviso looks successors up in the visited set as the search goes): give --workers 1 or leave it out, or give --proviso static'],
    [['check', 'classic/abba', '--property', 'deadlock', '--reduce', 'por', '--proviso', 'visited', '--workers', '2'], '--proviso visited runs in one thread (its cycle proviso looks successors up in the visited set as the search goes): give --workers 1 or leave it out'],
    [['check', 'classic/abba', '--property', 'deadlock', '--reduce', 'por', '--proviso', 'visited', '--store', 'compact', '--max-memory', '1G'], '--store compact keeps no state ids, which --proviso visited\'s cycle proviso reads'],
  ])('%j', async (args, message) => {
    const r = await kmc(...args);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
  });

  it('--scenario X --param k=v --save leaves the committed counterexample alone', async () => {
    const before = readFileSync(join(ROOT, 'counterexamples/S-12.txt'), 'utf8');
    const r = await kmc('check', '--scenario', 'S-12', '--param', 'tasks=3', '--save');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--save writes the committed counterexample of row S-12, which --param would change');
    expect(readFileSync(join(ROOT, 'counterexamples/S-12.txt'), 'utf8')).toBe(before);
  });

  it('scenario mode honours --max-states, --property, --reference and --junit', async () => {
    expect((await kmc('check', '--scenario', 'S-12', '--max-states', '50')).out).toContain('deadlock: expected violated, got incomplete');
    expect((await kmc('check', '--scenario', 'S-12', '--max-states', '50')).code).toBe(10);
    const s2 = await kmc('check', '--scenario', 'S-2', '--property', 'P4');
    expect(s2.out.split('\n').slice(1, 3)).toEqual(['  P4: expected holds, got holds', '']);
    expect((await kmc('check', '--scenario', 'S-2', '--property', 'L1')).err).toContain('--property L1: row S-2 expects nothing of it');
    expect((await kmc('check', '--scenario', 'S-12', '--reference')).out).toContain('got violated(18)')   // 16 before the DIO's GUP-fast PTE read (pin_user_pages_fast), 14 before GUP's mmap_read_lock was a step;
    const file = join(tmp(), 'row.xml');
    expect((await kmc('check', '--scenario', 'S-13', '--junit', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('<testcase classname="S-13" name="deadlock"/>');
  });
});

describe('--json is one JSON document on stdout, for every command', () => {
  it.each([
    ['check', ['check', 'classic/abba', '--json'], 11, ['model', 'verdict', 'trace']],
    ['check --expect', ['check', 'classic/abba', '--expect', '--json'], 0, ['verdict', 'expectations']],
    ['check --scenario', ['check', '--scenario', 'S-12', '--json'], 11, ['model', 'verdict', 'trace', 'scenario', 'expectations']],
    ['list', ['list', '--json'], 0, ['models', 'broken']],
    ['test', ['test', 'classic/abba', '--json'], 0, ['passed', 'failed', 'broken', 'outcomes']],
    ['simulate', ['simulate', 'classic/abba', '--runs', '5', '--json'], 11, ['verdict', 'replay', 'trace']],
    ['shrink', ['shrink', 'classic/abba', '--property', 'deadlock', '--json'], 11, ['params', 'changed', 'report']],
    ['a usage error', ['check', 'nope', '--json'], 1, ['error']],
    ['a parse error', ['check', '--bogus', '--json'], 1, ['error']],
    ['a model error', ['check', fixture('bad-domain'), '--json'], 2, ['error']],
  ])('%s', async (_, args, code, keys) => {
    const r = await kmc(...(args as string[]));
    expect(r.code).toBe(code);
    const j = json(r.out);
    for (const k of keys as string[]) expect(j).toHaveProperty(k);
  });

  it('an error object says what kind of error, with the model error code', async () =>
    expect(json((await kmc('check', fixture('bad-domain'), '--json')).out)).toEqual({ error: {
      kind: 'model', code: 'KMC001', message: `KMC001 value outside the declared domain: PG_dirty := 2, domain bool [in step 'folio_mark_dirty' of T]` } }));

  it('check --scenario --json has no text before the document', async () => expect((await kmc('check', '--scenario', 'S-12', '--json')).out.startsWith('{')).toBe(true));
});

describe('errors are classified and go to stderr', () => {
  it('a parse error goes to stderr, uncoloured when stderr is not a terminal', async () => {
    const r = await kmc('check', '--bogus');
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe(`kmc: kmc check: unexpected '--bogus' (an unknown option, an extra argument, or an option without its value; kmc check --help lists the options)\n`);
    expect(r.err).not.toContain('\x1b[');
  });

  it('NO_COLOR is honoured', async () => expect((await kmcEnv({ NO_COLOR: '1' }, 'check', '--bogus')).err).not.toContain('\x1b['));

  it('a --junit file that cannot be written is one line, and the verdict keeps its exit code', async () => {
    const r = await kmc('check', 'classic/abba', '--junit', '/nonexistent/dir/out.xml');
    expect(r.code).toBe(11);
    expect(r.err).toMatch(/^kmc: cannot write --junit \/nonexistent\/dir\/out.xml: ENOENT[^\n]*\n$/);
    const t = await kmc('test', 'classic/abba', '--junit', '/nonexistent/dir/out.xml');
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/\n3 passed, 0 failed\n$/);   // deadlock, lock order, step coverage
    expect(t.err).toMatch(/^kmc: cannot write --junit/);
  });

  it('--junit on check honours expect(), as kmc test does', async () => {
    const file = join(tmp(), 'out.xml');
    expect((await kmc('check', fixture('stale-expect'), '--junit', file)).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('<failure message="expected violated(2), got holds">');
  });

  it('a TypeScript syntax error keeps its file:line:col', async () => {
    const f = join(tmp(), 'syntax.ts');
    writeFileSync(f, `export default {\n  name: ;\n};\n`);
    const r = await kmc('check', f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^kmc: KMC009 the file is not a kmc model: ${f}:2:8: ERROR: `));
  });

  it('one broken model is reported; list and test still report the rest', async () => {
    const dir = tmp();
    copyFileSync(join(ROOT, 'models/classic/abba.ts'), join(dir, 'abba.ts'));
    writeFileSync(join(dir, 'abba.ts'), readFileSync(join(dir, 'abba.ts'), 'utf8').replaceAll(`'../../src/`, `'${ROOT}/src/`));
    writeFileSync(join(dir, 'broken.ts'), `import { defineModel, int } from '${ROOT}/src/index.ts';\nexport default defineModel({ name: 'broken', doc: 'x', params: {}, setup(_p, sys) { sys.var('x', int(3, 1)); } });\n`);
    const list = await kmc('list', '--models', dir);
    expect(list.code).toBe(2);
    expect(list.out).toContain('abba  two tasks');
    expect(list.out).toContain(`BROKEN  broken: KMC013 bad model declaration: int(3, 1): need integers with min <= max [in model 'broken' (${relative(ROOT, join(dir, 'broken.ts'))})]`);
    const test = await kmc('test', '--models', dir);
    expect(test.code).toBe(2);
    expect(test.out).toContain('ok    abba ordered=true  deadlock: holds\n');
    expect(test.out).toMatch(/\n3 passed, 0 failed, 1 broken\n$/);   // with step coverage
  });
});

describe('bad command lines and bad model files: one line each, naming what is wrong', () => {
  it.each([
    [['check', 'classic/abba', 'extra'], `kmc: kmc check: unexpected 'extra' (an extra argument: one model, and a path only after --save)`],
    [['check', 'classic/abba', '--param'], `kmc: kmc check: unexpected '--param' (an unknown option, an extra argument, or an option without its value; kmc check --help lists the options)`],
    [['frob'], `kmc: unknown command 'frob' (commands: check, list, matrix, test, simulate, shrink, init, replay, view, explore, junit-merge; kmc --help)`],
    [['test', '--models', 'no/such/dir'], 'kmc: --models no/such/dir: no such directory'],
    [['list', '--models', 'README.md'], 'kmc: --models README.md: not a directory'],
    [['check', 'package.json'], `kmc: model 'package.json': not a model file (.ts or .js, exporting defineModel({...}))`],
    [['check', 'counterexamples'], `kmc: model 'counterexamples': a folder without index.ts (a model folder's index.ts exports the model)`],
  ])('%j', async (args, line) => {
    const r = await kmc(...args);
    expect([r.code, r.out, r.err]).toEqual([1, '', `${line}\n`]);
  });

  it('a model folder given as a path is its index', async () => {
    const r = await kmc('check', 'models/truncate-fault');
    expect([r.code, r.out.split('\n')[0]]).toEqual([0, 'truncate-fault']);
  });

  it('params may be left out; a default export missing what a model needs is a model error naming the file (exit 2)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'none.ts'), `import { defineModel, step } from '${ROOT}/src/index.ts';\nexport default defineModel({ name: 'none', doc: 'x', setup(_p, sys) { sys.task('T', () => [step('a')]); } });\n`);
    writeFileSync(join(dir, 'empty.ts'), `import { defineModel } from '${ROOT}/src/index.ts';\nexport default defineModel({} as never);\n`);
    expect((await kmc('check', join(dir, 'none.ts'))).out).toMatch(/^none\nok: all 2 states explored\n/);
    const r = await kmc('check', join(dir, 'empty.ts'));
    expect([r.code, r.out, r.err]).toEqual([2, '', `kmc: KMC013 bad model declaration: ${relative(ROOT, join(dir, 'empty.ts'))}: defineModel({...}) needs a name\n`]);
  });
});

describe('a replay line checks the same thing again', () => {
  it('with --property and --no-deadlock, and the changed parameters', async () => {
    const r = await kmc('check', 'gup-writeback', '--param', 'wb=w1_bad', '--property', 'P2');
    const line = /\nreplay: kmc check (.*)\n/.exec(r.out)![1]!;
    expect(line).toBe('gup-writeback --param wb=w1_bad --property P2');
    const again = await kmc('check', ...line.split(' '));
    expect([again.code, again.out.replace(/\nstates [^\n]*\n$/, '')]).toEqual([r.code, r.out.replace(/\nstates [^\n]*\n$/, '')]);
    expect((await kmc('check', 'classic/dio-ring', '--param', 'n=2', '--no-deadlock', '--property', 'deadlock')).code).toBe(1);
  });

  it('names the file of a model from outside the package (kmc test), and --param of a scenario row', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'inv.ts'), `import { defineModel } from '${ROOT}/src/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '${ROOT}/src/kernel/index.ts';
export default defineModel({
  name: 'inv', doc: 'AB-BA, expected (wrongly) to hold',
  setup(_p, sys) {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B');
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
    sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
  },
  expect: () => ({ deadlock: 'holds' }),
});
`);
    const t = await kmc('test', '--models', dir);
    expect(t.code).toBe(15);
    expect(t.out).toContain(`\nreplay: kmc check ${relative(ROOT, join(dir, 'inv.ts'))} --property deadlock\n`);
    expect((await kmc('check', '--scenario', 'S-12', '--param', 'tasks=3')).out).toContain('\nreplay: kmc check --scenario S-12 --param tasks=3\nstates explored: 1368\n');   // the row's one search (it ends with the round of its deadlock); 1051 before the DIO's GUP was pin_user_pages_fast (GUP-fast, then the slow path with FOLL_UNLOCKABLE), 964 when a search for the deadlock alone stopped at it, 694 before GUP's mmap_read_lock was a step
  });
});

describe('interrupts and memory', () => {
  it.each([['SIGINT', false], ['SIGTERM', true]] as const)('%s ends the run with the summary so far: incomplete, exit 10 (json: %s)', async (sig, asJson) => {
    const r = await kmcInterrupted(sig, /states\/s/, 'check', 'classic/philosophers', '--param', 'n=14', '--no-deadlock', ...(asJson ? ['--json'] : []));
    expect(r.code).toBe(10);
    if (asJson) expect(json(r.out)).toMatchObject({ verdict: 'incomplete', property: null });
    else expect(r.out).toMatch(new RegExp(`^classic/philosophers n=14\\nincomplete: interrupted \\(${sig}\\), no violation so far\\n\\nstates [\\d,]+, `));
  });

  it('--max-memory stops the fast explorer before it passes the size', async () => {
    const r = await kmc('check', 'classic/dio-ring', '--param', 'n=6', '--no-deadlock', '--max-memory', '8M');
    expect(r.code).toBe(10);
    expect(r.out).toContain('incomplete: --max-memory 8.0 MiB reached, no violation so far');
  });

  it('the reference explorer ends incomplete at the heap limit, not in a crash (a process: the limit is Node\'s option)', () => {
    const r = kmcProcessEnv({ NODE_OPTIONS: '--max-old-space-size=96' }, 'check', 'classic/dio-ring', '--param', 'n=6', '--no-deadlock', '--reference');
    expect(r.code).toBe(10);
    expect(r.out).toContain('incomplete: the JavaScript heap limit reached (reference explorer)');
  });

  it('prints liveness progress and counts the liveness phase in the time', async () => {
    const r = await kmcEnv({ KMC_PROGRESS_MS: '0' }, 'check', 'dio-mmap', '--param', 'tasks=3', '--param', 'files=2', '--param', 'mm_writer=present', '--property', 'L2(c)');
    expect(r.err).toMatch(/^liveness graph: [\d,]+ states/m);
  });
});

describe('models anywhere', () => {
  it('a model file outside the repository, with no package.json, checks; the replay line names the path given', async () => {
    const dir = tmp(), file = join(dir, 'flag.ts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `import { bool, defineModel, never, step } from '${ROOT}/src/index.ts';
export default defineModel({
  name: 'outside', doc: 'a model outside the repository', params: {},
  setup(_p, sys) {
    const x = sys.var('x', bool());
    sys.task('T', () => [step('set', { then: (s) => s.set(x, true) })]);
    return [never('x set', (s) => s.test(x))];
  },
});
`);
    const r = await kmc('check', file);
    expect(r.code).toBe(12);
    expect(r.out).toContain(`\nreplay: kmc check ${file}\n`);
  });
});
