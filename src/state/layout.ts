/**
 * @internal Bit layout of a state: one slot per scalar (array elements and pcs included),
 * each stored as `value - min` in the fewest bits, packed into 32-bit words without straddling
 * (first fit, widest first, to use as few words as possible).
 */
import { ModelError } from '../util/errors.ts';
import { describeDomain, rangeOf, type Domain, type DomainContext } from '../model/domain.ts';

export interface Layout {
  readonly slots: number;
  readonly words: number;
  readonly bits: number;
  readonly min: Int32Array;
  /** max - min per slot (unsigned). */
  readonly span: Uint32Array;
  readonly mask: Uint32Array;
  readonly word: Int32Array;
  readonly shift: Int32Array;
  readonly slotName: readonly string[];
  readonly describe: (slot: number) => string;
}

export function makeLayout(domains: readonly Domain[], slotName: readonly string[], ctx: DomainContext): Layout {
  const n = domains.length;
  const min = new Int32Array(n), span = new Uint32Array(n), mask = new Uint32Array(n), word = new Int32Array(n), shift = new Int32Array(n);
  const width = new Int32Array(n);
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const [lo, hi] = rangeOf(domains[i] as Domain, ctx);
    const w = hi === lo ? 0 : 32 - Math.clz32(hi - lo);
    if (hi - lo > 0xffffffff) throw new ModelError('KMC013', `${slotName[i]}: domain wider than 32 bits`);
    min[i] = lo; span[i] = hi - lo; width[i] = w; mask[i] = w === 32 ? 0xffffffff : (1 << w) - 1;
    bits += w;
  }
  // first fit, widest slots first: fewer words than declaration order (a 63-bit state fits in two)
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => width[b]! - width[a]! || a - b);
  const used: number[] = [];
  for (const i of order) {
    let w = used.findIndex((u) => u + width[i]! <= 32);
    if (w < 0) w = used.push(0) - 1;
    word[i] = w; shift[i] = used[w]!; used[w]! += width[i]!;
  }
  const describe = (i: number): string => `${slotName[i]}: ${describeDomain(domains[i] as Domain, ctx)}`;
  return { slots: n, words: used.length, bits, min, span, mask, word, shift, slotName, describe };
}

/** Packs slot values into `out[at..at+words)`; returns the first out-of-domain slot, or -1. */
export function pack(l: Layout, slots: Int32Array, out: Uint32Array | Int32Array, at: number): number {
  const { min, span, word, shift, words } = l;
  for (let i = 0; i < words; i++) out[at + i] = 0;
  for (let i = 0; i < l.slots; i++) {
    const v = (slots[i]! - min[i]!) >>> 0;
    if (v > span[i]!) return i;
    out[at + word[i]!] |= v << shift[i]!;
  }
  return -1;
}

export function unpack(l: Layout, src: Uint32Array | Int32Array, at: number, slots: Int32Array): void {
  const { min, mask, word, shift } = l;
  for (let i = 0; i < l.slots; i++) {
    slots[i] = (((src[at + word[i]!]! >>> shift[i]!) & mask[i]!) + min[i]!) | 0;
  }
}

/**
 * Packs a successor given as changes to a packed parent: copies the parent's words from
 * `src[from..]` to `out[at..]`, then rewrites the `n` changed slots. Returns the first
 * out-of-domain change's index into `slots`, or -1.
 */
export function packDelta(l: Layout, src: Uint32Array, from: number, out: Uint32Array, at: number,
  slots: Int32Array, vals: Int32Array, n: number): number {
  const { min, span, mask, word, shift } = l;
  for (let i = 0; i < l.words; i++) out[at + i] = src[from + i]!;
  for (let k = 0; k < n; k++) {
    const s = slots[k]!, v = (vals[k]! - min[s]!) >>> 0;
    if (v > span[s]!) return k;
    const w = at + word[s]!;
    out[w] = (out[w]! & ~(mask[s]! << shift[s]!)) | (v << shift[s]!);
  }
  return -1;
}

/**
 * `unpack` specialised to one layout: straight-line code with the shifts, masks and minimums
 * inlined (generated once per instance; the generic loop was a measurable part of each expansion).
 */
export function compileUnpack(l: Layout): (src: Uint32Array, at: number, slots: Int32Array) => void {
  const lines: string[] = [];
  for (let i = 0; i < l.slots; i++) {
    const m = l.mask[i]!, sh = l.shift[i]!, w = l.word[i]!, min = l.min[i]!;
    const v = m === 0 ? '0' : `((src[at + ${w}] >>> ${sh}) & ${m >>> 0})`;
    lines.push(`slots[${i}] = (${v} + ${min}) | 0;`);
  }
  return new Function('src', 'at', 'slots', lines.join('\n')) as (src: Uint32Array, at: number, slots: Int32Array) => void;
}
