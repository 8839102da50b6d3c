/** kmc in CI: kmc test, --expect, --junit, simulate (with replay) and shrink, run in this process. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kmc, kmcEnv } from '../test-util/cli.ts';
import { ROOT } from './load-model.ts';

const S12_BIG = ['--param', 'fault_lock=pagecache_naive_fdm', '--param', 'tasks=4', '--param', 'files=3'];

describe('kmc test and --expect', () => {
  it('checks every expectation of the models and the scenario table', async () => {
    const r = await kmc('test');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok    classic/philosophers  deadlock: violated(5)\n');
    expect(r.out).toContain('ok    S-12  deadlock: violated(18)\n');   // 16 before the DIO's GUP-fast PTE read
    expect(r.out).toMatch(/\n\d+ passed, 0 failed\n$/);
  });

  it('fails with exit 15 on a surprise, and writes JUnit', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kmc-junit-')), 'out.xml');
    const r = await kmc('check', 'src/test-util/fixtures/stale-expect.ts', '--expect', '--junit', file);
    expect(r.code).toBe(15);
    expect(r.out).toContain('SURPRISE  deadlock: expected violated(2), got holds');
    expect(readFileSync(file, 'utf8')).toContain('<failure message="expected violated(2), got holds">');
  });

  it('kmc test on named targets, with a JUnit report of one case per property', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kmc-junit-')), 'out.xml');
    const r = await kmc('test', 'S-5', 'classic/abba', '--junit', file);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\n10 passed, 0 failed\n$/);   // 8 verdicts and the two targets' step coverage
    const xml = readFileSync(file, 'utf8');
    expect(xml.match(/<testcase /g)?.length).toBe(10);
    expect(xml.match(/<testcase classname="[^"]*" name="step coverage"\/>/g)?.length).toBe(2);
  });

  it('kmc check --continue: every property\'s first violation from one search; the run keeps the first one\'s exit code', async () => {
    const r = await kmc('check', 'gup-writeback', '--continue');
    expect(r.code).toBe(12);
    expect(r.out).toContain('\nevery property (--continue):\n  deadlock: holds\n  P1 no write to a clean write-protected folio: violated(14)\n  P2 stable pages: modified under writeback: violated(15)\n');
    const j = JSON.parse((await kmc('check', 'gup-writeback', '--continue', '--json')).out) as { discoveries: { property: string; got: string }[] };
    expect(j.discoveries.map((d) => d.got)).toEqual(['holds', 'violated(14)', 'violated(15)', 'violated(18)', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds']);
    expect((await kmc('check', 'gup-writeback', '--continue', '--property', 'P1')).err).toMatch(/--continue .* cannot be combined with --property/);
  });

  it('kmc test fails on a step that never fired, unless the model says why it may not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmc-coverage-'));
    const model = (excuse: string): string => `import { call, defineModel, ifElse, step, int } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};
export default defineModel({
  name: 'dead-branch', doc: 'a guard that never holds',
  expect: () => ({ deadlock: 'holds' }),
  ${excuse}
  setup(_, sys) {
    const x = sys.var('x', int(0, 1));
    sys.task('t', () => [step('x = 1', { then: (s) => s.set(x, 1) }), call('check_x', [ifElse((s) => s.get(x) === 0, [step('never: x is 0')])])]);
    sys.task('u', () => [step('u runs')]);
  },
});
`;
    writeFileSync(join(dir, 'dead.ts'), model(''));
    const bad = await kmc('test', '--models', dir, '--json');
    expect(bad.code).toBe(15);
    const j = JSON.parse(bad.out) as { passed: number; failed: number; coverage: { unreachedSteps: { actor: string; at: string; pc: number; label: string; reason: null }[]; surprise: boolean }[] };
    expect([j.passed, j.failed]).toEqual([1, 1]);
    expect(j.coverage).toEqual([{ target: 'dead', surprise: true, unreachedSteps: [{ actor: 't', at: expect.any(String), pc: expect.any(Number), path: ['check_x'], name: 't: check_x > never: x is 0', label: 'never: x is 0', fn: expect.any(String), reason: null }] }]);
    const text = await kmc('test', '--models', dir);
    expect(text.out).toContain('FAIL  dead  step coverage: t: check_x > never: x is 0 never fired');
    writeFileSync(join(dir, 'dead.ts'), model(`mayBeUnreached: () => ({ 't: never: x is 0': 'x is set before the guard is read' }),`));
    const ok = await kmc('test', '--models', dir);
    expect([ok.code, ok.out.split('\n').at(-2)]).toEqual([0, '2 passed, 0 failed']);
    const check = await kmc('check', join(dir, 'dead.ts'));
    expect(check.out).toMatch(/\nunreached steps: 1 \(1 declared in mayBeUnreached\)\n  t: check_x > never: x is 0 \(pc \d+; \) — may be unreached: x is set before the guard is read\n$/);
  });

  it('kmc test fails on a mayBeUnreached key that also names a step that fires, or names none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmc-coverage-keys-'));
    // two 'unlock's: the first never fires, the second does
    writeFileSync(join(dir, 'keys.ts'), `import { defineModel, ifElse, step, int } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};
export default defineModel({
  name: 'keys', doc: 'a key for one of two steps that share a label',
  expect: () => ({ deadlock: 'holds' }),
  mayBeUnreached: () => ({ 't: unlock': 'x is set before the guard is read', 't: gone': 'a step since renamed' }),
  setup(_, sys) {
    const x = sys.var('x', int(0, 1));
    sys.task('t', () => [step('x = 1', { then: (s) => s.set(x, 1) }), ifElse((s) => s.get(x) === 0, [step('unlock')]), step('unlock')]);
  },
});
`);
    const bad = await kmc('test', '--models', dir);
    expect(bad.code).toBe(15);
    expect(bad.out.split('\n').filter((l) => l.startsWith('FAIL'))).toEqual([
      'FAIL  keys  step coverage: t: unlock#1 never fired (remove the step, make it reachable, or declare it in mayBeUnreached with the reason)',
      `FAIL  keys  step coverage: mayBeUnreached key 't: unlock' also names 1 position that fires (t: unlock#2): give the call path`,
      `FAIL  keys  step coverage: mayBeUnreached key 't: gone' names no step: remove the stale excuse`,
    ]);
    expect(bad.out.split('\n').at(-2)).toBe('1 passed, 1 failed');
    const j = JSON.parse((await kmc('check', join(dir, 'keys.ts'), '--json')).out) as { mayBeUnreachedErrors: string[] };
    expect(j.mayBeUnreachedErrors).toHaveLength(2);
    const xml = join(dir, 'kmc.xml');
    await kmc('check', join(dir, 'keys.ts'), '--junit', xml);
    expect(readFileSync(xml, 'utf8')).toContain('message="1 step never fired; 2 mayBeUnreached keys wrong"');
  });
});

describe('kmc simulate', () => {
  it("finds S-12's deadlock where a capped exhaustive run cannot, and replays it from its handle", async () => {
    expect((await kmc('check', 'dio-mmap', ...S12_BIG, '--max-states', '2000')).code).toBe(10);
    const r = await kmc('simulate', 'dio-mmap', ...S12_BIG, '--runs', '200', '--seed', '1');
    expect(r.code).toBe(11);
    expect(r.out).toMatch(/^dio-mmap \(simulation, seed 1\): found in run \d+, shrunk \d+ times\ndeadlock: wait-for cycle/);
    const path = /--path (\S+)\n$/.exec(r.out)![1]!;
    const again = (await kmc('simulate', 'dio-mmap', ...S12_BIG, '--seed', '1', '--path', path)).out.split('\n');
    expect(again[0]).toBe('dio-mmap (simulation, seed 1): replayed from --path');
    expect(again.slice(1)).toEqual(r.out.split('\n').slice(1));
  });

  it('applies the same model errors as check: a value outside its domain, a throwing step (exit 2)', async () => {
    const bad = await kmc('simulate', 'src/test-util/fixtures/bad-domain.ts', '--runs', '3');
    expect([bad.code, bad.err]).toEqual([2, `kmc: KMC001 value outside the declared domain: PG_dirty := 2, domain bool [in step 'folio_mark_dirty' of T]\n`]);
    const throws = await kmc('simulate', 'src/test-util/fixtures/throws.ts', '--runs', '3');
    expect([throws.code, throws.err]).toEqual([2, `kmc: KMC002 a step's guard or effect threw: step 'boom' of T: no such folio\n`]);
  });

  it('its replay handle carries --depth and --no-deadlock, and replays; a garbage --path is a usage error', async () => {
    const found = await kmc('simulate', 'classic/abba', '--seed', '5', '--depth', '30', '--runs', '20');
    expect(found.code).toBe(11);
    const handle = /\nreplay: (kmc simulate .*)\n$/.exec(found.out)![1]!;
    expect(handle).toMatch(/^kmc simulate classic\/abba --depth 30 --seed 5 --path \S+$/);
    const again = await kmc(...handle.split(' ').slice(1));
    expect(again.out.split('\n').slice(1)).toEqual(found.out.split('\n').slice(1));
    const garbage = await kmc('simulate', 'classic/abba', '--path', 'x:y');
    expect(garbage.code).toBe(1);
    expect(garbage.err).toContain(`--path x:y: expected the path a failing run printed`);
  });

  it('says that no violation found is not a proof', async () => {
    const r = await kmc('simulate', 'dio-mmap', '--runs', '20');
    expect(r.code).toBe(0);
    expect(r.out).toBe('no violation in 20 random runs of at most 200 steps (seed 42); this is not a proof: kmc check explores every interleaving\n' +
      "not checked by simulation (liveness needs the whole state graph): 'L2(b) some DIO completes', 'L2(c) every DIO completes'\n");
  });
});

describe('kmc shrink', () => {
  it('reduces an oversized S-12 (four tasks, three files) to two tasks and two files', async () => {
    const r = await kmc('shrink', 'dio-mmap', '--property', 'deadlock', ...S12_BIG);
    expect(r.code).toBe(11);
    expect(r.out).toContain('  changed: tasks: 4 -> 2, files: 3 -> 2\n');
    expect(r.out).toContain('deadlock: wait-for cycle (AB-BA) after 18 steps (shortest)');
  });

  it('shrinks a liveness violation too (a lasso is a violation)', async () => {
    const r = await kmc('shrink', 'classic/starvation', '--property', 'waiter', '--param', 'wait=bit_lock');
    expect(r.code).toBe(13);
    expect(r.out).toContain('  changed: wait: bit_lock -> trylock\n');
  });

  it('refuses a starting configuration that does not violate the property', async () => {
    const r = await kmc('shrink', 'dio-mmap', '--property', 'deadlock');
    expect(r.code).toBe(1);
    expect(r.out + r.err).toContain(`does not violate 'deadlock'`);
  });
});

describe('sharding (--shard i/n) and merging', () => {
  const cases = (xml: string): string[] => [...xml.matchAll(/<testcase [^>]*?name="[^"]*"/g)].map((m) => m[0]).sort();

  it('kmc test: n shards run every target once, and kmc junit-merge gives the unsharded report back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmc-shard-')), targets = ['S-5', 'classic/abba', 'classic/philosophers', 'classic/peterson', 'classic/starvation'];
    expect((await kmc('test', ...targets, '--junit', join(dir, 'all.xml'))).code).toBe(0);
    const lines = [];
    for (const i of [1, 2, 3]) {
      const r = await kmc('test', ...targets, '--shard', `${i}/3`, '--junit', join(dir, `${i}.xml`));
      expect(r.code).toBe(0);
      lines.push(/\((shard \d\/3: \d+ of \d+ targets)\)\n$/.exec(r.out)![1]);
    }
    expect(lines).toEqual(['shard 1/3: 2 of 6 targets', 'shard 2/3: 2 of 6 targets', 'shard 3/3: 2 of 6 targets']);
    const parts = [1, 2, 3].map((i) => cases(readFileSync(join(dir, `${i}.xml`), 'utf8')));
    expect(parts.flat().sort()).toEqual(cases(readFileSync(join(dir, 'all.xml'), 'utf8')));
    const merged = await kmc('junit-merge', join(dir, 'merged.xml'), ...[1, 2, 3].map((i) => join(dir, `${i}.xml`)));
    expect(merged.code).toBe(0);
    expect(merged.out).toMatch(/^merged 3 reports into .*merged\.xml: (\d+) tests, 0 failures, 0 errors, 0 skipped\n$/);
    expect(cases(readFileSync(join(dir, 'merged.xml'), 'utf8'))).toEqual(cases(readFileSync(join(dir, 'all.xml'), 'utf8')));
  });


  it('--shard auto is a Kubernetes Indexed Job\'s pod: JOB_COMPLETION_INDEX + 1 of JOB_COMPLETION_COUNT', async () => {
    const targets = ['S-5', 'classic/abba', 'classic/peterson', 'classic/starvation'];
    for (const index of [0, 1, 2]) {
      const auto = await kmcEnv({ JOB_COMPLETION_INDEX: String(index), JOB_COMPLETION_COUNT: '3' }, 'test', ...targets, '--shard', 'auto');
      expect(auto.code).toBe(0);
      expect(auto.out).toBe((await kmc('test', ...targets, '--shard', `${index + 1}/3`)).out);
    }
    const bad = async (env: Record<string, string>): Promise<string> => (await kmcEnv(env, 'matrix', '--shard', 'auto')).err;
    expect(await bad({ JOB_COMPLETION_COUNT: '3' })).toBe('kmc: --shard auto: JOB_COMPLETION_INDEX is not set (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX; pass JOB_COMPLETION_COUNT as the Job\'s completions)\n');
    expect(await bad({ JOB_COMPLETION_INDEX: '0' })).toContain('kmc: --shard auto: JOB_COMPLETION_COUNT is not set');
    expect(await bad({ JOB_COMPLETION_INDEX: '3', JOB_COMPLETION_COUNT: '3' })).toBe('kmc: --shard auto: JOB_COMPLETION_INDEX=3 and JOB_COMPLETION_COUNT=3: expected 0 <= index < count\n');
  });

  it("docs/ci.md's Indexed Job manifest: Indexed completions, JOB_COMPLETION_COUNT equal to them, one report per index, --shard auto", () => {
    const readme = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
    const job = JSON.parse(/<!-- k8s-job -->\n```json\n([\s\S]*?)```/.exec(readme)![1]!) as {
      kind: string; apiVersion: string;
      spec: { completionMode: string; completions: number; parallelism: number; template: { spec: { restartPolicy: string; containers: { command: string[]; env: { name: string; value: string }[]; volumeMounts: { name: string }[] }[]; volumes: { name: string }[] } } };
    };
    expect([job.apiVersion, job.kind, job.spec.completionMode]).toEqual(['batch/v1', 'Job', 'Indexed']);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    const pod = job.spec.template.spec, [c] = pod.containers;
    expect(pod.restartPolicy).toBe('Never');   // required of a Job's pods (Never or OnFailure)
    expect(c!.env).toContainEqual({ name: 'JOB_COMPLETION_COUNT', value: String(job.spec.completions) });
    expect(c!.command.at(-1)).toMatch(/npx kmc test --shard auto --junit \/reports\/kmc-\$JOB_COMPLETION_INDEX\.xml$/);
    expect(c!.volumeMounts.map((m) => m.name).sort()).toEqual(pod.volumes.map((v) => v.name).sort());
  });

  it('kmc simulate: shard 1 is the plain run; other members search differently, each reproducibly', async () => {
    // two tasks on two files: shrinking the longer traces of three or four tasks took most of this test's time
    const args = ['simulate', 'dio-mmap', '--param', 'fault_lock=pagecache_naive_fdm', '--param', 'tasks=2', '--param', 'files=2', '--runs', '30', '--seed', '3', '--json'];
    const run = async (...extra: string[]): Promise<{ found?: string; replay?: string }> => JSON.parse((await kmc(...args, ...extra)).out) as { found?: string; replay?: string };
    const { replay: r1, ...one } = await run('--shard', '1/4'), { replay: r0, ...plain } = await run();
    expect(one).toEqual(plain);
    expect(r1?.replace(' --shard 1/4', '')).toBe(r0);
    const three = await run('--shard', '3/4'), four = await run('--shard', '4/4');
    expect(three).toEqual(await run('--shard', '3/4'));
    expect(three).not.toEqual(four);
    expect(three.replay).toMatch(/ --seed 3 --shard 3\/4 --path /);
  });

  it('refuses a malformed --shard, naming it (exit 1)', async () => {
    for (const bad of ['0/3', '4/3', '2', 'a/b']) {
      const r = await kmc('test', '--shard', bad);
      expect([r.code, r.err]).toEqual([1, `kmc: --shard ${bad}: expected i/n with 1 <= i <= n (e.g. --shard 2/4)\n`]);
    }
  });
});
