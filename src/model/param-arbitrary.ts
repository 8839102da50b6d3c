/** @internal A fast-check arbitrary over a parameter's values, shrinking toward its minimum / false / first value. */
import fc from 'fast-check';
import type { ParamSpec } from './params.ts';

export const paramArbitrary = (p: ParamSpec): fc.Arbitrary<string | number | boolean> =>
  p.kind === 'int' ? fc.integer({ min: p.min, max: p.max }) : p.kind === 'bool' ? fc.boolean() : fc.constantFrom(...p.values);
