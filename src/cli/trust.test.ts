/**
 * The trust boundary: a trace is data. Replaying one never runs code the user did not name;
 * what came from the file is printed with its control characters escaped; hostile shapes end
 * in one line.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc, kmcInterrupted } from '../test-util/cli.ts';
import { check } from '../check/check.ts';
import { itfOf } from '../trace/report.ts';
import { loadModel } from './load-model.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-trust-'));
const INDEX = join(import.meta.dirname, '../index.ts');

/** A model file that leaves `marker` behind when it is loaded (as any code could). */
function planted(dir: string, marker: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.ts');
  writeFileSync(file, `import { writeFileSync } from 'node:fs';
import { defineModel } from '${INDEX}';
writeFileSync(${JSON.stringify(marker)}, 'ran');
export default defineModel({ name: 'planted', doc: 'runs code when loaded', setup(_p, sys) { sys.task('T', () => []); return []; } });
`);
  return file;
}

describe('a trace never chooses code', async () => {
  const abba = JSON.parse(JSON.stringify(itfOf(check(await loadModel('classic/abba'))))) as { '#meta': Record<string, unknown>; states: Record<string, unknown>[] };
  const dir = join(tmp, 'evil'), marker = join(tmp, 'ran'), file = planted(dir, marker);

  it.each([
    ['an absolute path', file],
    ['a folder (its index.ts)', dir],
    ['a path relative to the current directory', relative(process.cwd(), file)],
    ['a ../ path out of models/', relative(join(process.cwd(), 'models'), file)],
  ])('#meta.source naming %s is refused, and nothing runs', async (_what, source) => {
    const trace = join(tmp, 'evil.itf.json');
    writeFileSync(trace, JSON.stringify({ ...abba, '#meta': { ...abba['#meta'], source } }));
    const r = await kmc('replay', trace);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`kmc: ${trace} was saved for model '${source}', which is not one of kmc's models (a trace never chooses a file to run): give its file (kmc replay ${trace} <path/to/model.ts>)\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('says which model file ran: kmc\'s own, or the one the user named', async () => {
    const trace = join(tmp, 'abba.itf.json');
    writeFileSync(trace, JSON.stringify(abba));
    expect((await kmc('replay', trace)).out.split('\n')[1]).toBe(`model: models/classic/abba.ts (named by the trace)`);
    expect((await kmc('replay', trace, 'models/classic/abba.ts')).out.split('\n')[1]).toBe(`model: models/classic/abba.ts (the model given)`);
  });
});

describe('what came from a trace is shown, never obeyed', async () => {
  const abba = JSON.parse(JSON.stringify(itfOf(check(await loadModel('classic/abba'))))) as { '#meta': Record<string, unknown>; states: Record<string, unknown>[] };
  const OSC52 = '\x1b]52;c;ZWNobyBwd25lZA==\x07', TITLE = '\x1b]0;owned\x07', CLEAR = '\x1b[2J', C1 = '\x9b2J', BIDI = '\u202e';
  const raw = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;

  it('actor names, labels, parameters, #meta.source and variable names reach the terminal escaped, in output and in errors', async () => {
    const evil = (i: number) => ({ ...abba.states[i], '#meta': { ...(abba.states[i]!['#meta'] as object), actor: `T1${OSC52}`, action: `lock${CLEAR}` } });
    const cases = [
      { ...abba, states: [abba.states[0], evil(1), abba.states[2]] },
      { ...abba, '#meta': { ...abba['#meta'], params: { [`ordered${TITLE}`]: `x${C1}` } } },
      { ...abba, '#meta': { ...abba['#meta'], source: `classic/abba${BIDI}${CLEAR}` } },
      { ...abba, '#meta': { ...abba['#meta'], violation: `invariant:P${OSC52}` } },
      { ...abba, vars: [...(abba as unknown as { vars: string[] }).vars, `x${TITLE}`], states: abba.states.map((s) => ({ ...s, [`x${TITLE}`]: `v${C1}` })) },
    ];
    for (const [i, doc] of cases.entries()) {
      const trace = join(tmp, `ctl${i}.itf.json`);
      writeFileSync(trace, JSON.stringify(doc));
      for (const args of [['replay', trace], ['replay', trace, 'classic/abba'], ['view', trace, '--out', join(tmp, `ctl${i}.html`)], ['replay', trace, '--json']]) {
        const r = await kmc(...args);
        expect(r.out + r.err, `${args.join(' ')}: ${JSON.stringify(r.out + r.err)}`).not.toMatch(raw);
      }
    }
    const r = await kmc('replay', join(tmp, 'ctl0.itf.json'));
    expect(r.out).toContain(`diverges at step 1 of 2 (T1\\x1b]52;c;ZWNobyBwd25lZA==\\x07: lock\\x1b[2J)`);
  });

  it('a parser error quoting the file escapes it too', async () => {
    const trace = join(tmp, 'notjson.itf.json');
    writeFileSync(trace, `{"a": 1, ${OSC52}}`);
    const r = await kmc('view', trace);
    expect([r.code, r.err.split('\n').length]).toEqual([1, 2]);
    expect(r.err).not.toMatch(raw);
  });

  it('replay says when recorded state values differ from the replayed ones', async () => {
    const edited = JSON.parse(JSON.stringify(abba)) as typeof abba;
    edited.states[1]!['A'] = { tag: 'Held', value: 'T2' };
    const trace = join(tmp, 'edited.itf.json');
    writeFileSync(trace, JSON.stringify(edited));
    const r = await kmc('replay', trace);
    expect(r.code).toBe(11);
    expect(r.out.replace(/\n {4}/g, ' ')).toContain(`note: the recorded state after step 1 differs from the replayed one in A: the trace's values are not this model's as it is now (edited, or the model or its parameters changed)\n`);
  });
});

describe('hostile shapes end in one line', () => {
  it('kmc view /dev/zero returns, with one line (exit 1)', async () => {
    const r = await kmc('view', '/dev/zero', '--out', join(tmp, 'zero.html'));
    expect([r.code, r.err]).toEqual([1, `kmc: /dev/zero: larger than 128 MiB, more than a trace kmc reads\n`]);
  });

  it('a deeply nested document is a one-line error for view and replay, not a stack overflow', async () => {
    const trace = join(tmp, 'deep.itf.json');
    writeFileSync(trace, `{"vars":[],"states":[{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}]}`);
    for (const cmd of ['view', 'replay']) {
      const r = await kmc(cmd, trace);
      expect([r.code, r.err]).toEqual([1, `kmc: ${trace}: not an ITF trace: nested deeper than 64 levels\n`]);
    }
  });

  it('the limits leave room for kmc\'s own traces (a 2,000-step one reads back)', async () => {
    const trace = join(tmp, 'long.itf.json');
    const r = await kmc('check', 'bench/models/deep.ts', '--param', 'n=2000', '--json', '--workers', '1');
    writeFileSync(trace, JSON.stringify((JSON.parse(r.out) as { trace: unknown }).trace));
    expect(readFileSync(trace, 'utf8').length).toBeGreaterThan(100_000);
    const back = await kmc('replay', trace, 'bench/models/deep.ts');
    expect(back.code).toBe(12);
    expect(back.out.replace(/\n {4}/g, ' ')).toContain(`still violates: 'x < n or y < 3' after 2003 steps, as recorded`);
  });
});

describe('outputs never destroy inputs', () => {
  const model = (): string => {
    const dir = mkdtempSync(join(tmp, 'model-')), file = join(dir, 'counter.ts');
    writeFileSync(file, readFileSync('src/test-util/fixtures/counter.ts', 'utf8').replaceAll(`'../../index.ts'`, `'${INDEX}'`));
    return file;
  };

  it.each(['--html', '--dot', '--junit'])('kmc check m.ts %s m.ts is refused, and the model is left as it was', async (flag) => {
    const m = model(), before = readFileSync(m, 'utf8');
    const r = await kmc('check', m, flag, m);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toBe(`kmc: ${flag} ${m}: that is the model's source (${relative(process.cwd(), m)}); kmc never overwrites its input\n`);
    expect(readFileSync(m, 'utf8')).toBe(before);
  });

  it('two outputs to one file are refused (a symbolic link to it too)', async () => {
    const out = join(tmp, 'both.out'), link = join(tmp, 'both.link');
    writeFileSync(out, '');
    (await import('node:fs')).symlinkSync(out, link);
    const r = await kmc('check', 'classic/abba', '--html', out, '--dot', link);
    expect([r.code, r.err]).toEqual([1, `kmc: --dot ${link} and --html ${out}: the same file; give each output its own\n`]);
  });

  it('kmc view t.itf.json --out t.itf.json is refused, and the trace is kept', async () => {
    const trace = join(tmp, 'keep.itf.json');
    writeFileSync(trace, JSON.stringify(itfOf(check(await loadModel('classic/abba')))));
    const before = readFileSync(trace, 'utf8');
    const r = await kmc('view', trace, '--out', trace);
    expect([r.code, r.err]).toEqual([1, `kmc: --out ${trace}: that is the trace (${trace}); kmc never overwrites its input\n`]);
    expect(readFileSync(trace, 'utf8')).toBe(before);
  });

  it('kmc init never writes through a symbolic link, dangling or not', async () => {
    const { symlinkSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmp, 'init-')), outside = join(tmp, 'outside.ts');
    mkdirSync(join(dir, 'models'));
    symlinkSync(outside, join(dir, 'models', 'truncate-vs-write.ts'));
    const r = await kmc('init', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/truncate-vs-write\.ts is a symbolic link; kmc init never writes through one; nothing written\n$/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(dir, 'ci.yml'))).toBe(false);
  });

  it('a file system that refuses the write is one line and exit 3, not an internal error', async () => {
    const r = await kmc('init', '/sys/kmc-init-test');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^kmc: kmc init \S+: cannot write \S+: E[A-Z]+: [^\n]*\n$/);
  });
});

describe('model folders with symbolic link loops and dangling links', () => {
  it('kmc list and kmc test --models skip them with a one-line note each', async () => {
    const { symlinkSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmp, 'models-'));
    writeFileSync(join(dir, 'counter.ts'), readFileSync('src/test-util/fixtures/counter.ts', 'utf8').replaceAll(`'../../index.ts'`, `'${INDEX}'`));
    symlinkSync(join(dir, 'nowhere.ts'), join(dir, '.#counter.ts'));   // an editor's lock file
    symlinkSync('.', join(dir, 'loop'));
    symlinkSync('self', join(dir, 'self'));
    const notes = [
      `kmc: skipped ${relative(process.cwd(), join(dir, '.#counter.ts'))}: a dangling symbolic link`,
      `kmc: skipped ${relative(process.cwd(), join(dir, 'loop'))}: a symbolic link loop (back to ${relative(process.cwd(), dir)})`,
      `kmc: skipped ${relative(process.cwd(), join(dir, 'self'))}: a symbolic link loop`,
    ];
    const list = await kmc('list', '--models', dir);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^counter /);
    expect(list.err.trimEnd().split('\n')).toEqual(notes);
    const test = await kmc('test', '--models', dir);
    expect(test.code).not.toBe(255);
    expect(test.err.trimEnd().split('\n').slice(0, 3)).toEqual(notes);
  });
});

describe('kmc simulate on SIGTERM', () => {
  it('prints the summary of the runs so far and exits 10 (incomplete), not 143 with nothing', async () => {
    // signalled once the progress line shows runs done (a fixed delay cost seconds of CPU)
    const r = await kmcInterrupted('SIGTERM', /^simulation: [1-9][\d,]* runs/m, 'simulate', 'bench/models/deep.ts', '--param', 'n=1000', '--runs', '100000000');
    expect(r.code).toBe(10);
    expect(r.out).toMatch(/^interrupted \(SIGTERM\): no violation in the [1-9]\d* random runs of at most 200 steps tried \(of 100000000; seed 42\); this is not a proof/);
  });
});

describe('check --scenario --json', () => {
  it('has the shape of check --json (verdict and trace at the top, not under counterexample), with the row and its expectations', async () => {
    const plain = JSON.parse((await kmc('check', 'classic/abba', '--json')).out) as Record<string, unknown>;
    const row = JSON.parse((await kmc('check', '--scenario', 'S-12', '--json')).out) as Record<string, unknown>;
    expect(Object.keys(row)).toEqual([...Object.keys(plain), 'scenario', 'title', 'expectations']);
    expect(row['counterexample']).toBeUndefined();
    expect(row['verdict']).toBe('deadlock');
  });
});
