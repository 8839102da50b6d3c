/** The kmc command line: output, exit codes, errors (golden transcripts), in this process and as the real one. */
import { describe, expect, it } from 'vitest';
import { kmc, kmcEnv, kmcProcess, type Run } from '../test-util/cli.ts';

const fixture = (name: string) => `src/test-util/fixtures/${name}.ts`;

describe('kmc check', () => {
  it('ok: exit 0 and a summary', async () => {
    const r = await kmc('check', 'classic/peterson');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^classic\/peterson\nok: all 26 states explored\n/);
    expect(r.out).toMatch(/\nstates 26, transitions 45, depth 7, [\d.]+ s, [\d,]+ states\/s, [\d.]+ B\/state, p\(collision\) 0 \(exact\), liveness graph [\d.]+ B\/state\n$/);
  });

  it('deadlock: exit 11, the per-actor table and the wait-for cycle', async () => {
    const r = await kmc('check', 'classic/abba');
    expect(r.code).toBe(11);
    expect(r.out.split('\n').slice(0, 30).join('\n')).toBe(`classic/abba
deadlock: wait-for cycle (AB-BA) after 2 steps (shortest)

   T1                                T2
   --                                --
1  mutex_lock(A)
   A=T1
2                                    mutex_lock(B)
                                     B=T2
*** deadlock after step 2

wait-for cycle:
  T1 holds A and waits for B, held by T2
  T2 holds B and waits for A, held by T1

 Possible unsafe locking scenario:

       CPU0                    CPU1
       ----                    ----
  lock(A);
                               lock(B);
                               lock(A);
  lock(B);

 *** DEADLOCK ***

 CPU0 is T1
 CPU1 is T2

replay: kmc check classic/abba`);
    expect(Math.max(...r.out.split('\n').filter((l) => !l.startsWith('states ')).map((l) => l.length))).toBeLessThanOrEqual(72);
  });

  it('safety: exit 12 with the kernel function of each step', async () => {
    const r = await kmc('check', fixture('counter'), '--param', 'witness=2');
    expect(r.code).toBe(12);
    expect(r.out).toContain(`violated: 'x below 3' after 3 steps (shortest)`);
    expect(r.out).toContain(`x = 3\n   (count)\n   x=3`);
  });

  it('unreached: exit 14', async () => {
    const r = await kmc('check', fixture('counter'), '--param', 'limit=2', '--param', 'witness=9');
    expect(r.code).toBe(14);
    expect(r.out).toContain(`unreached: no reachable state satisfies sometimes 'x is 9'`);
  });

  it('incomplete: exit 10 at --max-states', async () => {
    const r = await kmc('check', 'classic/dio-ring', '--param', 'n=4', '--max-states', '500', '--no-deadlock');
    expect(r.code).toBe(10);
    expect(r.out).toContain('incomplete: --max-states 500 reached, no violation so far');
    expect(r.out).toMatch(/\nstates 500, /);
  });

  it('--json: one object with the verdict and an ITF trace', async () => {
    const r = await kmc('check', 'classic/abba', '--json');
    expect(r.code).toBe(11);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['model', 'params', 'verdict', 'property', 'states', 'transitions', 'depth', 'seconds',
      'statesPerSecond', 'bytesPerState', 'exact', 'collisionProbability', 'workers', 'reduction', 'notes', 'witnesses', 'trace', 'unreachedSteps']);
    expect([j.model, j.verdict, j.property, j.states, j.transitions, j.depth]).toEqual(['classic/abba', 'deadlock', 'deadlock', 7, 8, 2]);
    expect(j.trace.vars).toEqual(['A', 'B', 'T1', 'T2', 'mbt::actionTaken']);
    expect(j.trace.states.map((s: { 'mbt::actionTaken': string }) => s['mbt::actionTaken'])).toEqual(['init', 'T1: mutex_lock(A)', 'T2: mutex_lock(B)']);
    expect(j.trace.states[2].A).toEqual({ tag: 'Held', value: 'T1' });
    expect(j.trace['#meta'].waitForCycle).toEqual([{ actor: 'T1', waitsFor: 'B', heldBy: 'T2' }, { actor: 'T2', waitsFor: 'A', heldBy: 'T1' }]);
  });

  it('--json lists every sometimes witness: reached or not, and at which depth', async () => {
    const witnesses = async (...args: string[]): Promise<unknown> => JSON.parse((await kmc('check', ...args, '--json')).out).witnesses;
    // stopped at P1's violation (depth 14): both witnesses reached before it
    expect(await witnesses('gup-writeback')).toEqual([
      { property: 'a pinned folio is under writeback', reached: true, depth: 13 },
      { property: 'a pinned folio is clean', reached: true, depth: 12 },
    ]);
    expect(await witnesses('gup-writeback', '--param', 'wb=w1_ok')).toEqual([{ property: 'writeback waits for a pinned folio', reached: true, depth: 11 }]);
    expect(await witnesses(fixture('counter'), '--param', 'witness=2', '--no-deadlock', '--property', 'x is 2')).toEqual([{ property: 'x is 2', reached: true, depth: 2 }]);
    expect(await witnesses(fixture('counter'), '--param', 'limit=2', '--param', 'witness=9')).toEqual([{ property: 'x is 9', reached: false, depth: null }]);
    expect(await witnesses('classic/abba')).toEqual([]);
  });

  it('prints a progress line on stderr (KMC_PROGRESS_MS=0: after every slice of work), not on stdout', async () => {
    const r = await kmcEnv({ KMC_PROGRESS_MS: '0' }, 'check', 'classic/dio-ring', '--param', 'n=5', '--no-deadlock');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^safety: [\d,]+ states, [\d,]+ states\/s, depth \d+, queue [\d,]+$/m);
    expect(r.out).not.toMatch(/queue/);
  });

  it('is byte-identical from run to run (but for timing)', async () => {
    const strip = (s: string) => s.replace(/\n(states [^\n]*)\n$/, '');
    expect(strip((await kmc('check', 'classic/dio-ring', '--param', 'n=3')).out)).toBe(strip((await kmc('check', 'classic/dio-ring', '--param', 'n=3')).out));
  });
});

describe('kmc errors', () => {
  it('unknown model: exit 1, naming the available ones', async () => {
    const r = await kmc('check', 'nope');
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain(`unknown model 'nope': no such file, and not one of: classic/abba, classic/dio-ring`);
  });
  it('unknown parameter: exit 1, listing the parameters', async () => {
    const r = await kmc('check', 'classic/philosophers', '--param', 'm=3');
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain(`--param m: model 'classic/philosophers' has no such parameter (it has: n=2..18)`);
  });
  it('bad parameter value: exit 1', async () => {
    const r = await kmc('check', 'classic/philosophers', '--param', 'n=99');
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain(`--param n=99: expected 2..18`);
  });
  it('bad --max-states: exit 1', async () => expect((await kmc('check', 'classic/abba', '--max-states', 'x')).code).toBe(1));
  it('value outside a domain: exit 2, one line naming field, value and step', async () => {
    const r = await kmc('check', fixture('bad-domain'));
    expect(r.code).toBe(2);
    expect(r.err).toBe(`kmc: KMC001 value outside the declared domain: PG_dirty := 2, domain bool [in step 'folio_mark_dirty' of T]\n`);
  });
  it('not a model: exit 2', async () => {
    const r = await kmc('check', fixture('not-a-model'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kmc: KMC009 the file is not a kmc model: .*not-a-model.ts: the default export must be defineModel/);
  });
});

describe('kmc list', () => {
  it('lists models with parameters and properties', async () => {
    const r = await kmc('list');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`classic/philosophers  dining philosophers (phil.pml): deadlocks when everyone holds the left fork\n  --param n=2..18  (default 5) number of philosophers\n  properties: deadlock\n`);
    expect(r.out).toContain(`properties: deadlock, never 'both in the critical section', sometimes 'p0 in the critical section while p1 waits'`);
    expect(r.out).toContain(`  --param wb=w0|w1_ok|w1_bad|w2  (default w0) writeback scheme for pinned folios\n      w0: mainline W0: no pin checks\n      w1_ok: W1-ok: wait for pins after folio_mkclean\n`);
  });
});

/** main.ts binds run() to the process: the same streams, its result the exit status (ok, a violation as JSON, a parse error). */
describe('the kmc process (node bin/kmc.js)', () => {
  const timeless = (r: Run): Run => ({ ...r, out: r.out.replace(/\n(states [^\n]*)\n$/, '') });
  it.each([
    [['check', 'classic/peterson'], 0],
    [['check', 'classic/abba', '--json'], 11],
    [['check', '--bogus'], 1],
  ])('%j: the exit status, stdout and stderr of run()', async (args, code) => {
    const proc = kmcProcess(...args), inProcess = await kmc(...args);
    expect(proc.code).toBe(code);
    if (args.includes('--json')) expect({ ...proc, out: { ...JSON.parse(proc.out), seconds: 0, statesPerSecond: 0 } }).toEqual({ ...inProcess, out: { ...JSON.parse(inProcess.out), seconds: 0, statesPerSecond: 0 } });
    else expect(timeless(proc)).toEqual(timeless(inProcess));
  });
});
