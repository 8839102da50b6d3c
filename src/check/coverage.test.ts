/**
 * Step coverage's names and `mayBeUnreached` keys: a step is named by its call path and label,
 * numbered in program order where positions share both; a key that also names a position that
 * fired, or that names none, excuses nothing and is reported.
 */
import { describe, expect, it } from 'vitest';
import { check } from './check.ts';
import { keyErrors, stepNames, unexcused } from './coverage.ts';
import { defineModel } from '../model/define-model.ts';
import { int } from '../model/domain.ts';
import { call, ifElse, step } from '../model/program.ts';
import { instantiate } from '../state/instance.ts';

/** Four `unlock`s: one fires (the second in `outer`), three never do (their guard reads x after it became 1). */
const model = (excuses: Record<string, string>) => defineModel({
  name: 'siblings', doc: 'positions that share a label',
  mayBeUnreached: () => excuses,
  setup(_, sys) {
    const x = sys.var('x', int(0, 1));
    const never = (s: { get(v: typeof x): number }): boolean => s.get(x) === 0;
    sys.task('t', () => [
      step('x = 1', { then: (s) => s.set(x, 1) }),
      call('outer', [
        ifElse(never, [step('unlock')]),
        step('unlock'),
        call('inner', [ifElse(never, [step('unlock')])]),
      ]),
      ifElse(never, [step('unlock')]),
    ]);
  },
});

const coverage = (excuses: Record<string, string>) => {
  const m = model(excuses), r = check(m);
  const steps = r.unreachedSteps!;
  return { reasons: Object.fromEntries(steps.map((s) => [s.name, s.reason ?? null])), errors: keyErrors(r.instance, steps), bad: unexcused(steps).map((s) => s.name) };
};

describe('step coverage names', () => {
  it('names each position by actor, call path and label, numbered in program order where they share the path', () => {
    const inst = instantiate(model({}));
    expect(new Set(stepNames(inst))).toEqual(new Set(['t: x = 1', 't: outer > unlock#1', 't: outer > unlock#2', 't: outer > inner > unlock', 't: unlock']));
    const steps = check(model({})).unreachedSteps!;
    expect(steps.map((s) => [s.name, s.path, s.label]).sort()).toEqual([
      ['t: outer > inner > unlock', ['outer', 'inner'], 'unlock'], ['t: outer > unlock#1', ['outer'], 'unlock'], ['t: unlock', [], 'unlock'],
    ]);
  });
});

describe('mayBeUnreached keys', () => {
  it('a key that also names a sibling that fires excuses nothing, and says which sibling fires', () => {
    // the label alone, as the old keys did, names all four unlocks: it used to excuse the three that never fire
    const { reasons, errors, bad } = coverage({ unlock: 'never' });
    expect(reasons).toEqual({ 't: outer > unlock#1': null, 't: outer > inner > unlock': null, 't: unlock': null });
    expect(errors).toEqual([`mayBeUnreached key 'unlock' also names 1 position that fires (t: outer > unlock#2): give the call path`]);
    expect(bad).toHaveLength(3);
    expect(coverage({ 't: outer > unlock': 'x' }).errors).toEqual([`mayBeUnreached key 't: outer > unlock' also names 1 position that fires (t: outer > unlock#2): give the call path`]);
  });

  it('a name singles its position out; an abbreviation names every position it abbreviates', () => {
    const { reasons, errors } = coverage({ 't: outer > unlock#1': 'first', 'inner > unlock': 'inner', 't: unlock': 'top' });
    expect(errors).toEqual([]);
    // 't: unlock' is the top-level position's name: it does not reach into outer or inner
    expect(reasons).toEqual({ 't: outer > unlock#1': 'first', 't: outer > inner > unlock': 'inner', 't: unlock': 'top' });
    // every key that names a position gives its reason
    expect(coverage({ 't: outer > unlock#1': 'first', 'outer > unlock#1': 'again', 't: outer > inner > unlock': 'a', 't: unlock': 'b' }).reasons['t: outer > unlock#1']).toBe('first; again');
  });

  it('a key that names no step, or only steps that fire, is a stale excuse', () => {
    const { errors, bad } = coverage({ 't: gone': 'renamed', 't: outer > unlock#2': 'fires', 't: outer > unlock#1': 'a', 't: inner > unlock': 'b', 't: unlock': 'c' });
    expect(errors).toEqual([
      `mayBeUnreached key 't: gone' names no step: remove the stale excuse`,
      `mayBeUnreached key 't: outer > unlock#2' names only positions that fire (t: outer > unlock#2): remove the excuse`,
    ]);
    expect(bad).toEqual([]);
  });
});
