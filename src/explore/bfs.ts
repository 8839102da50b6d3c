/**
 * @internal The fast explorer: level-synchronous BFS over packed states.
 *
 * Per stored state it keeps a 64-bit fingerprint (open-addressing table), the parent's index
 * and the edge id that reached it; only the current and next BFS levels hold packed states.
 * Traces are rebuilt by replaying edge ids. Successors are generated in a fixed order (actor,
 * then edge), so runs are deterministic and the first violation found is a shortest one:
 * state checks (properties, deadlock) run when a state is expanded, in BFS order; a transition
 * violation found while expanding level d is only reported at the end of that level, since a
 * state violation later in level d is shorter.
 */
import { ModelError } from '../util/errors.ts';
import { describeDomain } from '../model/domain.ts';
import { findWaitCycle } from '../check/deadlock.ts';
import { DEADLOCK, type Property, type Transition } from '../check/property.ts';
import { Scratch, SlotState } from '../state/slot-state.ts';
import { compileUnpack, pack, packDelta } from '../state/layout.ts';
import { exactWidth, fingerprint, fp } from '../state/fingerprint.ts';
import { FpTable } from '../state/fp-table.ts';
import { Chunked } from './chunked.ts';
import { attribute, fire, initial, stepWhere } from './semantics.ts';
import { stepInfos } from './steps.ts';
import type { Edge } from '../model/compile.ts';
import type { Instance } from '../model/instance.ts';
import type { Path, Verdict } from '../check/verdict.ts';
import type { ExploreOptions, ExploreResult } from './options.ts';

type Pred<T> = (x: T) => boolean;

const grow = (a: Int32Array): Int32Array => { const b = new Int32Array(a.length * 2); b.set(a); return b; };

export function exploreFast(inst: Instance, opts: ExploreOptions = {}): ExploreResult {
  const t0 = performance.now();
  const L = inst.layout, W = Math.max(1, L.words), actors = inst.actors, nActors = actors.length;
  const deadlockOn = opts.deadlock !== false, maxStates = opts.maxStates ?? Infinity, progressEveryMs = opts.progressEveryMs ?? 1000;
  const byKind = <K extends Property['kind']>(k: K) => inst.properties.filter((p): p is Extract<Property, { kind: K }> => p.kind === k);
  const always = byKind('always'), sometimes = byKind('sometimes'), trans = byKind('transition');
  const alwaysPreds = always.map((p) => p.pred as Pred<SlotState>), transPreds = trans.map((p) => p.pred as Pred<Transition>);
  const infos = stepInfos(inst);
  const table = new FpTable(12);
  const parent = new Chunked(Int32Array), via = new Chunked(inst.edges.length < 0xffff ? Uint16Array : Uint32Array);
  const sc = new Scratch(inst), cur = new Int32Array(L.slots), base = new SlotState(cur, sc, -1);
  const blocked = new Uint8Array(nActors);
  const unpack = compileUnpack(L);
  const witnesses = new Map<string, Path>();
  let level = new Uint32Array(W * 1024), next = new Uint32Array(W * 1024);
  let levelCount = 0, nextCount = 0, levelStart = 0, depth = 0, transitions = 1;
  let curEdge: Edge | undefined, where = `the initial state`;
  let lastProgress = t0;
  // successors wait here, packed at next[(nextCount + c) * W], until a group of states is expanded:
  // their table probes then run back to back, so the cache misses overlap
  let candLo: Int32Array = new Int32Array(1024), candHi: Int32Array = new Int32Array(1024);
  let candEdge: Int32Array = new Int32Array(1024), candParent: Int32Array = new Int32Array(1024), candTrans = new Float64Array(1024);
  let c = 0, sink = 0;
  const flush = (k: number): boolean => {
    sink ^= table.touch(candLo, candHi, c);
    const base0 = nextCount;
    for (let j = 0; j < c; j++) {
      // the bound is hit by a state that would be new beyond it, not by reaching it exactly
      if (table.size >= maxStates && !table.has(candLo[j]!, candHi[j]!)) { transitions = candTrans[j]!; c = 0; return true; }
      if (!table.add(candLo[j]!, candHi[j]!)) continue;
      if (nextCount !== base0 + j) next.copyWithin(nextCount * W, (base0 + j) * W, (base0 + j + 1) * W);
      parent.push(candParent[j]!); via.push(candEdge[j]!); nextCount++;
      if ((table.size & 0x3fff) === 0 && opts.onProgress !== undefined) {
        const now = performance.now();
        if (now - lastProgress >= progressEveryMs) {
          lastProgress = now;
          const seconds = (now - t0) / 1000;
          opts.onProgress({ states: table.size, statesPerSecond: table.size / seconds, depth: depth + 1, queue: levelCount - k + nextCount, seconds });
        }
      }
    }
    c = 0;
    return false;
  };
  const GROUP = 32;

  const pathTo = (id: number, last?: number): Path => {
    const p: number[] = last === undefined ? [] : [last];
    for (let i = id; parent.get(i) >= 0; i = parent.get(i)) p.push(via.get(i));
    return p.reverse();
  };
  const domainError = (slot: number, v: number, e: Edge | undefined): never => {
    throw new ModelError('KMC001', `${L.slotName[slot]} := ${v}, domain ${describeDomain(inst.slotDomain[slot]!, inst.ctx)} [in ${e ? stepWhere(inst, e) : where}]`);
  };
  const finish = (verdict: Verdict): ExploreResult => {
    if (sink === 0.5) throw new Error('unreachable');
    const states = table.size, seconds = (performance.now() - t0) / 1000;
    const bytes = table.bytes + parent.bytes + via.bytes + level.byteLength + next.byteLength;
    const collisionProbability = exactWidth(L.words) ? 0 : states * ((transitions - states) / 2 ** 64);
    return { verdict, witnesses, stats: { states, transitions, depth, seconds, bytesPerState: bytes / Math.max(1, states), collisionProbability } };
  };

  try {
    const s0 = initial(inst, new SlotState(inst.rawInit.slice(), sc, -1)).materialize();
    const bad = pack(L, s0, level, 0);
    if (bad >= 0) domainError(bad, s0[bad]!, undefined);
    fingerprint(level, 0, W);
    table.add(fp.lo, fp.hi); parent.push(-1); via.push(0); levelCount = 1;

    for (;;) {
      let pending: Verdict | undefined;
      for (let k = 0; k < levelCount; k++) {
        const id = levelStart + k;
        unpack(level, k * W, cur);
        curEdge = undefined;
        for (let i = 0; i < alwaysPreds.length; i++) {
          where = `property '${always[i]!.name}'`;
          if (!alwaysPreds[i]!(base)) {
            if (flush(k)) return finish({ kind: 'incomplete', bound: `--max-states ${maxStates}` });
            return finish({ kind: 'safety', property: always[i]!.name, path: pathTo(id) });
          }
        }
        for (const p of sometimes) {
          where = `property '${p.name}'`;
          if (!witnesses.has(p.name) && (p.pred as Pred<SlotState>)(base)) witnesses.set(p.name, pathTo(id));
        }
        let anyEnabled = false, anyBlocked = false;
        const from = k * W;
        for (let a = 0; a < nActors; a++) {
          const act = actors[a]!, pc = cur[act.pcSlot]!;
          if (pc === act.end) { blocked[a] = 0; continue; }
          const edges = act.rests[pc]!.edges;
          let en = false;
          for (let j = 0; j < edges.length; j++) {
            const e = edges[j]!;
            curEdge = e;
            if (e.when !== undefined && !e.when(base)) continue;
            en = true;
            let after: SlotState;
            if (e.staticPc >= 0) {
              const t = e.then === undefined ? base : (e.then(base) as SlotState);
              if (!(t instanceof SlotState)) fire(inst, e, base); // reports KMC011
              sc.write(t, act.pcSlot, e.staticPc);
              after = t.gen < 0 ? new SlotState(cur, sc, sc.gen) : t;
            } else after = fire(inst, e, base) as SlotState;
            transitions++;
            for (let i = 0; i < transPreds.length; i++) {
              if (pending !== undefined) break;
              curEdge = undefined; where = `property '${trans[i]!.name}'`;
              if (!transPreds[i]!({ before: base, step: infos[e.id]!, after }))
                pending = { kind: 'safety', property: trans[i]!.name, path: pathTo(id, e.id) };
            }
            const at = (nextCount + c) * W;
            if (at + W > next.length) { const g = new Uint32Array(next.length * 2); g.set(next); next = g; }
            const bad = packDelta(L, level, from, next, at, sc.slot, sc.val, sc.n);
            if (bad >= 0) domainError(sc.slot[bad]!, sc.val[bad]!, e);
            fingerprint(next, at, W);
            if (c === candLo.length) { [candLo, candHi, candEdge, candParent] = [grow(candLo), grow(candHi), grow(candEdge), grow(candParent)]; const t = new Float64Array(c * 2); t.set(candTrans); candTrans = t; }
            candLo[c] = fp.lo; candHi[c] = fp.hi; candEdge[c] = e.id; candParent[c] = id; candTrans[c] = transitions; c++;
          }
          blocked[a] = en ? 0 : 1;
          if (en) anyEnabled = true; else anyBlocked = true;
        }
        if (deadlockOn && anyBlocked) {
          curEdge = undefined; where = `deadlock check`;
          const cycle = findWaitCycle(inst, base, blocked);
          const stuckTask = !anyEnabled && actors.some((a, i) => blocked[i] && a.ref.kind === 'task');
          if (cycle !== undefined || stuckTask) {
            if (flush(k)) return finish({ kind: 'incomplete', bound: `--max-states ${maxStates}` });
            return finish({ kind: 'deadlock', property: DEADLOCK, path: pathTo(id), cycle });
          }
        }
        if ((k & (GROUP - 1)) === GROUP - 1 && flush(k)) return finish({ kind: 'incomplete', bound: `--max-states ${maxStates}` });
      }
      if (flush(levelCount)) return finish({ kind: 'incomplete', bound: `--max-states ${maxStates}` });
      if (pending !== undefined) return finish(pending);
      if (nextCount === 0) break;
      depth++; levelStart += levelCount;
      [level, next] = [next, level];
      levelCount = nextCount; nextCount = 0;
    }
  } catch (err) {
    attribute(err, curEdge ? stepWhere(inst, curEdge) : where);
  }
  const unreached = sometimes.find((p) => !witnesses.has(p.name));
  return finish(unreached ? { kind: 'unreached', property: unreached.name } : { kind: 'ok' });
}
