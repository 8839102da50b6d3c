import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactWidth, fingerprint, fp } from './fingerprint.ts';
import { FpTable } from './fp-table.ts';

const fpOf = (w: number[]): string => { fingerprint(Uint32Array.from(w), 0, w.length); return `${fp.lo >>> 0}:${fp.hi >>> 0}`; };

describe('fingerprints', () => {
  it('are fixed across runs and builds', () => {
    expect(fpOf([0])).toBe(fpOf([0]));
    expect([fpOf([1]), fpOf([1, 2]), fpOf([1, 2, 3])]).toMatchInlineSnapshot(`
      [
        "487862018:1677160010",
        "3630529066:2977830333",
        "2933665304:2478740432",
      ]
    `);
  });

  it('are exact (a bijection) for states of at most two words', () => {
    expect(exactWidth(2)).toBe(true);
    expect(exactWidth(3)).toBe(false);
    const seen = new Set<string>();
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) seen.add(fpOf([a << 24, b]));
    expect(seen.size).toBe(65536);
  });

  it('differ for different wide states (seed 7)', () => fc.assert(fc.property(
    fc.array(fc.nat(), { minLength: 3, maxLength: 6 }), fc.array(fc.nat(), { minLength: 3, maxLength: 6 }),
    (a, b) => a.join() === b.join() || fpOf(a) !== fpOf(b)), { seed: 7 }));
});

describe('FpTable', () => {
  it('behaves as a set of 64-bit values through growth (seed 3)', () => fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -4, max: 4 })), { maxLength: 300 }),
    (pairs) => {
      const t = new FpTable(2), ref = new Set<string>();
      for (const [lo, hi] of pairs) expect(t.add(lo, hi)).toBe(!ref.has(`${lo},${hi}`)), ref.add(`${lo},${hi}`);
      expect(t.size).toBe(ref.size);
    }), { seed: 3 }));
});
