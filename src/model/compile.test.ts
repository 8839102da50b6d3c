import { describe, expect, it } from 'vitest';
import { brk, call, choice, goto, ifElse, int, label, loop, ret, step, whileDo, ModelError } from '../index.ts';
import { check } from '../check/check.ts';
import { tiny } from '../test-util/tiny.ts';
import type { Program } from './program.ts';
import type { Self, System } from './system.ts';

/** Runs one task's program and returns the decoded final states' `x` values (all terminal states). */
function finals(build: (self: Self, x: ReturnType<System['var']>) => Program, max = 7): number[] {
  const seen: number[] = [];
  const m = tiny('t', (sys) => {
    const x = sys.var('x', int(0, max));
    const t = sys.task('T', (self) => build(self, x));
    return [{ kind: 'always', name: 'record', pred: (s) => { if (s.done(t)) seen.push(s.get(x)); return true; } }];
  });
  check(m);
  return [...new Set(seen)].sort();
}

const inc = (x: ReturnType<System['var']>, label = 'x++') => step(label, { then: (s) => s.set(x, s.get(x) + 1) });

describe('control flow', () => {
  it('runs a sequence', () => expect(finals((_, x) => [inc(x), inc(x), inc(x)])).toEqual([3]));

  it('decides a branch at the end of the preceding step', () => {
    expect(finals((_, x) => [inc(x), ifElse((s) => s.get(x) === 1, [inc(x), inc(x)], [inc(x)])])).toEqual([3]);
    expect(finals((_, x) => [ifElse((s) => s.get(x) === 1, [inc(x)], [inc(x), inc(x)])])).toEqual([2]);
  });

  it('loops with break, and while', () => {
    expect(finals((_, x) => loop(inc(x), ifElse((s) => s.get(x) === 4, brk())))).toEqual([4]);
    expect(finals((_, x) => whileDo((s) => s.get(x) < 5, inc(x)))).toEqual([5]);
  });

  it('jumps with goto and label', () => {
    expect(finals((_, x) => [label('retry'), inc(x), ifElse((s) => s.get(x) < 3, goto('retry')), inc(x)])).toEqual([4]);
  });

  it('returns a value from a call into its result variable', () => {
    expect(finals((self, x) => {
      const err = self.local('err', int(-14, 0));
      return [
        call('faultin_page', [inc(x), ret(-14), inc(x)], { result: err }),
        ifElse((s) => s.get(err) === -14, [inc(x), inc(x)]),
      ];
    })).toEqual([3]);
  });

  it('explores every arm of a choice', () => {
    expect(finals((_, x) => choice([inc(x)], [inc(x), inc(x)], [step('x = 5', { then: (s) => s.set(x, 5) })]))).toEqual([1, 2, 5]);
  });

  it('shows the call frame on steps inside a call', () => {
    const m = tiny('frames', (sys) => {
      const x = sys.var('x', int(0, 1));
      sys.task('T', () => [call('pin_user_pages', [call('handle_mm_fault', [step('fault', { then: (s) => s.set(x, 1) })])])]);
      return [{ kind: 'always', name: 'x stays 0', pred: (s) => s.get(x) === 0 }];
    });
    const r = check(m);
    expect(r.trace?.steps.map((s) => [s.frame, s.label])).toEqual([[['pin_user_pages', 'handle_mm_fault'], 'fault']]);
  });
});

describe('model errors', () => {
  const errorOf = (build: (self: Self, x: ReturnType<System['var']>) => Program): string => {
    try { finals(build); } catch (e) { if (e instanceof ModelError) return e.message; throw e; }
    return 'no error';
  };
  it('rejects control flow that loops without a step (KMC003)', () =>
    expect(errorOf(() => [label('a'), goto('a')])).toMatch(/^KMC003/));
  it('rejects a goto to an unknown label (KMC004)', () =>
    expect(errorOf((_, x) => [inc(x), goto('nowhere')])).toMatch(/^KMC004 .*goto\('nowhere'\)/));
  it('rejects ret(value) without a result variable (KMC005)', () =>
    expect(errorOf((_, x) => [call('f', [inc(x), ret(-1)])])).toMatch(/^KMC005 .*in f/));
  it('rejects a choice arm starting with control flow (KMC008)', () =>
    expect(errorOf((_, x) => [choice([ifElse(() => true, inc(x))], [inc(x)])])).toMatch(/^KMC008/));
  it('rejects break outside a loop (KMC010)', () => expect(errorOf(() => [brk()])).toMatch(/^KMC010/));
  it('names the field, the value and the step for a value outside its domain (KMC001)', () =>
    expect(errorOf((_, x) => [step('x = 9', { then: (s) => s.set(x, 9) })]))
      .toBe(`KMC001 value outside the declared domain: x := 9, domain int(0..7) [in step 'x = 9' of T]`));
  it('rejects reusing a state after set (KMC006)', () =>
    expect(errorOf((_, x) => [step('bad', { then: (s) => { const t = s.set(x, 1); t.set(x, 2); return t; } })])).toMatch(/^KMC006/));
  it('rejects an effect that returns no state (KMC011)', () =>
    expect(errorOf(() => [step('bad', { then: () => undefined as never })])).toMatch(/^KMC011/));
  it('attributes a throwing guard to its step (KMC002)', () =>
    expect(errorOf(() => [step('boom', { when: () => { throw new Error('oops'); } })])).toBe(`KMC002 a step's guard or effect threw: step 'boom' of T: oops`));
});
