import { describe, expect, it } from 'vitest';
import { always, int, never, sometimes, step, transition } from '../index.ts';
import { check } from './check.ts';
import { counter, tiny } from '../test-util/tiny.ts';

describe('properties', () => {
  it('always: the shortest violating trace', () => {
    const r = check(counter(5, (x) => [always('x below 3', (s) => s.get(x) < 3)]));
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'x below 3' });
    expect(r.trace?.steps.map((s) => s.label)).toEqual(['x = 1', 'x = 2', 'x = 3']);
  });

  it('never is always-not', () =>
    expect(check(counter(5, (x) => [never('x is 2', (s) => s.get(x) === 2)])).trace?.steps.length).toBe(2));

  it('sometimes: unreached when no state satisfies it, otherwise a witness', () => {
    const r = check(counter(3, (x) => [sometimes('x is 7', (s) => s.get(x) === 7), sometimes('x is 2', (s) => s.get(x) === 2)]));
    expect(r.verdict).toEqual({ kind: 'unreached', property: 'x is 7' });
    expect(r.witnesses.get('x is 2')?.length).toBe(2);
  });

  it('transition: checked on edges into states already seen', () => {
    // two tasks both set x := 1; the second edge into the same state must still be checked (the
    // determinism audit asks transition properties again, so their calls are not counted: B's edge
    // out of x = 1 breaks the property, and only the search's own check can report it)
    const m = tiny('edges', (sys) => {
      const x = sys.var('x', int(0, 1));
      sys.task('A', () => [step('A: x = 1', { then: (s) => s.set(x, 1) })]);
      sys.task('B', () => [step('B: x = 1', { then: (s) => s.set(x, 1) })]);
      return [transition('B sets x first', ({ before, step }) => !(step.label === 'B: x = 1' && before.get(x) === 1))];
    });
    const r = check(m);
    expect(r.stats.transitions - 1).toBe(4);
    expect([r.verdict.kind, r.trace?.steps.map((s) => s.label)]).toEqual(['safety', ['A: x = 1', 'B: x = 1']]);
  });

  it('transition violation: reported with the step that broke it', () => {
    const r = check(counter(4, (x) => [transition('x never jumps to 3', ({ after, step }) => step.label !== 'x = 3' || after.get(x) !== 3)]));
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'x never jumps to 3' });
    expect(r.trace?.steps.map((s) => s.label)).toEqual(['x = 1', 'x = 2', 'x = 3']);
  });

  it('a state violation at depth d beats a transition violation into depth d+1 found earlier in the level', () => {
    const m = tiny('order', (sys) => {
      const x = sys.var('x', int(0, 3)), y = sys.var('y', int(0, 3));
      sys.task('A', () => [step('A1', { then: (s) => s.set(x, 1) }), step('A2', { then: (s) => s.set(x, 2) })]);
      sys.task('B', () => [step('B1', { then: (s) => s.set(y, 1) })]);
      return [
        transition('no A2', ({ step }) => step.label !== 'A2'),
        always('y stays 0', (s) => s.get(y) === 0),
      ];
    });
    // level 1 = {A1}, {B1}; expanding {A1} first finds A2 (length 2), but {B1} violates at length 1
    expect(check(m).verdict).toMatchObject({ kind: 'safety', property: 'y stays 0', path: [2] });
  });
});
