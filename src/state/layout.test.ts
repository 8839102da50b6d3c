import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bool, enumOf, int, owner, setOf } from '../model/domain.ts';
import { compileUnpack, makeLayout, pack, packDelta, unpack } from './layout.ts';

const ctx = { actors: ['T1', 'T2', 'T3'] };
const domains = [bool(), int(-3, 4), enumOf('none', 'ro', 'rw'), owner(), setOf('a', 'b', 'c', 'd', 'e'), int(0, 0), int(0, 2 ** 31 - 1), bool()];
const layout = makeLayout(domains, domains.map((_, i) => `f${i}`), ctx);

const slotsArb = fc.tuple(
  fc.integer({ min: 0, max: 1 }), fc.integer({ min: -3, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: -1, max: 2 }),
  fc.integer({ min: 0, max: 31 }), fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 1 }),
).map((t) => Int32Array.from(t));

describe('layout (seed 42)', () => {
  it('uses the fewest bits per slot, never straddling a word', () => {
    expect(Array.from(layout.span)).toEqual([1, 7, 2, 3, 31, 0, 2 ** 31 - 1, 1]);
    expect(layout.bits).toBe(1 + 3 + 2 + 2 + 5 + 0 + 31 + 1);
    expect(layout.words).toBe(2);
  });

  it('unpack(pack(s)) === s', () => fc.assert(fc.property(slotsArb, (s) => {
    const w = new Uint32Array(layout.words), back = new Int32Array(s.length);
    expect(pack(layout, s, w, 0)).toBe(-1);
    unpack(layout, w, 0, back);
    expect(Array.from(back)).toEqual(Array.from(s));
  }), { seed: 42 }));

  it('packDelta of a parent plus changes equals packing the changed state', () => fc.assert(fc.property(slotsArb, slotsArb, fc.array(fc.integer({ min: 0, max: 7 })), (a, b, which) => {
    const pa = new Uint32Array(layout.words), pb = new Uint32Array(layout.words), out = new Uint32Array(layout.words);
    const changed = Int32Array.from(new Set(which));
    const target = a.slice();
    for (const i of changed) target[i] = b[i]!;
    pack(layout, a, pa, 0); pack(layout, target, pb, 0);
    expect(packDelta(layout, pa, 0, out, 0, changed, Int32Array.from(changed, (i) => b[i]!), changed.length)).toBe(-1);
    expect(Array.from(out)).toEqual(Array.from(pb));
  }), { seed: 42 }));

  it('the unrolled unpack of a layout equals the generic one', () => fc.assert(fc.property(slotsArb, (s) => {
    const w = new Uint32Array(layout.words), a = new Int32Array(s.length), b = new Int32Array(s.length);
    pack(layout, s, w, 0);
    unpack(layout, w, 0, a);
    compileUnpack(layout)(w, 0, b);
    expect(Array.from(b)).toEqual(Array.from(a));
  }), { seed: 42 }));

  it('reports the first slot outside its domain', () => {
    const s = Int32Array.from([0, 5, 0, -1, 0, 0, 0, 0]);
    expect(pack(layout, s, new Uint32Array(2), 0)).toBe(1);
    expect(layout.describe(1)).toBe('f1: int(-3..4)');
  });
});
