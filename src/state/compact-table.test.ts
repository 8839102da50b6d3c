import { describe, expect, it } from 'vitest';
import { CompactTable, omission } from './compact-table.ts';

/** Fingerprints from a xorshift generator (fixed seed). */
function fingerprints(n: number, seed = 7): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(n), hi = new Int32Array(n);
  let x = seed;
  const r = (): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return x | 0; };
  for (let i = 0; i < n; i++) { lo[i] = r(); hi[i] = r(); }
  return { lo, hi };
}

describe('CompactTable (hash compaction)', () => {
  it('keeps states exactly until 1/16 full, then keeps log2(cells) + 28 bits of each', () => {
    const t = new CompactTable(4 * 4096), { lo, hi } = fingerprints(3600);
    expect(t.bits).toBe(12 + 28);
    for (let i = 0; i < 255; i++) expect(t.add(lo[i]!, hi[i]!)).toBe(true);
    expect(t.compacted).toBe(false);
    expect(t.add(lo[255]!, hi[255]!)).toBe(true);
    expect(t.compacted).toBe(true);
    // what was kept exactly is found after the move, and the rest goes in up to load 0.88
    for (let i = 0; i < 256; i++) expect(t.add(lo[i]!, hi[i]!)).toBe(false);
    for (let i = 256; i < 3600; i++) expect(t.add(lo[i]!, hi[i]!)).toBe(true);
    for (let i = 0; i < 3600; i++) expect(t.add(lo[i]!, hi[i]!)).toBe(false);
    expect(t.size).toBe(3600);
    expect(t.fullWith(86)).toBe(false);
    expect(t.fullWith(87)).toBe(true);
  });

  it('entries pushed past the largest displacement go to the exact table aside, and are found there', () => {
    const t = new CompactTable(4 * 1024, 1);
    // one home for all: 40 entries in a run of 15 cells
    for (let i = 0; i < 40; i++) expect(t.add(i << 4, 0x12345678)).toBe(true);
    expect(t.overflow).toBe(40 - 15);
    for (let i = 0; i < 40; i++) expect(t.add(i << 4, 0x12345678)).toBe(false);
    // an entry nearer to its home takes a cell of the run, and pushes a displaced one aside
    expect(t.add(99 << 4, 0x12345678 + (1 << 22))).toBe(true);
    for (let i = 0; i < 40; i++) expect(t.add(i << 4, 0x12345678)).toBe(false);
    expect(t.add(99 << 4, 0x12345678 + (1 << 22))).toBe(false);
  });

  it('omits a state whose kept bits equal another\'s (the low 4 bits of lo are not kept)', () => {
    const t = new CompactTable(4 * 1024, 1);
    expect(t.add(0x50, 7)).toBe(true);
    expect(t.add(0x5f, 7)).toBe(false);
    expect(t.add(0x60, 7)).toBe(true);
  });

  it("Wolper and Leroy's estimate: n^2 / 2^(b+1) states expected omitted", () => {
    expect(omission(2 ** 20, 41).expected).toBe(0.25);
    expect(omission(2 ** 20, 41).p).toBeCloseTo(1 - Math.exp(-0.25), 12);
    expect(omission(6e8, 58.3).expected).toBeCloseTo(0.51, 2);
  });
});
