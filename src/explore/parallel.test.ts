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
import { bigLevel, wideLevel } from './bfs.ts';
import { teamsFormed } from './parallel.ts';
import { resplit } from './part.ts';
import { WINDOW_MS, alone, type Reading } from './machine.ts';
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

  it("classic/philosophers n=10: rounds wide enough to be split by the parts' rates (a level of 16,670 states), every state and transition as one thread", async () => {
    const r = same(await loadModel('classic/philosophers'), { params: { n: 10 }, deadlock: false });
    expect(r).toBe('ok');
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

  // counters' level n holds C(n + 4, 4) states (n <= 30): level 27 31,465, level 28 35,960, level 29 40,920; levels 0 to 27 201,376, to 28 237,336
  const counters = loadModel(join(ROOT, 'src/test-util/fixtures/counters.ts'));
  // a reading of the machine whose every call ends a window (`Machine` reads no earlier than WINDOW_MS after the last reading): room decided per call, not by the clock
  const windowed = (read: () => Reading) => (): Reading => { const r = read(); return { ...r, wall: r.wall - WINDOW_MS }; };
  const free = windowed(alone);
  // the workers in this process's pool have loaded the fixture: a team is ready some 150 ms (the warm-up) after it forms
  const warm = async (): Promise<void> => { check(await counters, { params: { at: 3, violate: 'none' }, maxStates: 1000, ...two }); };

  it('starts no worker before a level of START_LEVEL states per part is in hand, and starts them at the first', async () => {
    expect([wideLevel({ levelCount: 31_465 }, 2), wideLevel({ levelCount: 35_960 }, 2), wideLevel({ levelCount: 35_960 }, 3)]).toEqual([false, true, false]);
    const params = { at: 14, violate: 'none' };
    // stops within level 27's expansion (level 27 in hand, the last states of level 28 not yet stored): no team
    let before = teamsFormed();
    const small = check(await counters, { params, maxStates: 237_000, workers: 2, machine: free });
    expect([small.stats.states, small.stats.workers, teamsFormed() - before]).toEqual([237_000, undefined, 0]);
    // level 28 in hand: the team forms (and the search ends before its worker is ready)
    before = teamsFormed();
    const wide = check(await counters, { params, maxStates: 240_000, workers: 2, machine: free });
    expect([wide.stats.states, teamsFormed() - before]).toEqual([240_000, 1]);
  });

  it("splits rounds by the parts' rates: the faster part gets more of the next round, the slices still cover it in part order", () => {
    const split = Float64Array.from([0, 0.5, 1]);
    // part 0 expanded its 8,192 states in 10 ms, part 1 in 30 ms: rates 3:1, so the shares move halfway to 3/4 and 1/4
    resplit(split, [8192, 8192], [10, 30]);
    expect([...split]).toEqual([0, 0.625, 1]);
    // the next round split 10,240 : 6,144 (5:3), both parts in 10 ms: rates 5:3 again, the boundary stays at 5/8
    resplit(split, [10_240, 6_144], [10, 10]);
    expect(split[1]).toBeCloseTo(0.625, 12);
    const three = Float64Array.from([0, 1 / 3, 2 / 3, 1]);
    resplit(three, [100, 100, 100], [1, 1, 1]);
    expect([...three].map((x) => +x.toFixed(12))).toEqual([0, +(1 / 3).toFixed(12), +(2 / 3).toFixed(12), 1]);
    // no time measured (a part that expanded nothing in no time): nothing moves
    const none = Float64Array.from([0, 0.5, 1]);
    resplit(none, [0, 0], [0, 0]);
    expect([...none]).toEqual([0, 0.5, 1]);
  });

  it('hands over in the first level of TEAM_LEVEL states to go per part once the workers are ready: the same as one thread', async () => {
    expect([bigLevel({ levelCount: 40_920, cursor: 24_536 }, 2), bigLevel({ levelCount: 40_920, cursor: 24_537 }, 2)]).toEqual([true, false]);
    await warm();
    // the team forms as level 28 comes in hand; level 28 naps while the worker gets ready, and is handed over; the nap changes no state
    const params = { at: 14, violate: 'none' }, maxStates = 250_000;
    const r = check(await counters, { params: { ...params, slow: 28, nap: 600 }, maxStates, workers: 2, machine: free });
    expect(r.stats.workers).toBe(2);
    const one = check(await counters, { params, maxStates });
    const seen = (x: typeof r): unknown => [x.verdict, x.stats.states, x.stats.transitions, x.stats.depth, [...x.witnesses]];
    expect(seen(r)).toEqual(seen(one));
    expect(r.verdict.kind).toBe('incomplete');
    expect(r.witnesses.size).toBe(1);
  });

  it('no handover in the rest of a level narrower than TEAM_LEVEL states per part, the worker ready or not (dio-mmap with 3 tasks lost so)', async () => {
    await warm();
    // the team forms as level 28 comes in hand; the main thread naps at its first state with x0 = 0 (the 31,465th), in the round after which
    // 3,192 states of the level are left, and the search stops (276,000 states) before level 29 is in hand
    const before = teamsFormed();
    const r = check(await counters, { params: { at: 14, violate: 'none', slow: 28, nap: 600, napX0: 0 }, maxStates: 276_000, workers: 2, machine: free });
    expect([r.verdict.kind, r.stats.states, r.stats.workers, teamsFormed() - before]).toEqual(['incomplete', 276_000, undefined, 1]);
  });

  it('a transition violation pending in the level: no handover, the search ends in this thread, with its edge', async () => {
    await warm();
    // the team forms as level 28 comes in hand; level 28 finds edges into sum 29 and naps while the worker gets ready: the violation ends the search with this level
    const r = check(await counters, { params: { at: 29, slow: 28, nap: 600 }, workers: 2, machine: free });
    expect([r.verdict.kind, r.verdict.kind === 'safety' && r.verdict.property, r.trace?.steps.length, r.stats.workers]).toEqual(['safety', 'sum never reaches 29', 29, undefined]);
  });

  it('stays in one thread while other processes keep the other core busy, and hands over once it is free (not while it is busy again)', async () => {
    await warm();
    const params = { at: 14, violate: 'none', slow: 29, nap: 600 }, maxStates = 290_000;
    // the whole machine's cores busy besides this process's own time: no room for a second thread
    const busy = windowed((): Reading => { const r = alone(); return { ...r, busy: r.own + r.wall * r.cores }; });
    const kept = check(await counters, { params: { ...params, nap: 0 }, maxStates, workers: 2, machine: busy });
    expect(kept.stats.workers).toBeUndefined();
    // busy for the first two windows, then free: the team starts late (in level 28) and still takes over (level 29 naps)
    let reads = 0;
    const freed = (): Reading => (reads++ < 3 ? busy() : free());
    const late = check(await counters, { params, maxStates, workers: 2, machine: freed });
    expect(late.stats.workers).toBe(2);
    expect(reads).toBeGreaterThan(3);
    // free when the team starts (the first window), busy from then on: the workers load, and the search stays here
    let seen = 0;
    const taken = (): Reading => (seen++ < 2 ? free() : busy());
    const left = check(await counters, { params, maxStates, workers: 2, machine: taken });
    expect(left.stats.workers).toBeUndefined();
    // kept ran in this thread from start to end: the others give what it gives
    expect([late, left].map((r) => [r.verdict.kind, r.stats.states, r.stats.transitions])).toEqual([0, 0].map(() => [kept.verdict.kind, kept.stats.states, kept.stats.transitions]));
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
