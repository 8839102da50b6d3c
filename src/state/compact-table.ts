/**
 * @internal Visited set by hash compaction (SPIN's `-DHC`, Wolper and Leroy's "hash
 * compaction"): a fixed table of 32-bit cells sized from the memory budget, each holding 28
 * bits of a state's 64-bit fingerprint; the cell's home (which the fingerprint's other half
 * picks, and which the cell keeps as its distance from home) is the rest of what is kept
 * (quotienting). Two states whose fingerprints agree on the kept bits are taken for one: the
 * second is omitted, with the probability `omission` estimates.
 *
 * Cells: remainder (28 bits) above the displacement + 1 (4 bits; 0 is an empty cell). Robin
 * Hood linear probing: an entry further from its home takes the cell of one nearer to its
 * own, so that a lookup stops at the first entry nearer to its home than the lookup is, and
 * displacements stay short. An entry pushed past the largest displacement goes to a small
 * exact table aside (`overflow`), keyed by its home and remainder; a lookup that walks the
 * whole run looks there.
 *
 * Until the table would be 1/16 full (or 2^24 states) the set is an exact `FpTable` (small
 * searches pay nothing: no table of the budget's size, no omission); then every fingerprint
 * moves over.
 */
import { FpTable } from './fp-table.ts';

const DISP_BITS = 4, MAX_DISP = (1 << DISP_BITS) - 2, REM_BITS = 32 - DISP_BITS;
/** Stop (the budget is spent) past this load: longer runs would slow every lookup. */
export const COMPACT_LOAD = 0.9;

/** Wolper and Leroy's estimate for `n` states of `bits` kept bits each: expected omitted states, and the probability of any. */
export function omission(n: number, bits: number): { expected: number; p: number } {
  const expected = (n * n) / 2 ** (bits + 1);
  return { expected, p: -Math.expm1(-expected) };
}

export class CompactTable {
  /** Cells of the compact table (from the budget). */
  readonly cells: number;
  #t: Uint32Array | undefined;
  /** The exact phase; then the entries pushed past the largest displacement (home, remainder). */
  #exact: FpTable | undefined = new FpTable();
  readonly #overflow = new FpTable(4);
  /** Bits kept per state once compacted: the home's and the remainder's. */
  readonly bits: number;
  size = 0;

  /** A table of `bytes` (rounded down to 32-bit cells) once it is compacted; `compactAt`: states kept exactly before (default 1/16 of the cells, at most 2^24). */
  constructor(bytes: number, readonly compactAt?: number) {
    this.cells = Math.max(64, Math.min(2 ** 32 - 1, Math.floor(bytes / 4)));
    this.bits = Math.log2(this.cells) + REM_BITS;
  }

  /** True once the set keeps only the compacted bits (an omission has become possible). */
  compacted = false;

  get bytes(): number { return (this.#t?.byteLength ?? 0) + (this.#exact?.bytes ?? 0) + this.#overflow.bytes; }

  /** True if `n` more states would grow the exact phase's table (never once compacted: the table is fixed). */
  growsWith(n: number): boolean { return this.#exact !== undefined && this.#exact.growsWith(n); }

  /** True if `n` more states could pass the load the table is searched at (or 2^31 states: state ids are 31-bit). */
  fullWith(n: number): boolean { return this.size + n > Math.min(COMPACT_LOAD * this.cells, 2 ** 31 - 1); }

  /** Drops the table (the search is over: its result does not read it). */
  release(): void { this.#t = undefined; this.#exact = undefined; }

  /** The first word of the home cell (a prefetch, as `FpTable.home`). */
  home(lo: number, hi: number): number {
    const t = this.#t;
    return t === undefined ? this.#exact!.home(lo, hi) : t[this.#home(hi)]!;
  }

  #home(hi: number): number { return Math.floor((hi >>> 0) * this.cells / 2 ** 32); }

  /** Adds the state of fingerprint (lo, hi); true if it was not there (as far as the kept bits tell). */
  add(lo: number, hi: number): boolean {
    const t = this.#t;
    if (t === undefined) {
      if (!this.#exact!.add(lo, hi)) return false;
      this.size++;
      if (this.size >= (this.compactAt ?? Math.min(this.cells / 16, 2 ** 24))) this.#compact();
      return true;
    }
    if (!this.#put(t, this.#home(hi), lo >>> DISP_BITS)) return false;
    this.size++;
    return true;
  }

  /** Robin Hood insertion of (home, rem); false if it is there. */
  #put(t: Uint32Array, h: number, rem: number): boolean {
    const cells = this.cells;
    let i = h, d = 0;
    for (;;) {
      const c = t[i]!;
      if (c === 0) { t[i] = ((rem << DISP_BITS) | (d + 1)) >>> 0; return true; }
      const cd = (c & ((1 << DISP_BITS) - 1)) - 1;
      if (cd === d && c >>> DISP_BITS === rem) return false;
      if (cd < d) break;
      if (++d > MAX_DISP) return this.#overflow.add(rem, h);
      if (++i === cells) i = 0;
    }
    // new: it takes cell i, and the entry there moves on (it was nearer to its home)
    let carry = t[i]!, cd = (carry & ((1 << DISP_BITS) - 1)) - 1;
    t[i] = ((rem << DISP_BITS) | (d + 1)) >>> 0;
    for (;;) {
      if (++i === cells) i = 0;
      if (++cd > MAX_DISP) { this.#overflow.add(carry >>> DISP_BITS, (i - cd + cells) % cells); return true; }
      const c = t[i]!;
      if (c === 0) { t[i] = ((carry & ~((1 << DISP_BITS) - 1)) | (cd + 1)) >>> 0; return true; }
      const od = (c & ((1 << DISP_BITS) - 1)) - 1;
      if (od < cd) { t[i] = ((carry & ~((1 << DISP_BITS) - 1)) | (cd + 1)) >>> 0; carry = c; cd = od; }
    }
  }

  /** Leaves the exact phase: every fingerprint so far, compacted. */
  #compact(): void {
    const t = new Uint32Array(this.cells), { cells, zero } = this.#exact!.raw;
    this.#t = t; this.compacted = true;
    if (zero) this.#put(t, this.#home(0), 0);
    for (const c of cells)
      for (let j = 0; j < c.length; j += 2) if (c[j] !== 0 || c[j + 1] !== 0) this.#put(t, this.#home(c[j + 1]!), c[j]! >>> DISP_BITS);
    this.#exact = undefined;
  }

  /** Entries past the largest displacement (kept exactly aside). */
  get overflow(): number { return this.#overflow.size; }
}
