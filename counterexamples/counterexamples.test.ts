/** The committed counterexample files must be what the current models and formatter produce. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../models/scenarios.ts';
import { counterexampleItf, counterexampleText, runScenario } from '../src/cli/scenario.ts';
import { loadModel } from '../src/cli/load-model.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { readItf } from '../src/trace/itf-read.ts';
import { replayItf } from '../src/trace/replay-itf.ts';

const dir = import.meta.dirname;
const violated = scenarios.filter((s) => s.counterexample !== undefined);

describe('counterexamples/ is current (regenerate with kmc check --scenario <row> --save)', () => {
  it('has exactly one .txt and one .itf.json per row with a counterexample', () => {
    const files = readdirSync(dir).filter((f) => !f.endsWith('.test.ts')).sort();
    expect(files).toEqual(violated.flatMap((s) => [`${s.id}.itf.json`, `${s.id}.txt`]).sort());
  });
  for (const s of violated)
    it(s.id, async () => {
      const r = (await runScenario(s)).find((x) => x.property === s.counterexample)!.report;
      expect(readFileSync(join(dir, `${s.id}.txt`), 'utf8')).toBe(counterexampleText(s, r));
      expect(readFileSync(join(dir, `${s.id}.itf.json`), 'utf8')).toBe(counterexampleItf(s, r));
      expect(Math.max(...readFileSync(join(dir, `${s.id}.txt`), 'utf8').split('\n').map((l) => l.length))).toBeLessThanOrEqual(72);
    });
});

describe('kmc replay: every saved counterexample still violates, as recorded, state by state', () => {
  for (const s of violated)
    it(s.id, async () => {
      const file = join(dir, `${s.id}.itf.json`), itf = readItf(file);
      const model = await loadModel(itf['#meta']['source'] as string);
      const r = replayItf(instantiate(model, resolveParams(model, itf['#meta']['params'] as Record<string, string>)), file, itf);
      expect(r.outcome).toMatchObject({ kind: 'violates', verdict: { path: { length: itf.states.length - 1 } } });
      expect(r.differs).toBeUndefined();
    });
});
