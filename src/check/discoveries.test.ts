/**
 * Discoveries: one search that goes on past violations answers each property as a search for
 * it alone does — verdict, witnesses and trace — on the shipped models' configurations (the
 * small ones; `bench/discoveries.ts` sweeps them all), on random models, and with two workers
 * as with one thread.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, propertyReport, type CheckOptions, type Report } from './check.ts';
import { compare } from './expect.ts';
import { loadModel, shippedModels } from '../cli/load-model.ts';
import { resolveParams } from '../state/instance.ts';
import { DEADLOCK } from '../model/property.ts';
import { build, modelSpecs } from '../test-util/random-model.ts';
import type { Model } from '../model/define-model.ts';

const brief = (r: Report) => ({ verdict: r.verdict, witnesses: [...r.witnesses], trace: r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) });

/** Every property of the configuration (and deadlock): the one search's answer, and each property's own search's; how many differ. */
function agree(model: Model, opts: CheckOptions): { compared: number; kinds: string[] } {
  const all = check(model, { ...opts, continue: true });
  const names = [...(opts.deadlock === false ? [] : [DEADLOCK]), ...all.instance.properties.map((p) => p.name)];
  const kinds: string[] = [];
  for (const p of names) {
    const mine = propertyReport(all, p);
    expect(brief(mine), `${model.name} ${JSON.stringify(opts.params ?? {})} ${p}`).toEqual(brief(check(model, { ...opts, property: p })));
    kinds.push(mine.verdict.kind);
  }
  return { compared: names.length, kinds };
}

describe('one search answers every property as its own search does', async () => {
  // the configurations whose whole space is small: the rest are in bench/discoveries.ts
  const SMALL = 600;
  for (const name of shippedModels()) {
    const model = await loadModel(name);
    it(name, () => {
      let compared = 0;
      for (const config of model.configurations ?? [{}]) {
        const params = resolveParams(model, config as Record<string, string | number | boolean>);
        if (check(model, { params, deadlock: false, maxStates: SMALL }).verdict.kind === 'incomplete') continue;
        compared += agree(model, { params }).compared;
      }
      // no small configuration: the first one, cut by --max-states (a cut search answers alike too)
      if (compared === 0) compared += agree(model, { params: resolveParams(model, (model.configurations?.[0] ?? {}) as Record<string, string | number | boolean>), maxStates: SMALL }).compared;
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('on random models (seed 11, 40 models), with and without deadlocks, whole or cut by --max-states', () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(modelSpecs(), fc.boolean(), fc.constantFrom(Infinity, 40), (spec, deadlock, maxStates) => {
      for (const k of agree(build(spec), { deadlock, maxStates }).kinds) kinds.add(k);
    }), { seed: 11, numRuns: 40 });
    expect([...kinds].sort()).toEqual(['deadlock', 'incomplete', 'ok', 'safety', 'unreached']);
  });

  it.each([
    // lockdep's record is kept by the worker parts; the liveness graph keeps the search in one thread
    ['kernel-locking', {}, 2],
    ['gup-writeback', {}, undefined],
  ] as const)('two workers find what one thread finds: %s', async (name, params, workers) => {
    const model = await loadModel(name);
    const one = check(model, { params, continue: true }), two = check(model, { params, continue: true, workers: 2, workersFromStart: true });
    expect(two.stats.workers).toBe(workers);
    expect(one.instance.properties.some((p) => p.kind === 'space')).toBe(true);
    expect([...two.discoveries!.keys()]).toEqual([...one.discoveries!.keys()]);
    for (const p of one.discoveries!.keys()) expect(brief(propertyReport(two, p)), p).toEqual(brief(propertyReport(one, p)));
    expect(two.unreachedSteps).toEqual(one.unreachedSteps);
  });

  it('the run itself: the verdict a search that stops at its first violation gives, and each property once', async () => {
    const model = await loadModel('gup-writeback');
    const first = check(model), all = check(model, { continue: true });
    expect(brief(all)).toEqual(brief(first));
    expect([...all.discoveries!].map(([p, d]) => `${p}: ${d.verdict.kind}`)).toEqual([
      'deadlock: ok', 'P1 no write to a clean write-protected folio: safety', 'P2 stable pages: modified under writeback: safety',
      'P3 folio dirtied without the filesystem being notified: safety', 'P4 a committed write was dropped: ok', 'L1 writeback eventually completes: ok',
      'W-a ext4_dirty_folio WARN: clean folio dirtied unlocked: ok', "W-a' ext4_dirty_folio WARN: dirtied without buffers: ok",
      'a pinned folio is under writeback: ok', 'a pinned folio is clean: ok',
      'possible circular locking dependency: ok', 'inconsistent lock state: ok', 'irq lock inversion: ok']);
    // it explored the whole space (903 states: a liveness property's own search does), the first violation needed 447
    expect([first.stats.states, all.stats.states]).toEqual([447, 903]);
  });

  it('compare(): one search for the expected verdicts; with the reference explorer, one per property', async () => {
    const model = await loadModel('classic/abba');
    const expected = { deadlock: { violated: 2 }, possible: { violated: 2 }, inconsistent: 'holds' } as const;
    const fast = compare(model, {}, expected), slow = compare(model, {}, expected, { explorer: 'reference' });
    expect(fast.map((o) => [o.property, o.surprise, o.report.discoveries?.size])).toEqual([['deadlock', false, 3], ['possible', false, 3], ['inconsistent', false, 3]]);
    expect(slow.map((o) => [o.property, o.surprise, o.report.discoveries])).toEqual([['deadlock', false, undefined], ['possible', false, undefined], ['inconsistent', false, undefined]]);
  });

  it('refuses what cannot go on past a violation', async () => {
    const model = await loadModel('classic/abba');
    expect(() => check(model, { continue: true, property: DEADLOCK })).toThrow(/--continue .* cannot be combined with --property deadlock/);
    expect(() => check(model, { continue: true, explorer: 'reference' })).toThrow(/--continue and --reference/);
    expect(() => check(model, { continue: true, reduction: 'partial-order' })).toThrow(/--continue and --reduce/);
    expect(() => check(model, { properties: [DEADLOCK] })).toThrow(/needs continue: true/);
  });
});
