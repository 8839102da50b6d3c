/**
 * @internal The full reachable state graph, for liveness: BFS over the same successor function
 * as the fast explorer (through its memo, `expander.ts`), but every edge is kept (CSR:
 * `offsets`, `targets`, `edges` = edge ids), with per state the mask of enabled actors, the
 * truth of each liveness property's `from` / `to` predicates and its fingerprint's check byte.
 * Which steps are enabled in a state is its edges' ids: the fair-cycle search reads the
 * strongly fair handoff steps (`StepSpec.handoff`) off them, with no column of its own.
 *
 * Compact on purpose: 4 bytes per state of offsets, 4 + 2 per edge (edge ids in 16 bits
 * when the model has fewer than 65,536 edges), and per state one byte per property, one check
 * byte and the enabled mask in the fewest bytes the actor count allows. Packed states are kept
 * only for the level being expanded and the next; the fingerprint → id table lives only while
 * the graph is built. Columns grow in place (growable buffers): no copy at the end.
 *
 * Built in one thread: every edge needs its target's id, which a parallel build (`part.ts`)
 * knows only after a round's new states are numbered, and the fair-cycle search that follows
 * (`check/liveness.ts`: Tarjan's SCCs, refined) is sequential.
 */
import { pack } from '../state/layout.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import { Expander } from './expander.ts';
import { Grown } from './shared.ts';
import { SLICE_MS, type Progress } from './options.ts';
import type { Property } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';

type LeadsTo = Extract<Property, { kind: 'leadsTo' }>;

export interface StateGraph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly edges: Uint16Array | Int32Array;
  readonly enabled: Uint8Array | Uint16Array | Uint32Array;
  /** Per property: bit 0 `from`, bit 1 `to`. */
  readonly flags: readonly Uint8Array[];
  readonly bytes: number;
  readonly transitions: number;
  readonly depth: number;
  /** Why the graph is not the whole reachable graph, if it is not. */
  readonly incomplete: string | undefined;
  /** The low byte of state `id`'s fingerprint (for replay checks). */
  checkByte(id: number): number;
}

/** Fingerprint → state id, open addressing over (lo, hi, id + 1) triples. */
class IdTable {
  t = new Int32Array(3 << 12); mask = (1 << 12) - 1; size = 0;
  find(lo: number, hi: number): number {
    for (let i = (lo ^ (hi >>> 7)) & this.mask; ; i = (i + 1) & this.mask) {
      const k = 3 * i;
      if (this.t[k + 2] === 0) return -1;
      if (this.t[k] === lo && this.t[k + 1] === hi) return this.t[k + 2]! - 1;
    }
  }
  get(lo: number, hi: number, id: number): number {
    for (let i = (lo ^ (hi >>> 7)) & this.mask; ; i = (i + 1) & this.mask) {
      const k = 3 * i;
      if (this.t[k + 2] === 0) { this.t[k] = lo; this.t[k + 1] = hi; this.t[k + 2] = id + 1; if (++this.size * 4 > (this.mask + 1) * 3) this.grow(); return -1; }
      if (this.t[k] === lo && this.t[k + 1] === hi) return this.t[k + 2]! - 1;
    }
  }
  grow(): void {
    const old = this.t;
    this.mask = 2 * this.mask + 1; this.t = new Int32Array(3 * (this.mask + 1)); this.size = 0;
    for (let k = 0; k < old.length; k += 3) if (old[k + 2] !== 0) this.get(old[k]!, old[k + 1]!, old[k + 2]! - 1);
  }
}

/** A column that grows by pushes, in place. */
class Column<V extends Int32Array | Uint16Array | Uint8Array | Uint32Array> {
  readonly g: Grown<V>;
  n = 0;
  #v: V;
  constructor(ctor: ConstructorParameters<typeof Grown<V>>[0]) { this.g = new Grown(ctor); this.#v = this.g.view; }
  push(x: number): void {
    if (this.n === this.#v.length) this.#v = this.g.ensure(Math.max(1024, this.n + 1));
    this.#v[this.n++] = x;
  }
  get(i: number): number { return this.#v[i]!; }
  /** The first `n` elements (a view: no copy). */
  done(n = this.n): V { return this.#v.subarray(0, n) as V; }
  get bytes(): number { return this.n * this.#v.BYTES_PER_ELEMENT; }
}

export function* buildGraph(inst: Instance, props: readonly LeadsTo[], maxStates = Infinity, maxMemory = Infinity): Generator<Progress, StateGraph, void> {
  const t0 = performance.now(), L = inst.layout, W = Math.max(1, L.words), A = inst.actors.length;
  const ex = new Expander(inst, props.flatMap((p) => [{ name: p.name, fn: p.from }, { name: p.name, fn: p.to }]));
  const table = new IdTable();
  const offsets = new Column(Int32Array), targets = new Column(Int32Array);
  const edgeIds = inst.edges.length < 0xffff ? new Column(Uint16Array) : new Column(Int32Array);
  const enabled = A <= 8 ? new Column(Uint8Array) : A <= 16 ? new Column(Uint16Array) : new Column(Uint32Array);
  const check = new Column(Uint8Array);
  const flags = props.map(() => new Column(Uint8Array));
  let level = new Uint32Array(W * 1024), next = new Uint32Array(W * 1024), levelCount = 1, nextCount = 0;
  let n = 1, transitions = 1, depth = 0, incomplete: string | undefined;
  const bytes = (): number => offsets.bytes + targets.bytes + edgeIds.bytes + enabled.bytes + check.bytes
    + flags.reduce((x, f) => x + f.bytes, 0) + table.t.byteLength + level.byteLength + next.byteLength + ex.bytes;
  pack(L, ex.succ.initial().buf, level, 0);
  fingerprint(level, 0, W);
  table.get(fp.lo, fp.hi, 0);
  check.push(fp.lo & 0xff);
  let yieldAt = t0 + SLICE_MS;
  for (let id = 0; id < n && incomplete === undefined;) {
    ex.depth = depth;
    for (let k = 0; k < levelCount && incomplete === undefined; k++, id++) {
      offsets.push(targets.n);
      ex.unpack(level, k * W, ex.cur);
      for (let i = 0; i < props.length; i++) flags[i]!.push((ex.holds(2 * i) ? 1 : 0) | (ex.holds(2 * i + 1) ? 2 : 0));
      const m = ex.enabled();
      let mask = 0;
      for (let j = 0; j < m; j++) {
        const e = ex.edge[j]!;
        mask |= 1 << inst.edges[e]!.actor;
        transitions++;
        if ((nextCount + 1) * W > next.length) { const g = new Uint32Array(next.length * 2); g.set(next); next = g; }
        const at = nextCount * W;
        ex.pack(ex.leaf[j]!, level, k * W, next, at);
        fingerprint(next, at, W);
        const lo = fp.lo, hi = fp.hi;
        let target: number;
        if (n >= maxStates) {
          target = table.find(lo, hi);
          if (target < 0) { incomplete = `--max-states ${maxStates} reached`; break; }   // a new state beyond the bound
        } else {
          target = table.get(lo, hi, n);
          if (target < 0) { target = n++; nextCount++; check.push(lo & 0xff); }
        }
        targets.push(target); edgeIds.push(e);
      }
      enabled.push(mask);
      if ((id & 255) === 255 && performance.now() >= yieldAt) {
        if (bytes() > maxMemory) { incomplete = `--max-memory ${maxMemory} B reached`; id++; break; }
        yield { phase: 'liveness graph', states: n, depth: depth + 1, queue: n - id, seconds: (performance.now() - t0) / 1000 };
        yieldAt = performance.now() + SLICE_MS;
      }
    }
    if (incomplete !== undefined) { n = Math.min(n, id); break; }
    if (nextCount === 0) break;
    [level, next] = [next, level];
    levelCount = nextCount; nextCount = 0; depth++;
  }
  offsets.push(targets.n);
  const g = {
    n, offsets: offsets.done(n + 1), targets: targets.done(), edges: edgeIds.done(), enabled: enabled.done(n),
    flags: flags.map((f) => f.done(n)), transitions, depth, incomplete,
    checkByte: (s: number): number => check.get(s),
  };
  const held = [g.offsets, g.targets, g.edges, g.enabled, ...g.flags, check.done(n)];
  return { ...g, bytes: held.reduce((x, a) => x + a.byteLength, 0) };
}

/**
 * The BFS tree of a graph: each state's parent and the edge id that discovered it (what a
 * drawing or a replay of every state needs). Not stored: states are numbered as discovered, so
 * a state's discoverer is the first state, in id order, with an edge to it.
 */
export function treeOf(g: StateGraph): { readonly parent: Int32Array; readonly via: Int32Array } {
  const parent = new Int32Array(g.n).fill(-1), via = new Int32Array(g.n);
  for (let u = 0; u < g.n; u++)
    for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) {
      const v = g.targets[k]!;
      if (v !== 0 && parent[v] === -1) { parent[v] = u; via[v] = g.edges[k]!; }
    }
  return { parent, via };
}
