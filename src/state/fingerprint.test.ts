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
  it('splits into partitions that hold exactly the fingerprints they keep, sized for them (seed 5)', () => fc.assert(fc.property(
    fc.array(fc.tuple(fc.integer(), fc.integer()), { maxLength: 3000 }), fc.boolean(),
    (pairs, zero) => {
      const t = new FpTable();
      if (zero) t.add(0, 0);
      for (const [lo, hi] of pairs) t.add(lo, hi);
      const keep = (part: number) => (_: number, hi: number): boolean => ((hi >>> 31) & 1) === part;
      const parts = [0, 1].map((p) => FpTable.from(t.raw, keep(p)));
      expect(parts[0]!.size + parts[1]!.size).toBe(t.size);
      for (const [lo, hi] of [...pairs, [0, 0] as const]) {
        if (!t.has(lo, hi)) continue;
        const p = (hi >>> 31) & 1;
        expect(parts[p]!.has(lo, hi)).toBe(true);
        expect(parts[1 - p]!.has(lo, hi)).toBe(false);
        // sized from the start: adding what it holds again finds every one
        expect(parts[p]!.add(lo, hi)).toBe(false);
      }
      // no larger than a table that grew to hold them
      for (const [p, part] of parts.entries()) {
        const grown = new FpTable();
        for (const [lo, hi] of pairs) if (keep(p)(lo, hi) && t.has(lo, hi)) grown.add(lo, hi);
        expect(part.bytes).toBeLessThanOrEqual(grown.bytes);
      }
    }), { seed: 5, numRuns: 30 }));
});
