/**
 * Minimisation: the same answer as the plain double loop over every single-step move (kept
 * here as the reference), in time linear in the path when there is nothing to gain, bounded
 * when there is, and stoppable with the best path so far.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, int, step } from '../index.ts';
import { instantiate } from '../state/instance.ts';
import { walk } from '../explore/simulate.ts';
import { replay } from '../explore/replay.ts';
import { build, modelSpecs } from '../test-util/random-model.ts';
import { tiny } from '../test-util/tiny.ts';
import { endsIn, fewestSwitches, minimising, switches } from './minimize.ts';
import type { Instance } from '../state/instance.ts';
import type { Path, Verdict } from '../explore/verdict.ts';

/** The minimisation as it was: every move (i, j) in order, the first that removes a switch and still violates, again. */
function reference(inst: Instance, v: Verdict, path: Path): Path {
  let best = [...path];
  const violates = (p: Path): boolean => { const views = replay(inst, p); return views !== undefined && endsIn(inst, v, views); };
  for (let improved = true; improved;) {
    improved = false;
    const base = switches(inst, best);
    for (let i = 0; i < best.length && !improved; i++) {
      for (let j = 0; j < best.length && !improved; j++) {
        if (i === j) continue;
        const c = [...best];
        const [x] = c.splice(i, 1);
        c.splice(j, 0, x!);
        if (switches(inst, c) < base && violates(c)) { best = c; improved = true; }
      }
    }
  }
  return best;
}

/** T1 counts x to n while T2 takes three steps; T2's steps first, then T1's: one switch, already the fewest. */
const deep = (n: number) => tiny('deep', (sys) => {
  const x = sys.var('x', int(0, n)), y = sys.var('y', int(0, 3));
  sys.task('T1', () => Array.from({ length: n }, (_, i) => step(`x = ${i + 1}`, { then: (s) => s.set(x, i + 1) })));
  sys.task('T2', () => [1, 2, 3].map((i) => step(`y = ${i}`, { then: (s) => s.set(y, i) })));
  return [always('x < n or y < 3', (s) => s.get(x) < n || s.get(y) < 3)];
});

/** A path of `deep(n)` with T2's three steps spread out: at k, k + n/3 and 2n/3 (six switches). */
function spread(inst: Instance, n: number): Path {
  // each actor's steps in program order (`x = 1`, `x = 2`, …)
  const steps = (a: number): number[] => inst.edges.filter((e) => e.actor === a).sort((p, q) => Number(p.label.split(' = ')[1]) - Number(q.label.split(' = ')[1])).map((e) => e.id);
  const t1 = steps(0), t2 = steps(1);
  const p = [...t1];
  p.splice(Math.floor((2 * n) / 3), 0, t2[2]!);
  p.splice(Math.floor(n / 3), 0, t2[1]!);
  p.splice(1, 0, t2[0]!);
  return p;
}

describe('fewest context switches', () => {
  it('finds what the double loop over every move finds (random models, random violating runs)', () => {
    let compared = 0;
    fc.assert(fc.property(modelSpecs({ actors: 3, vars: 3, depth: 2 }), fc.array(fc.nat({ max: 1 << 16 }), { maxLength: 40 }), (spec, choices) => {
      const inst = instantiate(build(spec));
      const w = walk(inst, choices, true);
      if (w.verdict === undefined || w.verdict.kind === 'liveness' || w.verdict.kind === 'lockdep') return;
      compared++;
      expect(fewestSwitches(inst, w.verdict, w.path)).toEqual(reference(inst, w.verdict, w.path));
    }), { numRuns: 80, seed: 20 });
    expect(compared).toBeGreaterThan(10);
  });

  it('gathers three spread-out steps of 3,000 into one run, in well under a second of work', () => {
    const n = 3000, inst = instantiate(deep(n)), path = spread(inst, n);
    const v: Verdict = { kind: 'safety', property: 'x < n or y < 3', path };
    expect(switches(inst, path)).toBe(6);
    const t0 = performance.now(), best = fewestSwitches(inst, v, path);
    expect(switches(inst, best)).toBe(2);
    expect(endsIn(inst, v, replay(inst, best)!)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('out of budget, or stopped, it returns the best path so far, which still violates, and says why', () => {
    const n = 3000, inst = instantiate(deep(n)), path = spread(inst, n);
    const v: Verdict = { kind: 'safety', property: 'x < n or y < 3', path };
    const run = (stopped: () => string | undefined, budget?: number) => {
      const it = minimising(inst, v, path, stopped, budget);
      for (;;) { const x = it.next(); if (x.done) return x.value; }
    };
    const cut = run(() => undefined, 10_000);
    expect(cut.cut).toMatch(/10,000 units of work/);
    expect(switches(inst, cut.path)).toBeLessThan(6);
    expect(endsIn(inst, v, replay(inst, cut.path)!)).toBe(true);
    const stopped = run(() => 'interrupted (SIGINT)');
    expect(stopped.cut).toBe('interrupted (SIGINT)');
    expect(endsIn(inst, v, replay(inst, stopped.path)!)).toBe(true);
  });
});
