/**
 * Switches compose: any combination of a family's parameters is a valid model (no model error,
 * a verdict from exploration), not only the rows of the scenario table. fast-check draws the
 * combinations (fixed seeds, so CI is reproducible).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/check/check.ts';
import { loadModel } from '../src/cli/load-model.ts';
import { paramArbitrary } from '../src/model/param-arbitrary.ts';

describe.each([['gup-writeback', 101], ['dio-mmap', 202], ['dio-coherence', 303], ['truncate-fault', 404]] as const)('%s: every combination of switches runs (seed %i)', (name, seed) => {
  it('explores to a verdict', async () => {
    const model = await loadModel(name);
    const params = fc.record(Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, paramArbitrary(p)])));
    const kinds = new Set<string>();
    await fc.assert(fc.asyncProperty(params, async (ps) => {
      const r = check(model, { params: ps, maxStates: 3_000 });   // a verdict or incomplete: what is tested is that every combination composes
      kinds.add(r.verdict.kind);
      expect(['ok', 'incomplete', 'deadlock', 'livelock', 'safety', 'unreached', 'liveness', 'lockdep']).toContain(r.verdict.kind);
      if (r.trace) expect(r.trace.steps.length).toBe(r.verdict.kind === 'deadlock' || r.verdict.kind === 'livelock' || r.verdict.kind === 'safety' || r.verdict.kind === 'liveness' || r.verdict.kind === 'lockdep' ? r.verdict.path.length : -1);
    }), { seed, numRuns: 40 });
    expect(kinds.size).toBeGreaterThan(1);
  });
});

describe('model files stay small', () => {
  it('no model file is over 8 KB (one actor role, one concern, per file)', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const big = files(import.meta.dirname).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && statSync(f).size > 8192);
    expect(big).toEqual([]);
  });
});
