/**
 * @internal The exploration whole-space properties need: a BFS over the one successor function
 * that keeps, for every transition whose step may take a lock (`Edge.acquires`), the states
 * before and after it (packed) and where it starts, plus the BFS tree (parent, edge) so that each
 * can be reached by a shortest run. Everything else is forgotten as the search goes.
 */
import { compileUnpack, pack, packDelta } from '../state/layout.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import { FpTable } from '../state/fp-table.ts';
import { SlotState } from '../state/slot-state.ts';
import { Chunked } from './chunked.ts';
import { attribute } from './semantics.ts';
import { Successors, domainError } from './successors.ts';
import { SLICE_MS, type Progress } from './options.ts';
import type { Instance } from '../state/instance.ts';

export interface SpaceScan {
  readonly states: number;
  /** BFS tree: per state its parent and the edge from it (-1 for the initial state). */
  readonly parent: Chunked;
  readonly via: Chunked;
  /** Per kept transition: its source state, its edge, and (2W words) the packed states before and after. */
  readonly src: Chunked;
  readonly edge: Chunked;
  readonly packed: Chunked;
  readonly kept: number;
  /** Why the scan stopped short of the whole space, if it did. */
  readonly incomplete: string | undefined;
  /** Unpacks kept transition `i`'s state before (`which` 0) or after (1) into `out`. */
  unpack(i: number, which: 0 | 1, out: Int32Array): void;
}

export function* scanSpace(inst: Instance, maxStates = Infinity, maxMemory = Infinity): Generator<Progress, SpaceScan, void> {
  const t0 = performance.now(), L = inst.layout, W = Math.max(1, L.words), unpackState = compileUnpack(L);
  const succ = new Successors(inst), sc = succ.sc, cur = new Int32Array(L.slots), base = new SlotState(cur, sc, -1);
  const seen = new FpTable(), parent = new Chunked(Int32Array), via = new Chunked(Int32Array), depth = new Chunked(Int32Array);
  const src = new Chunked(Int32Array), edge = new Chunked(Int32Array), packed = new Chunked(Uint32Array);
  let states = new Uint32Array(W * 1024), n = 0, id = 0, kept = 0, incomplete: string | undefined;
  const next = new Uint32Array(W);
  const bytes = (): number => states.byteLength + seen.bytes + parent.bytes + via.bytes + depth.bytes + src.bytes + edge.bytes + packed.bytes;
  const visit = (e: { id: number }): void => {
    const bad = packDelta(L, states, id * W, next, 0, sc.slot, sc.val, sc.n);
    if (bad >= 0) domainError(inst, sc.slot[bad]!, sc.val[bad]!, inst.edges[e.id]);
    if (inst.edges[e.id]!.acquires.length > 0) {
      src.push(id); edge.push(e.id); kept++;
      for (let w = 0; w < W; w++) packed.push(states[id * W + w]!);
      for (let w = 0; w < W; w++) packed.push(next[w]!);
    }
    fingerprint(next, 0, W);
    if (!seen.add(fp.lo, fp.hi)) return;
    if (n >= maxStates) { incomplete = `--max-states ${maxStates} reached`; return; }
    if (n * W + W > states.length) { const g = new Uint32Array(states.length * 2); g.set(states); states = g; }
    states.set(next, n * W);
    parent.push(id); via.push(e.id); depth.push(depth.get(id) + 1); n++;
  };
  try {
    pack(L, succ.initial().buf, states, 0);
    fingerprint(states, 0, W);
    seen.add(fp.lo, fp.hi);
    parent.push(-1); via.push(-1); depth.push(0); n = 1;
    let yieldAt = t0 + SLICE_MS;
    for (; id < n && incomplete === undefined; id++) {
      unpackState(states, id * W, cur);
      succ.expand(base, visit);
      if ((id & 255) === 255 && performance.now() >= yieldAt) {
        if (bytes() > maxMemory) { incomplete = `--max-memory ${maxMemory} B reached`; break; }
        yield { phase: 'lockdep', states: n, depth: depth.get(id), queue: n - id, seconds: (performance.now() - t0) / 1000 };
        yieldAt = performance.now() + SLICE_MS;
      }
    }
  } catch (err) {
    attribute(err, 'expanding a state (lockdep phase)');
  }
  const words = new Uint32Array(2 * W);
  return {
    states: n, parent, via, src, edge, packed, kept, incomplete,
    unpack: (i, which, out) => {
      for (let w = 0; w < W; w++) words[w] = packed.get((2 * i + which) * W + w);
      unpackState(words, 0, out);
    },
  };
}
