/**
 * @internal Visited set of 64-bit fingerprints: open addressing with linear probing in one
 * Int32Array of (lo, hi) pairs, no JS object per state (V8's Map/Set stop at 2^24 entries).
 * The pair (0, 0) marks an empty cell, so the one state fingerprinted (0, 0) is tracked aside.
 */
export class FpTable {
  #t: Int32Array;
  #mask: number;
  #limit: number;
  #zero = false;
  size = 0;

  constructor(capacityLog2 = 16) {
    this.#t = new Int32Array(2 << capacityLog2);
    this.#mask = (1 << capacityLog2) - 1;
    this.#limit = Math.floor((1 << capacityLog2) * 0.75);
  }

  get bytes(): number { return this.#t.byteLength; }

  /** True if `n` more entries would make the table grow (to twice its bytes, the old table alive meanwhile). */
  growsWith(n: number): boolean { return this.size + n > this.#limit; }

  /**
   * Reads the home cell of each of `n` fingerprints, so that their cache misses overlap before
   * the inserts that follow (a software prefetch; the result only keeps the loads alive).
   */
  touch(lo: Int32Array, hi: Int32Array, n: number): number {
    const t = this.#t, mask = this.#mask;
    let acc = 0;
    for (let j = 0; j < n; j++) acc ^= t[2 * ((lo[j]! ^ (hi[j]! >>> 7)) & mask)]!;
    return acc;
  }

  /** The first word of the fingerprint's home cell: reading it early makes the later probe a cache hit. */
  home(lo: number, hi: number): number { return this.#t[2 * ((lo ^ (hi >>> 7)) & this.#mask)]!; }

  /** True if the fingerprint is in the set. */
  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) return this.#zero;
    const t = this.#t, mask = this.#mask;
    for (let i = (lo ^ (hi >>> 7)) & mask; ; i = (i + 1) & mask) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return true;
      if (a === 0 && b === 0) return false;
    }
  }

  /** Adds the fingerprint; true if it was not there. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) {
      if (this.#zero) return false;
      this.#zero = true; this.size++;
      return true;
    }
    const t = this.#t, mask = this.#mask;
    for (let i = (lo ^ (hi >>> 7)) & mask; ; i = (i + 1) & mask) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return false;
      if (a === 0 && b === 0) {
        t[2 * i] = lo; t[2 * i + 1] = hi;
        if (++this.size > this.#limit) this.#grow();
        return true;
      }
    }
  }

  /** The table's cells and whether the (0, 0) fingerprint is in (to hand the set to other threads). */
  get raw(): { readonly cells: Int32Array; readonly zero: boolean } { return { cells: this.#t, zero: this.#zero }; }

  /** A table of the fingerprints of `raw` that `keep` accepts. */
  static from(raw: { readonly cells: Int32Array; readonly zero: boolean }, keep: (lo: number, hi: number) => boolean): FpTable {
    const t = new FpTable(Math.max(12, 31 - Math.clz32(raw.cells.length / 2) - 1));
    if (raw.zero && keep(0, 0)) t.add(0, 0);
    const c = raw.cells;
    for (let j = 0; j < c.length; j += 2) if ((c[j] !== 0 || c[j + 1] !== 0) && keep(c[j]!, c[j + 1]!)) t.add(c[j]!, c[j + 1]!);
    return t;
  }

  #grow(): void {
    const old = this.#t;
    const cap = 2 * (this.#mask + 1);
    this.#t = new Int32Array(2 * cap);
    this.#mask = cap - 1;
    this.#limit = Math.floor(cap * 0.75);
    const t = this.#t, mask = this.#mask;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!, hi = old[j + 1]!;
      if (lo === 0 && hi === 0) continue;
      let i = (lo ^ (hi >>> 7)) & mask;
      while (t[2 * i] !== 0 || t[2 * i + 1] !== 0) i = (i + 1) & mask;
      t[2 * i] = lo; t[2 * i + 1] = hi;
    }
  }
}
