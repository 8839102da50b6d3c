/**
 * @internal Visited set of 64-bit fingerprints: open addressing with linear probing in
 * Int32Arrays of (lo, hi) pairs, no JS object per state (V8's Map/Set stop at 2^24 entries).
 * The pair (0, 0) marks an empty cell, so the one state fingerprinted (0, 0) is tracked aside.
 *
 * Memory is what bounds a search, so the set is 16 sub-tables (by the fingerprint's low bits)
 * that double one at a time: growing one holds 1/16 of the set twice, not all of it.
 */
const SUBS = 16, FIRST = 64, LOAD = 0.75;

/** The home cell of a fingerprint in a table of `cap` (a power of two) cells. */
const home = (lo: number, hi: number, cap: number): number => (lo ^ (hi >>> 7)) & (cap - 1);

export class FpTable {
  readonly #t: Int32Array[] = [];
  /** With `ids`: per sub-table, the state id of each cell (what `addId` answers). */
  readonly #ids: Int32Array[] | undefined;
  readonly #cap = new Int32Array(SUBS);
  readonly #used = new Int32Array(SUBS);
  #zero = false;
  #zeroId = -1;
  size = 0;

  /** `ids`: also keep each fingerprint's state id (`addId`), 4 bytes more per cell. */
  constructor(capacityLog2 = 12, ids = false) {
    const cap = Math.max(FIRST, 1 << Math.max(0, capacityLog2 - 4));
    for (let s = 0; s < SUBS; s++) { this.#t.push(new Int32Array(2 * cap)); this.#cap[s] = cap; }
    this.#ids = ids ? Array.from({ length: SUBS }, (_, s) => new Int32Array(this.#cap[s]!)) : undefined;
  }

  get bytes(): number { return this.#t.reduce((n, t) => n + t.byteLength, 0) + (this.#ids?.reduce((n, t) => n + t.byteLength, 0) ?? 0); }

  /** True if `n` more entries would make some sub-table grow (double, the old one alive meanwhile). */
  growsWith(n: number): boolean {
    const each = Math.ceil((n * 1.25) / SUBS);
    for (let s = 0; s < SUBS; s++) if (this.#used[s]! + each > this.#cap[s]! * LOAD) return true;
    return false;
  }

  /** The first word of the fingerprint's home cell: reading it early makes the later probe a cache hit. */
  home(lo: number, hi: number): number { const s = lo & (SUBS - 1); return this.#t[s]![2 * home(lo, hi, this.#cap[s]!)]!; }

  /** True if the fingerprint is in the set. */
  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) return this.#zero;
    const s = lo & (SUBS - 1), t = this.#t[s]!, cap = this.#cap[s]!;
    for (let i = home(lo, hi, cap); ; i = (i + 1) & (cap - 1)) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return true;
      if (a === 0 && b === 0) return false;
    }
  }

  /** The state id the fingerprint was added with (a table made with `ids`), or -1 if it is not in the set. */
  idOf(lo: number, hi: number): number {
    if (lo === 0 && hi === 0) return this.#zero ? this.#zeroId : -1;
    const s = lo & (SUBS - 1), t = this.#t[s]!, cap = this.#cap[s]!;
    for (let i = home(lo, hi, cap); ; i = (i + 1) & (cap - 1)) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return this.#ids![s]![i]!;
      if (a === 0 && b === 0) return -1;
    }
  }

  /** Adds the fingerprint; true if it was not there. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) {
      if (this.#zero) return false;
      this.#zero = true; this.size++;
      return true;
    }
    const s = lo & (SUBS - 1), t = this.#t[s]!, cap = this.#cap[s]!;
    for (let i = home(lo, hi, cap); ; i = (i + 1) & (cap - 1)) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return false;
      if (a === 0 && b === 0) {
        t[2 * i] = lo; t[2 * i + 1] = hi;
        this.size++;
        if (++this.#used[s]! > cap * LOAD) this.#grow(s);
        return true;
      }
    }
  }

  /**
   * Adds the fingerprint with state id `id` (a table made with `ids`); -1 if it was not there,
   * else the id it was added with.
   */
  addId(lo: number, hi: number, id: number): number {
    if (lo === 0 && hi === 0) {
      if (this.#zero) return this.#zeroId;
      this.#zero = true; this.#zeroId = id; this.size++;
      return -1;
    }
    const s = lo & (SUBS - 1), t = this.#t[s]!, cap = this.#cap[s]!;
    for (let i = home(lo, hi, cap); ; i = (i + 1) & (cap - 1)) {
      const a = t[2 * i]!, b = t[2 * i + 1]!;
      if (a === lo && b === hi) return this.#ids![s]![i]!;
      if (a === 0 && b === 0) {
        t[2 * i] = lo; t[2 * i + 1] = hi; this.#ids![s]![i] = id;
        this.size++;
        if (++this.#used[s]! > cap * LOAD) this.#grow(s);
        return -1;
      }
    }
  }

  /** The sub-tables' cells and whether the (0, 0) fingerprint is in (to hand the set to other threads). */
  get raw(): { readonly cells: readonly Int32Array[]; readonly zero: boolean } { return { cells: this.#t, zero: this.#zero }; }

  /**
   * A table of the fingerprints of `raw` that `keep` accepts, each sub-table sized for what it
   * keeps from the start (a search handed to a team splits its set so: growing from empty
   * rehashed it some ten times, 0.1 s of the handover at 0.4M states).
   */
  static from(raw: { readonly cells: readonly Int32Array[]; readonly zero: boolean }, keep: (lo: number, hi: number) => boolean): FpTable {
    const kept = new Int32Array(SUBS);
    for (const c of raw.cells)
      for (let j = 0; j < c.length; j += 2) if ((c[j] !== 0 || c[j + 1] !== 0) && keep(c[j]!, c[j + 1]!)) kept[c[j]! & (SUBS - 1)]!++;
    const t = new FpTable();
    for (let s = 0; s < SUBS; s++) {
      let cap = FIRST;
      while (kept[s]! > cap * LOAD) cap *= 2;
      if (cap > t.#cap[s]!) { t.#t[s] = new Int32Array(2 * cap); t.#cap[s] = cap; }
    }
    if (raw.zero && keep(0, 0)) t.add(0, 0);
    for (const c of raw.cells)
      for (let j = 0; j < c.length; j += 2) if ((c[j] !== 0 || c[j + 1] !== 0) && keep(c[j]!, c[j + 1]!)) t.add(c[j]!, c[j + 1]!);
    return t;
  }

  #grow(s: number): void {
    const old = this.#t[s]!, cap = 2 * this.#cap[s]!;
    const t = new Int32Array(2 * cap), oldIds = this.#ids?.[s], ids = oldIds && new Int32Array(cap);
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!, hi = old[j + 1]!;
      if (lo === 0 && hi === 0) continue;
      let i = home(lo, hi, cap);
      while (t[2 * i] !== 0 || t[2 * i + 1] !== 0) i = (i + 1) & (cap - 1);
      t[2 * i] = lo; t[2 * i + 1] = hi;
      if (ids) ids[i] = oldIds![j >>> 1]!;
    }
    this.#t[s] = t; this.#cap[s] = cap;
    if (ids) this.#ids![s] = ids;
  }
}
