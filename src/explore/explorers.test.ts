/** The fast and the reference explorer must agree on every shipped model: same numbers, same verdict, same trace. */
import { describe, expect, it } from 'vitest';
import { check } from '../check/check.ts';
import { loadModel, shippedModels } from '../cli/load-model.ts';
import { abbaWithTicker } from '../test-util/tiny.ts';
import fc from 'fast-check';
import { build, modelSpecs } from '../test-util/random-model.ts';
import { outcomes } from '../test-util/agreement.ts';
import type { CheckOptions } from '../check/check.ts';
import type { Model } from '../model/define-model.ts';

/** Asserts agreement; returns the verdict kind (or `error` with the error code). */
function agree(model: Model, opts: CheckOptions): string {
  const { fast, reference } = outcomes(model, opts);
  expect(reference).toEqual(fast);
  return fast.kind === 'error' ? /^KMC\d+/.exec(fast.error!)?.[0] ?? 'error' : fast.kind;
}

const sizes: Record<string, Record<string, number | boolean>[]> = {
  'classic/philosophers': [{ n: 2 }, { n: 4 }],
  'classic/dio-ring': [{ n: 2 }, { n: 3 }],
  'classic/abba': [{ ordered: false }, { ordered: true }],
};

describe('fast explorer = reference explorer', async () => {
  for (const name of shippedModels()) {
    const model = await loadModel(name);
    for (const params of sizes[name] ?? [{}])
      for (const deadlock of [true, false])
        it(`${name} ${JSON.stringify(params)} deadlock=${deadlock}`, () => agree(model, { params, deadlock }));
  }
  it('a wait-for cycle while a kthread still runs', () => agree(abbaWithTicker, {}));

  it('on random models: states, transitions, depth, verdict and trace (seed 2024, 150 models)', () => {
    const kinds = new Map<string, number>();
    fc.assert(fc.property(modelSpecs(), fc.boolean(), (spec, deadlock) => {
      const kind = agree(build(spec), { maxStates: 3000, deadlock });
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }), { seed: 2024, numRuns: 150 });
    // the generator reaches every kind of verdict, so agreement is tested on each
    for (const k of ['ok', 'deadlock', 'safety', 'unreached']) expect(kinds.get(k) ?? 0).toBeGreaterThan(0);
  });
  it('stops at --max-states with the same count', async () => {
    const model = await loadModel('classic/dio-ring');
    agree(model, { params: { n: 3 }, maxStates: 100, deadlock: false });
    expect(check(model, { params: { n: 3 }, maxStates: 100, deadlock: false }).verdict).toEqual({ kind: 'incomplete', reason: '--max-states 100 reached' });
  });
});
