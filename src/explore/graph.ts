/**
 * @internal The full reachable state graph, for liveness: BFS like the fast explorer, but every
 * edge is kept (CSR: `offsets`, `targets`, `edges` = edge ids), with per state the mask of
 * enabled actors and the truth of each liveness property's `from` / `to` predicates. Typed
 * arrays only; `bytes` is what it holds.
 */
import { ModelError } from '../util/errors.ts';
import { describeDomain } from '../model/domain.ts';
import { Scratch, SlotState } from '../state/slot-state.ts';
import { compileUnpack, pack, packDelta } from '../state/layout.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import { Chunked } from './chunked.ts';
import { attribute, fire, initial, stepWhere } from './semantics.ts';
import type { Edge } from '../model/compile.ts';
import type { Instance } from '../model/instance.ts';
import type { Property } from '../check/property.ts';

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
  readonly incomplete: boolean;
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

export function exploreGraph(inst: Instance, props: readonly LeadsTo[], maxStates = Infinity): StateGraph {
  const L = inst.layout, W = Math.max(1, L.words), unpack = compileUnpack(L);
  const sc = new Scratch(inst), cur = new Int32Array(L.slots), base = new SlotState(cur, sc, -1);
  const table = new IdTable();
  let states = new Uint32Array(W * 1024);
  const offsets = new Chunked(Int32Array), targets = new Chunked(Int32Array), edgeIds = new Chunked(Int32Array);
  const parent = new Chunked(Int32Array), via = new Chunked(Int32Array), depthOf = new Chunked(Int32Array), enabled = new Chunked(Uint32Array);
  const flags = props.map(() => new Chunked(Uint16Array));
  let n = 0, transitions = 1, incomplete = false, curEdge: Edge | undefined, where = 'the initial state';
  const add = (at: number, par: number, e: number, d: number): number => {
    fingerprint(states, at, W);
    const id = table.get(fp.lo, fp.hi, n);
    if (id >= 0) return id;
    parent.push(par); via.push(e); depthOf.push(d);
    return n++;
  };
  try {
    const s0 = initial(inst, new SlotState(inst.rawInit.slice(), sc, -1)).materialize();
    if (pack(L, s0, states, 0) >= 0) throw new ModelError('KMC001', `initial state out of domain`);
    add(0, -1, -1, 0);
    for (let id = 0; id < n; id++) {
      offsets.push(targets.length);
      unpack(states, id * W, cur);
      curEdge = undefined;
      props.forEach((p, i) => { where = `property '${p.name}'`; flags[i]!.push((p.from(base) ? 1 : 0) | (p.to(base) ? 2 : 0)); });
      let mask = 0;
      for (const act of inst.actors) {
        const pc = cur[act.pcSlot]!;
        if (pc === act.end) continue;
        for (const e of act.rests[pc]!.edges) {
          curEdge = e;
          if (e.when !== undefined && !e.when(base)) continue;
          mask |= 1 << act.ref.id;
          fire(inst, e, base);
          transitions++;
          if (n * W + W > states.length) { const g = new Uint32Array(states.length * 2); g.set(states); states = g; }
          const at = n * W, bad = packDelta(L, states, id * W, states, at, sc.slot, sc.val, sc.n);
          if (bad >= 0) throw new ModelError('KMC001', `${L.slotName[sc.slot[bad]!]} := ${sc.val[bad]}, domain ${describeDomain(inst.slotDomain[sc.slot[bad]!]!, inst.ctx)} [in ${stepWhere(inst, e)}]`);
          if (n >= maxStates) {
            fingerprint(states, at, W);
            const known = table.find(fp.lo, fp.hi);
            if (known < 0) { incomplete = true; continue; }   // a new state beyond the bound
            targets.push(known); edgeIds.push(e.id);
            continue;
          }
          targets.push(add(at, id, e.id, depthOf.get(id) + 1)); edgeIds.push(e.id);
        }
      }
      enabled.push(mask);
    }
  } catch (err) {
    attribute(err, curEdge ? stepWhere(inst, curEdge) : where);
  }
  offsets.push(targets.length);
  const arr = (c: Chunked, len: number, C: Int32ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor) => { const a = new C(len); for (let i = 0; i < len; i++) a[i] = c.get(i); return a; };
  const g = {
    n,
    offsets: arr(offsets, n + 1, Int32Array) as Int32Array, targets: arr(targets, targets.length, Int32Array) as Int32Array,
    edges: arr(edgeIds, edgeIds.length, Int32Array) as Int32Array, parent: arr(parent, n, Int32Array) as Int32Array,
    via: arr(via, n, Int32Array) as Int32Array, enabled: arr(enabled, n, Uint32Array) as Uint32Array,
    flags: flags.map((f) => arr(f, n, Uint8Array) as Uint8Array),
    transitions, depth: n ? depthOf.get(n - 1) : 0, incomplete,
  };
  const bytes = 4 * (g.offsets.length + g.targets.length + g.edges.length + g.parent.length + g.via.length + g.enabled.length) + g.flags.reduce((x, f) => x + f.length, 0) + table.t.byteLength + states.byteLength;
  return { ...g, bytes };
}
