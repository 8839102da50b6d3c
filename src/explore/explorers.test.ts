/** The fast and the reference explorer must agree on every shipped model: same numbers, same verdict, same trace. */
import { describe, expect, it } from 'vitest';
import { check, type CheckOptions } from '../check/check.ts';
import { loadModel, shippedModels } from '../cli/load-model.ts';
import { abbaWithTicker } from '../test-util/tiny.ts';
import type { Model } from '../model/define-model.ts';

const sizes: Record<string, Record<string, number | boolean>[]> = {
  'classic/philosophers': [{ n: 2 }, { n: 4 }],
  'classic/dio-ring': [{ n: 2 }, { n: 3 }],
  'classic/abba': [{ ordered: false }, { ordered: true }],
};

function agree(model: Model, opts: CheckOptions): void {
  const fast = check(model, opts), ref = check(model, { ...opts, explorer: 'reference' });
  expect([ref.stats.states, ref.stats.transitions, ref.stats.depth]).toEqual([fast.stats.states, fast.stats.transitions, fast.stats.depth]);
  expect(ref.verdict).toEqual(fast.verdict);
  expect([...ref.witnesses]).toEqual([...fast.witnesses]);
}

describe('fast explorer = reference explorer', async () => {
  for (const name of shippedModels()) {
    const model = await loadModel(name);
    for (const params of sizes[name] ?? [{}])
      for (const deadlock of [true, false])
        it(`${name} ${JSON.stringify(params)} deadlock=${deadlock}`, () => agree(model, { params, deadlock }));
  }
  it('a wait-for cycle while a kthread still runs', () => agree(abbaWithTicker, {}));
  it('stops at --max-states with the same count', async () => {
    const model = await loadModel('classic/dio-ring');
    agree(model, { params: { n: 3 }, maxStates: 100, deadlock: false });
    expect(check(model, { params: { n: 3 }, maxStates: 100, deadlock: false }).verdict).toEqual({ kind: 'incomplete', reason: '--max-states 100 reached' });
  });
});
