import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { thousands } from './thousands.ts';

describe('thousands', () => {
  it('writes integers as toLocaleString("en-US") does (seed 3)', () => fc.assert(fc.property(
    fc.integer({ min: -1e15, max: 1e15 }), (x) => { expect(thousands(x)).toBe(x.toLocaleString('en-US')); }), { seed: 3 }));

  it('rounds what is not an integer', () => expect([thousands(1234.5), thousands(999.4), thousands(-0.2)]).toEqual(['1,235', '999', '0']));
});
