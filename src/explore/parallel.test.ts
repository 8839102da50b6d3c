/**
 * `--workers`: two worker threads give what one thread gives — states, transitions, depth,
 * verdict, witnesses and trace, or the same model error — on every shipped model and on random
 * models. The workers take the search from the initial state here, so that every model, small
 * ones included, runs through the parts' merge.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { loadModel, ROOT, shippedModels } from '../cli/load-model.ts';
import { build, modelSpecs } from '../test-util/random-model.ts';
import { outcome } from '../test-util/agreement.ts';
import { check, type CheckOptions } from '../check/check.ts';
import { abba, throwingPredicate } from '../test-util/tiny.ts';
import { TEAM_LEVEL } from './bfs.ts';
import { alone, type Reading } from './machine.ts';
import type { Model } from '../model/define-model.ts';

const two = { workers: 2, workersFromStart: true } as const;
const same = (model: Model, opts: CheckOptions): string => {
  const one = outcome(model, opts, 'fast'), both = outcome(model, { ...opts, ...two }, 'fast');
  expect(both).toEqual(one);
  return one.kind;
};

const sizes: Record<string, Record<string, number | boolean>[]> = {
  'classic/philosophers': [{ n: 3 }, { n: 6 }],
  'classic/dio-ring': [{ n: 3 }, { n: 4 }],
  'classic/abba': [{ ordered: false }, { ordered: true }],
};

describe('two workers = one thread', async () => {
  it('runs in the workers, and says so; a model defined inline runs in one thread, and says why', async () => {
    const r = check(await loadModel('classic/philosophers'), { params: { n: 4 }, ...two });
    expect(r.stats.workers).toBe(2);
    expect(r.notes).toEqual([]);
    const inline = check(abba, two);
    expect(inline.stats.workers).toBeUndefined();
    expect(inline.notes).toEqual(['--workers 2 ignored: the model was not loaded from a file, so worker threads cannot load it again; it ran in one thread']);
  });

  for (const name of shippedModels()) {
    const model = await loadModel(name);
    for (const params of sizes[name] ?? [{}])
      for (const deadlock of [true, false])
        it(`${name} ${JSON.stringify(params)} deadlock=${deadlock}`, () => { same(model, { params, deadlock }); });
  }

  it('stops at --max-states with the same states and transitions', async () => {
    const model = await loadModel('classic/dio-ring');
    for (const maxStates of [1, 100, 5000]) expect(same(model, { params: { n: 4 }, maxStates, deadlock: false })).toBe('incomplete');
  });

  it('an error in a sometimes or a transition predicate: the same model error, in the first state a single thread meets it', () => {
    for (const kind of ['sometimes', 'transition'] as const) {
      const m = throwingPredicate(kind);
      const one = outcome(m, {}, 'fast');
      expect(one.error).toMatch(/^KMC002 .*property 'p'.*no such folio/);
      expect(outcome(m, two, 'fast')).toEqual(one);
    }
  });

  it('a witness later in the round than the event or the --max-states bound is not reported (one thread never looks there)', async () => {
    const counters = await loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts'));
    // level 14 holds 3,060 states: one thread stops within its first round, two parts look at all of it
    expect(same(counters, { params: { at: 14, violate: 'always' } })).toBe('safety');
    expect(same(counters, { params: { at: 14, violate: 'none' }, maxStates: 11_728 })).toBe('incomplete');
    expect(outcome(counters, { params: { at: 14, violate: 'none' }, maxStates: 16_000 }, 'fast').witnesses).toEqual([['x4 reaches 14', expect.anything()]]);
  });

  it('a transition violation in levels too small for the team: the search ends in this thread, with its edge', async () => {
    // level 16 pauses long enough (4,845 states) for the workers to be ready while its violations are pending; with three
    // parts, levels 16 and 17 are below 3 x TEAM_LEVEL, so that the search stays in this thread whenever they are ready
    // (a reading of four idle cores: on two, a team of three would never start)
    expect(TEAM_LEVEL * 3).toBeGreaterThan(5_985);
    const fourCores = (): Reading => ({ ...alone(), cores: 4 });
    const r = check(await loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts')), { params: { at: 17, slow: 16, pause: 300 }, workers: 3, machine: fourCores });
    expect([r.verdict.kind, r.verdict.kind === 'safety' && r.verdict.property, r.trace?.steps.length, r.stats.workers]).toEqual(['safety', 'sum never reaches 17', 17, undefined]);
  });

  it('handed over halfway, at the first level of TEAM_LEVEL states per part: the same as one thread', async () => {
    const counters = await loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts'));
    // level 22 (14,950 states, below 2 x TEAM_LEVEL) pauses while the worker loads; level 23 (17,550) or a later one is handed over; the pause changes no state
    expect(TEAM_LEVEL * 2).toBeGreaterThan(14_950);
    expect(TEAM_LEVEL * 2).toBeLessThanOrEqual(17_550);
    const params = { at: 14, violate: 'none' }, maxStates = 150_000;
    const r = check(counters, { params: { ...params, slow: 22, pause: 20 }, maxStates, workers: 2, machine: alone });
    expect(r.stats.workers).toBe(2);
    const one = check(counters, { params, maxStates });
    const seen = (x: typeof r): unknown => [x.verdict, x.stats.states, x.stats.transitions, x.stats.depth, [...x.witnesses]];
    expect(seen(r)).toEqual(seen(one));
    expect(r.verdict.kind).toBe('incomplete');
    expect(r.witnesses.size).toBe(1);
  });

  it('levels narrower than a team round per part stay in one thread, the worker ready or not (dio-mmap with 3 tasks lost so)', async () => {
    const counters = await loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts'));
    // levels 0 to 22 (the widest 14,950 states, below 2 x TEAM_LEVEL); level 15 pauses while the worker loads and warms up
    const params = { at: 14, violate: 'none', slow: 15, pause: 300 }, maxStates = 80_730;
    const r = check(counters, { params, maxStates, workers: 2, machine: alone });
    expect([r.verdict.kind, r.stats.states, r.stats.workers]).toEqual(['incomplete', 80_730, undefined]);
  });

  it('stays in one thread while other processes keep the other core busy, and hands over once it is free (not while it is busy again)', async () => {
    const counters = await loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts'));
    const params = { at: 14, violate: 'none', slow: 22, pause: 20 }, maxStates = 150_000;
    // the whole machine's cores busy besides this process's own time: no room for a second thread
    const busy = (): Reading => { const r = alone(); return { ...r, busy: r.own + r.wall * r.cores }; };
    const kept = check(counters, { params, maxStates, workers: 2, machine: busy });
    expect(kept.stats.workers).toBeUndefined();
    // busy for the first two windows of 100 ms, then free: the team starts late and still takes over
    let reads = 0;
    const freed = (): Reading => (reads++ < 3 ? busy() : alone());
    const late = check(counters, { params, maxStates, workers: 2, machine: freed });
    expect(late.stats.workers).toBe(2);
    // free when the team starts (the first window), busy from then on: the workers load, and the search stays here
    let seen = 0;
    const taken = (): Reading => (seen++ < 2 ? alone() : busy());
    const left = check(counters, { params, maxStates, workers: 2, machine: taken });
    expect(left.stats.workers).toBeUndefined();
    const one = check(counters, { params: { at: 14, violate: 'none' }, maxStates });
    expect([kept, late, left].map((r) => [r.verdict.kind, r.stats.states, r.stats.transitions])).toEqual([0, 0, 0].map(() => [one.verdict.kind, one.stats.states, one.stats.transitions]));
  });

  it('on random models (seed 7, 40 models)', () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(modelSpecs(), fc.boolean(), (spec, deadlock) => { kinds.add(same(build(spec), { maxStates: 3000, deadlock })); }), { seed: 7, numRuns: 40 });
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['deadlock', 'ok', 'safety']));
  });
});

describe('three parts = one thread (each part files its candidates in three buckets)', async () => {
  const three = { workers: 3, workersFromStart: true } as const;
  const same3 = (model: Model, opts: CheckOptions): string => {
    const one = outcome(model, opts, 'fast');
    expect(outcome(model, { ...opts, ...three }, 'fast')).toEqual(one);
    return one.kind;
  };
  for (const [name, params] of [['classic/philosophers', { n: 6 }], ['classic/dio-ring', { n: 4 }], ['classic/abba', { ordered: false }]] as const)
    it(`${name} ${JSON.stringify(params)}`, async () => { same3(await loadModel(name), { params }); });

  it('stops at --max-states with the same states and transitions', async () => {
    const model = await loadModel('classic/dio-ring');
    for (const maxStates of [1, 100, 5000]) expect(same3(model, { params: { n: 4 }, maxStates, deadlock: false })).toBe('incomplete');
  });

  it('on random models (seed 11, 25 models)', () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(modelSpecs(), fc.boolean(), (spec, deadlock) => { kinds.add(same3(build(spec), { maxStates: 3000, deadlock })); }), { seed: 11, numRuns: 25 });
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['deadlock', 'ok', 'safety']));
  });
});
