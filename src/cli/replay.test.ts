/** `kmc replay`: a saved counterexample still violates, no longer violates, or diverges at step k. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc } from '../test-util/cli.ts';
import { check } from '../check/check.ts';
import { itfOf } from '../trace/report.ts';
import { loadModel } from './load-model.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kmc-replay-'));

/** The ITF trace of checking `model` (as `kmc check --json` gives it), saved to a file. */
async function saved(name: string, model: string, params: Record<string, string> = {}): Promise<string> {
  const file = join(tmp, `${name}.itf.json`);
  writeFileSync(file, JSON.stringify(itfOf(check(await loadModel(model), { params })), null, 2));
  return file;
}

describe('a livelock (include/linux/seqlock.h: read_seqbegin spins while the count is odd)', async () => {
  // a hardirq reader interrupts the writer on its CPU: the writer cannot run, the reader spins for ever
  const lasso = await saved('livelock', 'seqcount', { case: 'irq_reader_livelock' });

  it('kmc check: exit 13, a lasso (before: exit 11, a deadlock-shaped trace); a mutex AB-BA stays exit 11', async () => {
    const r = await kmc('check', 'seqcount', '--param', 'case=irq_reader_livelock');
    expect(r.code).toBe(13);
    expect(r.out).toContain('--- cycle starts here ---\n3                                    read_seqbegin(jiffies_lock)\n');
    expect((await kmc('check', 'classic/abba')).code).toBe(11);
  });

  it('the saved lasso carries loop 2, its cycle the spin (the state unchanged), and kmc replay replays it: exit 13', async () => {
    const itf = JSON.parse(readFileSync(lasso, 'utf8')) as { loop: number; states: Record<string, unknown>[]; '#meta': Record<string, unknown> };
    expect([itf.loop, itf.states.length, itf['#meta']['violation']]).toEqual([2, 4, 'livelock']);
    const r = await kmc('replay', lasso);
    expect(r.code).toBe(13);
    expect(r.out).toContain(`: a livelock in 3\n    steps\nstill violates: livelock, wait-for cycle (a retry loop: the handler\n    interrupted the writer it waits for) after 2 steps, then a cycle of\n    1 step that changes nothing, as recorded\n`);
    expect(r.out).toContain('--- cycle starts here ---\n3                                    read_seqbegin(jiffies_lock)\n');
  });

  it('a spin that is not one (the reader could run there) diverges: exit 0', async () => {
    const itf = JSON.parse(readFileSync(lasso, 'utf8')) as { loop: number; states: Record<string, unknown>[] };
    // the interrupt taken out: the spin comes right after write_seqlock, where the reader (the handler) has not started
    const edited = join(tmp, 'livelock-edited.itf.json');
    writeFileSync(edited, JSON.stringify({ ...itf, loop: 1, states: [itf.states[0], itf.states[1], itf.states[3]] }));
    const r = await kmc('replay', edited);
    expect(r.code).toBe(0);
    expect(r.out).toContain('diverges at step 2 of 2 (timer_irq: read_seqbegin(jiffies_lock)):');
  });
});

describe('kmc replay', async () => {
  const abba = await saved('abba', 'classic/abba');

  it('still violates: exit 11, the trace and the cycle', async () => {
    const r = await kmc('replay', abba);
    expect(r.code).toBe(11);
    expect(r.out).toBe(`classic/abba
model: models/classic/abba.ts (named by the trace)
replay of ${abba}: a deadlock in 2 steps
still violates: deadlock, wait-for cycle (AB-BA) after 2 steps, as
    recorded

   T1                                T2
   --                                --
1  mutex_lock(A)
   A=T1
2                                    mutex_lock(B)
                                     B=T2

wait-for cycle:
  T1 holds A and waits for B, held by T2
  T2 holds B and waits for A, held by T1
`);
  });

  it('diverges at the step the fix removed: exit 0, which step and why, and the command that proves it', async () => {
    const r = await kmc('replay', abba, '--param', 'ordered=true');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`classic/abba ordered=true
model: models/classic/abba.ts (named by the trace)
replay of ${abba}: a deadlock in 2 steps
diverges at step 2 of 2 (T2: mutex_lock(B)): T2's next step is
    'mutex_lock(A)', not 'mutex_lock(B)'
note: the recorded initial state differs from the replayed one in T2.pc:
    the trace's values are not this model's as it is now (edited, or the
    model or its parameters changed)

the step before it replays:
   T1
   --
1  mutex_lock(A)
   A=T1

one interleaving is not a proof; this is:
  kmc check classic/abba --param ordered=true
`);
  });

  it('diverges at a step that is there but not enabled, naming what it waits for', async () => {
    const file = join(tmp, 'blocked.itf.json'), itf = JSON.parse(readFileSync(abba, 'utf8'));
    // T2 takes A while T1 holds it: the recorded step exists, its guard is false
    itf.states[2]['#meta'] = { ...itf.states[2]['#meta'], action: 'mutex_lock(A)' };
    writeFileSync(file, JSON.stringify(itf));
    const r = await kmc('replay', file, '--param', 'ordered=true');
    expect(r.out).toContain(`diverges at step 2 of 2 (T2: mutex_lock(A)): 'mutex_lock(A)' of T2 is\n    not enabled: it waits for A, held by T1\n`);
  });

  it('no longer violates: every step replays, the property holds on the way (exit 0)', async () => {
    const counter = await saved('counter', 'src/test-util/fixtures/counter.ts');
    const fixed = join(tmp, 'counter-fixed.ts');
    writeFileSync(fixed, readFileSync('src/test-util/fixtures/counter.ts', 'utf8').replaceAll(`'../../index.ts'`, `'${join(import.meta.dirname, '../index.ts')}'`).replace('s.get(x) < 3', 's.get(x) < 4'));
    const r = await kmc('replay', counter, fixed);
    expect(r.code).toBe(0);
    expect(r.out.replace(/\n {4}/g, ' ').split('\n').slice(0, 4)).toEqual(['fixtures/counter', `model: ${relative(process.cwd(), fixed)} (the model given)`, `replay of ${counter}: a violation of 'x below 3' in 3 steps`, `no longer violates: all 3 steps replay, without a violation of 'x below 3'`]);
    expect((await kmc('replay', counter, 'src/test-util/fixtures/counter.ts')).code).toBe(12);
    expect((await kmc('replay', counter, 'src/test-util/fixtures/counter.ts', '--param', 'limit=2')).out).toContain(`diverges at step 3 of 3 (T: x = 3): T has already finished\n`);
  });

  it('a lasso still violates under weak fairness (exit 13) and no longer under strong fairness (the cycle is unfair)', async () => {
    const lasso = await saved('starvation', 'classic/starvation', { wait: 'bit_lock' });
    const weak = await kmc('replay', lasso);
    expect(weak.code).toBe(13);
    expect(weak.out).toContain(`still violates: 'waiter terminates' on a fair run of 0 steps then a\n    cycle of 3 steps (weak: waiter, competitor), as recorded\n`);
    expect(weak.out).toContain('--- cycle starts here ---');
    const strong = await kmc('replay', lasso, '--param', 'fairness=strong');
    expect(strong.code).toBe(0);
    expect(strong.out).toContain(`no longer violates: all 3 steps replay, without a fair run that never\n    satisfies 'waiter terminates'\n`);
  });

  it('--json is one document: the outcome, the step, why, and the replayed trace', async () => {
    const j = JSON.parse((await kmc('replay', abba, '--param', 'ordered=true', '--json')).out) as Record<string, unknown>;
    expect({ ...j, trace: undefined }).toEqual({
      file: abba, model: 'classic/abba', modelFile: 'models/classic/abba.ts', modelGiven: false, params: { ordered: true }, recorded: { violation: 'deadlock', steps: 2 },
      outcome: 'diverges', verdict: null, step: 2, why: `T2's next step is 'mutex_lock(A)', not 'mutex_lock(B)'`,
      differs: { state: 0, fields: ['T2.pc'] }, trace: undefined,
    });
    expect((j['trace'] as { states: unknown[] }).states).toHaveLength(2);
  });

  it.each([
    [['replay', '/nonexistent/x.itf.json'], /^kmc: cannot read \/nonexistent\/x\.itf\.json: ENOENT/],
    [['replay', 'package.json'], /^kmc: package\.json: not an ITF trace: vars is not a list of names\n$/],
    [['replay', 'README.md'], /^kmc: README\.md: not JSON \(/],
  ])('a file that is not a trace is one line naming it, exit 1: %j', async (args, message) => {
    const r = await kmc(...args);
    expect([r.code, r.out]).toEqual([1, '']);
    expect(r.err).toMatch(message);
  });

  it('reads a saved kmc check --json report as its trace; a report without one is one line, exit 1', async () => {
    const report = join(tmp, 'abba.json'), ok = join(tmp, 'ok.json');
    writeFileSync(report, (await kmc('check', 'classic/abba', '--json')).out);
    expect((await kmc('replay', report)).code).toBe(11);
    expect((await kmc('replay', report, '--param', 'ordered=true')).out).toContain('diverges at step 2');
    writeFileSync(ok, (await kmc('check', 'classic/abba', '--param', 'ordered=true', '--json')).out);
    const r = await kmc('replay', ok);
    expect([r.code, r.err]).toEqual([1, `kmc: ${ok}: a kmc check report without a trace (its verdict has no counterexample)\n`]);
  });

  it('a trace of a model kmc does not know, or with a parameter the model lacks, says what to give', async () => {
    const file = join(tmp, 'mine.itf.json'), itf = JSON.parse(readFileSync(abba, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], source: 'my/model' } }));
    expect((await kmc('replay', file)).err).toBe(`kmc: ${file} was saved for model 'my/model', which is not one of kmc's models (a trace never chooses a file to run): give its file (kmc replay ${file} <path/to/model.ts>)\n`);
    const r = await kmc('replay', file, 'classic/peterson', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toEqual({ error: { kind: 'usage', message: `${file}: parameter ordered=false recorded in the trace is not a parameter of model 'classic/peterson' (it has: none)` } });
    const odd = join(tmp, 'odd.itf.json');
    writeFileSync(odd, JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], params: { ordered: 'sometimes' } } }));
    expect((await kmc('replay', odd)).err).toBe(`kmc: ${odd}: parameter ordered=sometimes recorded in the trace is not a value model 'classic/abba' accepts (true|false): give --param ordered=<value>\n`);
    expect((await kmc('replay', odd, '--param', 'ordered=false')).code).toBe(11);
  });
});
