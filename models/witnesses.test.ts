/**
 * A `sometimes` witness keeps a "holds" from being hollow only if the race has to happen for it:
 * every witness of every shipped configuration (the matrix and the scenario table) is false in
 * the initial state, and the racing step that first reaches it is pinned here, so a witness an
 * actor outside the race could satisfy alone shows up in review.
 */
import { describe, expect, it } from 'vitest';
import { families } from './matrix.ts';
import { scenarios } from './scenarios.ts';
import { check } from '../src/check/check.ts';
import { loadModel } from '../src/cli/load-model.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { Successors } from '../src/explore/successors.ts';
import { reconstruct } from '../src/explore/replay.ts';
import { paramsText } from '../src/trace/report.ts';

type Params = Readonly<Record<string, string | number | boolean>>;
const configs: { model: string; params: Params }[] = [
  ...families.flatMap((f) => f.rows.flatMap((r) => f.columns.map((c) => ({ model: f.model, params: { ...r, ...c.params } })))),
  ...scenarios.map((s) => ({ model: s.model, params: s.params })),
];

describe('every shipped witness is false in the initial state, and reached by a racing step', async () => {
  const reached = new Map<string, Set<string>>();
  for (const { model: name, params } of configs) {
    const model = await loadModel(name);
    const inst = instantiate(model, resolveParams(model, params));
    const s0 = new Successors(inst).initial();
    for (const p of inst.properties) {
      if (p.kind !== 'sometimes') continue;
      it(`${name} ${paramsText(params)}: '${p.name}' is false initially`, () => expect(p.pred(s0)).toBe(false));
    }
    const r = check(model, { params, deadlock: false, maxStates: 200_000 });
    for (const [witness, path] of r.witnesses) {
      const last = path.length ? reconstruct(inst, path).steps.at(-1)! : undefined;
      const key = `${name}: '${witness}'`;
      if (!reached.has(key)) reached.set(key, new Set());
      reached.get(key)!.add(last ? `${last.actor.name}: ${last.label}` : '(initial state)');
    }
  }
  it('the racing steps that reach them', () => {
    expect(Object.fromEntries([...reached].map(([k, v]) => [k, [...v].sort()]))).toMatchSnapshot();
  });
});
