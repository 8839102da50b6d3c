/**
 * @internal The full reachable state graph, for liveness: BFS like the fast explorer, over the
 * same successor function, but every edge is kept (CSR: `offsets`, `targets`, `edges` = edge
 * ids), with per state the mask of enabled actors and the truth of each liveness property's
 * `from` / `to` predicates. Typed arrays only; `bytes` is what it holds.
 */
import { compileUnpack, pack, packDelta } from '../state/layout.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import { SlotState } from '../state/slot-state.ts';
import { Chunked } from './chunked.ts';
import { attribute } from './semantics.ts';
import { truth } from '../model/truth.ts';
import { Successors, domainError } from './successors.ts';
import { SLICE_MS, type Progress } from './options.ts';
import type { Property } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';

type LeadsTo = Extract<Property, { kind: 'leadsTo' }>;

export interface StateGraph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly edges: Int32Array;
  /** BFS tree: parent state and edge id (shortest paths from the initial state). */
  readonly parent: Int32Array;
  readonly via: Int32Array;
  readonly enabled: Uint32Array;
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

/** Fingerprint → state id, open addressing over (lo, hi, id) triples. */
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

export function* buildGraph(inst: Instance, props: readonly LeadsTo[], maxStates = Infinity, maxMemory = Infinity): Generator<Progress, StateGraph, void> {
  const t0 = performance.now(), L = inst.layout, W = Math.max(1, L.words), unpack = compileUnpack(L);
  const succ = new Successors(inst), sc = succ.sc, cur = new Int32Array(L.slots), base = new SlotState(cur, sc, -1);
  const table = new IdTable();
  let states = new Uint32Array(W * 1024);
  const offsets = new Chunked(Int32Array), targets = new Chunked(Int32Array), edgeIds = new Chunked(Int32Array);
  const parent = new Chunked(Int32Array), via = new Chunked(Int32Array), depthOf = new Chunked(Int32Array), enabled = new Chunked(Uint32Array);
  const flags = props.map(() => new Chunked(Uint8Array));
  let n = 0, transitions = 1, incomplete: string | undefined, where = 'the initial state', id = 0, mask = 0;
  const bytes = (): number => offsets.bytes + targets.bytes + edgeIds.bytes + parent.bytes + via.bytes + depthOf.bytes + enabled.bytes
    + flags.reduce((x, f) => x + f.bytes, 0) + table.t.byteLength + states.byteLength;
  const add = (at: number, par: number, e: number, d: number): number => {
    fingerprint(states, at, W);
    const known = table.get(fp.lo, fp.hi, n);
    if (known >= 0) return known;
    parent.push(par); via.push(e); depthOf.push(d);
    return n++;
  };
  const visit = (e: { id: number; actor: number }, _after: SlotState): void => {
    mask |= 1 << e.actor;
    transitions++;
    if (n * W + W > states.length) { const g = new Uint32Array(states.length * 2); g.set(states); states = g; }
    const at = n * W, bad = packDelta(L, states, id * W, states, at, sc.slot, sc.val, sc.n);
    if (bad >= 0) domainError(inst, sc.slot[bad]!, sc.val[bad]!, inst.edges[e.id]);
    if (n >= maxStates) {
      fingerprint(states, at, W);
      const known = table.find(fp.lo, fp.hi);
      if (known < 0) { incomplete = `--max-states ${maxStates} reached`; return; }   // a new state beyond the bound
      targets.push(known); edgeIds.push(e.id);
      return;
    }
    targets.push(add(at, id, e.id, depthOf.get(id) + 1)); edgeIds.push(e.id);
  };
  try {
    pack(L, succ.initial().buf, states, 0);
    add(0, -1, -1, 0);
    let yieldAt = t0 + SLICE_MS;
    for (; id < n; id++) {
      offsets.push(targets.length);
      unpack(states, id * W, cur);
      props.forEach((p, i) => {
        where = `property '${p.name}'`;
        flags[i]!.push((truth(p.from(base), where) ? 1 : 0) | (truth(p.to(base), where) ? 2 : 0));
      });
      where = 'expanding a state';
      mask = 0;
      succ.expand(base, visit);
      enabled.push(mask);
      if ((id & 255) === 255 && performance.now() >= yieldAt) {
        if (bytes() > maxMemory) { incomplete = `--max-memory ${maxMemory} B reached`; id++; break; }
        yield { phase: 'liveness graph', states: n, depth: depthOf.get(id), queue: n - id, seconds: (performance.now() - t0) / 1000 };
        yieldAt = performance.now() + SLICE_MS;
      }
    }
  } catch (err) {
    attribute(err, where);
  }
  if (incomplete !== undefined) n = Math.min(n, id);
  offsets.push(targets.length);
  const arr = <C extends Int32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor>(c: Chunked, len: number, C: C) => { const a = new C(len); for (let i = 0; i < len; i++) a[i] = c.get(i); return a as InstanceType<C>; };
  const g = {
    n,
    offsets: arr(offsets, n + 1, Int32Array), targets: arr(targets, targets.length, Int32Array),
    edges: arr(edgeIds, edgeIds.length, Int32Array), parent: arr(parent, n, Int32Array),
    via: arr(via, n, Int32Array), enabled: arr(enabled, n, Uint32Array),
    flags: flags.map((f) => arr(f, n, Uint8Array)),
    transitions, depth: n ? depthOf.get(n - 1) : 0, incomplete,
    checkByte: (s: number): number => { fingerprint(states, s * W, W); return fp.lo & 0xff; },
  };
  const held = [g.offsets, g.targets, g.edges, g.parent, g.via, g.enabled, ...g.flags, table.t, states.subarray(0, n * W)];
  return { ...g, bytes: held.reduce((x, a) => x + a.byteLength, 0) };
}
