/** Verdicts that cannot lie: a model that breaks the engine's contracts gets a model error, not a verdict. */
import { describe, expect, it } from 'vitest';
import { always, bool, defineModel, int, ModelError, param, step } from '../index.ts';
import { check } from './check.ts';
import { counter, tiny } from '../test-util/tiny.ts';

const errorOf = (f: () => unknown): string => {
  try { f(); } catch (e) { if (e instanceof ModelError) return e.message; throw e; }
  return 'no error';
};

describe('nondeterministic models are caught, not believed', () => {
  it('an effect reading a counter outside the state: KMC014 naming the step that went another way', () => {
    let calls = 0;
    const m = tiny('counter-in-closure', (sys) => {
      const x = sys.var('x', int(0, 3));
      sys.task('T1', () => [step('a', { then: (s) => s.set(x, 1) }), step('b', { then: (s) => s.set(x, (calls++ % 3) + 1) })]);
      sys.task('T2', () => [step('c'), step('d')]);   // b fires in three states: x = 1, 2, then 3
      return [always('x is never 3', (s) => s.get(x) !== 3)];
    });
    // caught when the explorer asks b again in another state (its memo re-runs a step's first reuses), or on replay
    // (or in the audit, which asks a second setup of the model again in the first states)
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: step 'b' of T1 (gave a different state on replay at step 2|gives a different state each time it fires \((re-evaluated in a second setup of the model, )?in (the state after step 1|a state after [12] steps?)\)): /);
  });

  it('a guard reading Math.random: never a believed deadlock (20 runs)', () => {
    const m = tiny('random-guard', (sys) => {
      const x = sys.var('x', bool());
      sys.task('T', () => [step('maybe', { when: () => Math.random() < 0.5, then: (s) => s.set(x, true) }), step('then')]);
    });
    for (let i = 0; i < 20; i++) {
      let r: ReturnType<typeof check> | undefined;
      const err = errorOf(() => { r = check(m); });
      if (err === 'no error') expect(r!.verdict).toEqual({ kind: 'ok' });
      else expect(err).toMatch(/^KMC014 /);
    }
  });

  it('a property reading a counter: caught when asked again, or when the violation does not hold on replay', () => {
    let calls = 0;
    const m = counter(2, () => [always('flaky', () => calls++ !== 2)]);
    expect(errorOf(() => check(m))).toMatch(/^KMC014 the model is not deterministic: property 'flaky' gives a different answer each time it is asked \(re-evaluated in a second setup of the model, in the initial state\)/);
    let first = 0;
    const once = counter(2, () => [always('false once', () => first++ !== 0)]);
    expect(errorOf(() => check(once))).toMatch(/^KMC014 the model is not deterministic: the violation of 'false once' found in exploration does not happen on replay/);
  });
});

describe('guards, conditions and properties answer with booleans', () => {
  it("a guard returning 'no' is KMC015, naming the step", () => {
    const m = tiny('guard', (sys) => { sys.task('T', () => [step('b', { when: (() => 'no') as never })]); });
    expect(errorOf(() => check(m))).toBe(`KMC015 a guard, condition or property must return a boolean: the guard returned 'no' [in step 'b' of T]`);
    expect(errorOf(() => check(m, { explorer: 'reference' }))).toMatch(/^KMC015 /);
  });

  it('a property returning a number is KMC015, naming the property', () => {
    const m = counter(2, (x) => [always('x', ((s: { get: (v: typeof x) => number }) => s.get(x)) as never)]);
    expect(errorOf(() => check(m))).toMatch(/^KMC015 .*property 'x' returned 0/);
  });
});

describe('model declarations', () => {
  it('int(3, 1) in setup is a model error naming the model and the declaration', () => {
    const m = tiny('bad-int', (sys) => { sys.var('x', int(3, 1)); });
    expect(errorOf(() => check(m))).toBe(`KMC013 bad model declaration: int(3, 1): need integers with min <= max [in model 'bad-int']`);
  });

  it('a parameter default outside its domain is a model error naming the parameter', () => {
    const m = defineModel({ name: 'bad-default', doc: 'x', params: { n: param.int({ min: 2, max: 4, default: 9, doc: 'n' }) }, setup: () => [] });
    expect(errorOf(() => check(m))).toBe(`KMC013 bad model declaration: model 'bad-default': parameter n: default 9 is not one of 2..4`);
  });

  it('a variable declared by a guard (after setup) is KMC014, not a field every state reads as undefined', () => {
    const m = tiny('late-local', (sys) => { sys.task('T', (self) => [step('b', { when: (s) => !s.test(self.local('late', bool())) })]); });
    expect(errorOf(() => check(m))).toMatch(/^KMC014 .*'T\.late' is declared after setup \(by a guard, an effect or a property\)/);
  });

  it('a throwing setup is KMC016', () => {
    const m = tiny('throws', () => { throw new Error('no such file'); });
    expect(errorOf(() => check(m))).toBe(`KMC016 the model's setup threw: model 'throws': no such file`);
  });

  it('two properties with one name, or one named deadlock, are KMC007', () => {
    expect(errorOf(() => check(counter(2, () => [always('p', () => true), always('p', () => true)])))).toMatch(/^KMC007 .*two properties named 'p'/);
    expect(errorOf(() => check(counter(2, () => [always('deadlock', () => true)])))).toMatch(/^KMC007 .*'deadlock' \(deadlock is built in\)/);
  });

  it('an ambiguous first word is refused, the full name works', () => {
    const m = counter(2, () => [always('P1 a', () => true), always('P1 b', () => true)]);
    expect(() => check(m, { property: 'P1' })).toThrow(`--property P1: ambiguous in model 'counter', it is the first word of 'P1 a', 'P1 b'; give the full name`);
    expect(check(m, { property: 'P1 a' }).verdict).toEqual({ kind: 'ok' });
  });
});

describe('the collision figure', () => {
  it('says exact only when fingerprints are a bijection of the state', () => {
    const wide = tiny('wide', (sys) => { sys.array('w', 3, int(0, 2 ** 27)); sys.task('T', () => [step('nothing')]); });
    const r = check(wide);
    expect(r.stats.exact).toBe(false);
    expect(r.stats.collisionProbability).toBe(0);   // the estimate rounds to 0, but it is an estimate
    expect(check(counter(3)).stats.exact).toBe(true);
  });
});
