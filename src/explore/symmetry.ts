/**
 * @internal Symmetry reduction (`--symmetry`): the search stores one state per orbit of the
 * declared group (`state/group.ts`), its canonical representative; properties are checked over
 * the orbit and counterexamples mapped back to a run of the model as declared (`orbit.ts`).
 *
 * A group element is a permutation p of the members: member i's slots go to member p[i]'s
 * (slot k to slot k), and every actor id stored in an `owner()` or `actorSet()` slot is renamed
 * with it. The representative is the least image in one fixed order of the slots — first the
 * members' id-free slots (pc, ints, bools, enums) member by member, then all their slots, then
 * the rest — so it is one state per orbit (exact, not SymmSpin's approximate "sorted"
 * strategy). For `permutation` the images worth comparing are those with the members sorted by
 * their id-free slots (the least prefix), whose ties are broken by trying their orders; for
 * `rotation`, the N rotations. Breadth-first search over representatives finds each orbit at
 * the least depth of its members, so the first violation is still a shortest one.
 */
import { ModelError } from '../util/errors.ts';
import { compileUnpack, pack } from '../state/layout.ts';
import type { Instance } from '../state/instance.ts';
import type { Group } from '../state/group.ts';

/** Value renaming per slot: none, an owner (actor id or NONE), an actor set (bitmask). */
const PLAIN = 0, OWNER = 1, ACTORS = 2;

/** Orbits larger than this are not enumerated (properties over the orbit, mapping traces back). */
export const MAX_ORBIT = 5040;

export class Canon {
  readonly n: number;
  readonly S: number;
  readonly #g: Group;
  readonly #kind: Uint8Array;
  /** Block positions k that hold no actor id. */
  readonly #plain: Int32Array;
  readonly #others: Int32Array;
  readonly #memberActors: Int32Array;
  readonly #A: number;
  // scratch
  readonly #perm: Int32Array;
  readonly #amap: Int32Array;
  readonly #cand: Int32Array;
  readonly #best: Int32Array;
  readonly #unpack: (src: Uint32Array, at: number, slots: Int32Array) => void;
  readonly #order: Int32Array;
  readonly #words: Uint32Array;
  readonly #tmp: Int32Array;
  readonly #rank: Int32Array;
  readonly #runAt: Int32Array;
  /** `permutation`: every arrangement of the n members (position -> member), made on first need. */
  #arrangements: Int32Array[] | undefined;

  constructor(readonly inst: Instance) {
    const g = inst.symmetry;
    if (g === undefined) throw new Error('Assertion failed: a canonicaliser for a model without symmetry');
    this.#g = g; this.n = g.blocks.length; this.S = inst.layout.slots; this.#A = inst.actors.length;
    this.#kind = Uint8Array.from(inst.slotDomain, (d) => d.kind === 'owner' ? OWNER : d.kind === 'set' && d.universe === 'actors' ? ACTORS : PLAIN);
    const b0 = g.blocks[0]!;
    this.#plain = Int32Array.from([...b0.keys()].filter((k) => this.#kind[b0[k]!] === PLAIN));
    const inBlock = new Set(g.blocks.flatMap((b) => [...b]));
    this.#others = Int32Array.from([...Array(this.S).keys()].filter((x) => !inBlock.has(x)));
    this.#memberActors = Int32Array.from(g.actors.flatMap((a) => [...a]));
    this.#perm = new Int32Array(this.n); this.#amap = new Int32Array(this.#A);
    this.#cand = new Int32Array(this.S); this.#best = new Int32Array(this.S);
    this.#unpack = compileUnpack(inst.layout);
    this.#order = new Int32Array(this.n);
    this.#words = new Uint32Array(Math.max(1, inst.layout.words));
    this.#tmp = new Int32Array(this.S);
    this.#rank = new Int32Array(this.n); this.#runAt = new Int32Array(this.n);
    if (g.kind === 'permutation' && factorial(this.n) > MAX_ORBIT) throw new ModelError('KMC013', `symmetric('permutation', ${this.n}): at most ${MAX_ORBIT} permutations (7 members)`);
  }

  /** `dst` := p applied to `src` (p[i]: where member i goes). */
  apply(p: Int32Array, src: Int32Array, dst: Int32Array): void {
    const g = this.#g, amap = this.#amap, kind = this.#kind;
    for (let a = 0; a < this.#A; a++) amap[a] = a;
    for (let i = 0; i < this.n; i++) { const from = g.actors[i]!, to = g.actors[p[i]!]!; for (let k = 0; k < from.length; k++) amap[from[k]!] = to[k]!; }
    dst.set(src);
    for (let i = 0; i < this.n; i++) { const from = g.blocks[i]!, to = g.blocks[p[i]!]!; for (let k = 0; k < from.length; k++) dst[to[k]!] = src[from[k]!]!; }
    const ma = this.#memberActors;
    for (let x = 0; x < this.S; x++) {
      const kd = kind[x]!;
      if (kd === PLAIN) continue;
      const v = dst[x]!;
      if (kd === OWNER) { if (v >= 0) dst[x] = amap[v]!; continue; }
      let out = v;
      for (let j = 0; j < ma.length; j++) out &= ~(1 << ma[j]!);
      for (let j = 0; j < ma.length; j++) { const a = ma[j]!; if ((v >>> a) & 1) out |= 1 << amap[a]!; }
      dst[x] = out;
    }
  }

  /** <0, 0, >0 as `a` comes before, equals or follows `b` in the canonical order. */
  #compare(a: Int32Array, b: Int32Array): number {
    const g = this.#g, plain = this.#plain;
    for (let i = 0; i < this.n; i++) { const bl = g.blocks[i]!; for (let j = 0; j < plain.length; j++) { const x = bl[plain[j]!]!; if (a[x] !== b[x]) return a[x]! - b[x]!; } }
    for (let i = 0; i < this.n; i++) { const bl = g.blocks[i]!; for (let k = 0; k < bl.length; k++) { const x = bl[k]!; if (a[x] !== b[x]) return a[x]! - b[x]!; } }
    const o = this.#others;
    for (let j = 0; j < o.length; j++) { const x = o[j]!; if (a[x] !== b[x]) return a[x]! - b[x]!; }
    return 0;
  }

  /** Replaces `s` by its orbit's representative; returns whether it changed. */
  canon(s: Int32Array): boolean {
    return this.#g.kind === 'rotation' ? this.#rotation(s) : this.#permutation(s);
  }

  /**
   * `rotation`: rotation r puts member (j - r) mod n at position j. Rotations are compared on
   * the id-free prefix by reading `s` (no copy); only a tie there builds the two images.
   */
  #rotation(s: Int32Array): boolean {
    const n = this.n, g = this.#g, plain = this.#plain, p = this.#perm;
    let best = 0, built = -1;
    for (let r = 1; r < n; r++) {
      let c = 0;
      for (let j = 0; j < n && c === 0; j++) {
        const a = g.blocks[(j - r + n) % n]!, b = g.blocks[(j - best + n) % n]!;
        for (let k = 0; k < plain.length; k++) { const d = s[a[plain[k]!]!]! - s[b[plain[k]!]!]!; if (d !== 0) { c = d; break; } }
      }
      if (c > 0) continue;
      if (c < 0) { best = r; continue; }
      // a tie on the prefix: the whole images decide
      if (built !== best) { for (let i = 0; i < n; i++) p[i] = (i + best) % n; this.apply(p, s, this.#best); built = best; }
      for (let i = 0; i < n; i++) p[i] = (i + r) % n;
      this.apply(p, s, this.#cand);
      if (this.#compare(this.#cand, this.#best) < 0) { best = r; built = r; this.#best.set(this.#cand); }
    }
    if (best === 0) return false;
    if (built !== best) { for (let i = 0; i < n; i++) p[i] = (i + best) % n; this.apply(p, s, this.#best); }
    if (this.#compare(this.#best, s) === 0) return false;
    s.set(this.#best);
    return true;
  }

  /**
   * `permutation`: the members sorted by their id-free slots (insertion sort: n is small); with
   * no ties that arrangement is the only candidate, else every arrangement that keeps each
   * member within its run of equal keys (from the list of all n! arrangements).
   */
  #permutation(s: Int32Array): boolean {
    const n = this.n, order = this.#order, p = this.#perm, rank = this.#rank, runAt = this.#runAt;
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = 1; i < n; i++) {
      const x = order[i]!;
      let j = i - 1;
      while (j >= 0 && this.#key(s, order[j]!, x) > 0) { order[j + 1] = order[j]!; j--; }
      order[j + 1] = x;
    }
    let runs = 0, ties = false;
    for (let j = 0; j < n; j++) {
      if (j > 0 && this.#key(s, order[j - 1]!, order[j]!) === 0) ties = true; else runs++;
      runAt[j] = runs; rank[order[j]!] = runs;
    }
    if (!ties) {
      let same = true;
      for (let j = 0; j < n; j++) { p[order[j]!] = j; if (order[j] !== j) same = false; }
      if (same) return false;
      this.apply(p, s, this.#best);
      s.set(this.#best);
      return true;
    }
    const all = this.#arrangements ??= arrangements(n);
    let have = false;
    for (const q of all) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) ok = rank[q[j]!] === runAt[j];
      if (!ok) continue;
      for (let j = 0; j < n; j++) p[q[j]!] = j;
      this.apply(p, s, this.#cand);
      if (!have || this.#compare(this.#cand, this.#best) < 0) { this.#best.set(this.#cand); have = true; }
    }
    if (this.#compare(this.#best, s) === 0) return false;
    s.set(this.#best);
    return true;
  }

  /** Members i and j compared on their id-free slots. */
  #key(s: Int32Array, i: number, j: number): number {
    const a = this.#g.blocks[i]!, b = this.#g.blocks[j]!, plain = this.#plain;
    for (let k = 0; k < plain.length; k++) { const d = s[a[plain[k]!]!]! - s[b[plain[k]!]!]!; if (d !== 0) return d; }
    return 0;
  }

  /** `canon` on a packed state at `words[at..]`, in place. */
  canonPacked(words: Uint32Array, at: number): void {
    const s = this.#tmp;
    this.#unpack(words, at, s);
    if (this.canon(s)) pack(this.inst.layout, s, words, at);
  }

  /** Every element of the group (the identity first), as member permutations. */
  elements(): Int32Array[] {
    const n = this.n;
    if (this.#g.kind === 'rotation') return Array.from({ length: n }, (_, r) => Int32Array.from({ length: n }, (_, i) => (i + r) % n));
    return arrangements(n);
  }

  /** A state of the orbit that differs from `s` under some element, or -1 if `s` is fixed by all: the initial state must be. */
  unfixedSlot(s: Int32Array): number {
    const t = new Int32Array(this.S);
    for (const p of this.elements()) { this.apply(p, s, t); for (let x = 0; x < this.S; x++) if (t[x] !== s[x]) return x; }
    return -1;
  }

  /** For `Permuted`: the slot of s each slot of p·s is read from, the renaming of actor ids, and its inverse. */
  renaming(p: Int32Array): Renaming {
    const g = this.#g, from = Int32Array.from({ length: this.S }, (_, x) => x), amap = new Int32Array(this.#A), ainv = new Int32Array(this.#A);
    for (let a = 0; a < this.#A; a++) { amap[a] = a; ainv[a] = a; }
    for (let i = 0; i < this.n; i++) {
      const fb = g.blocks[i]!, tb = g.blocks[p[i]!]!;
      for (let k = 0; k < fb.length; k++) from[tb[k]!] = fb[k]!;
      const fa = g.actors[i]!, ta = g.actors[p[i]!]!;
      for (let k = 0; k < fa.length; k++) { amap[fa[k]!] = ta[k]!; ainv[ta[k]!] = fa[k]!; }
    }
    return { from, amap, ainv };
  }

  /** Renames the actor ids in value `v` of slot `x`. */
  rename(x: number, v: number, amap: Int32Array): number {
    const kd = this.#kind[x]!;
    if (kd === PLAIN) return v;
    if (kd === OWNER) return v >= 0 ? amap[v]! : v;
    let out = v;
    for (const a of this.#memberActors) out &= ~(1 << a);
    for (const a of this.#memberActors) if ((v >>> a) & 1) out |= 1 << amap[a]!;
    return out;
  }

  /** The packed words of `s` (for fingerprint comparisons). */
  packed(s: Int32Array): Uint32Array { pack(this.inst.layout, s, this.#words, 0); return this.#words; }
}

/** What reading p·s through s needs: the slot each slot comes from, actor ids renamed, and back. */
export interface Renaming { readonly from: Int32Array; readonly amap: Int32Array; readonly ainv: Int32Array }

/** Every permutation of 0..n-1, the identity first. */
function arrangements(n: number): Int32Array[] {
  const out: Int32Array[] = [], used = new Uint8Array(n), cur: number[] = [];
  const rec = (): void => {
    if (cur.length === n) { out.push(Int32Array.from(cur)); return; }
    for (let x = 0; x < n; x++) { if (used[x]) continue; used[x] = 1; cur.push(x); rec(); cur.pop(); used[x] = 0; }
  };
  rec();
  return out;
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
