/**
 * Liveness on the explored state graph: `from ~> to` fails iff some fair run reaches a `from`
 * state and then avoids `to` forever. Such runs end in a fair strongly connected component of
 * the `¬to` region (or stutter in a state where no fairly-treated actor can step).
 *
 * Fairness is per actor, and per step where the lock waited on hands off (`StepSpec.handoff`).
 * A component admits a fair cycle iff every weakly fair actor is disabled somewhere in it or
 * steps inside it, every strongly fair actor enabled in it steps inside it, and every handoff
 * step of a fairly treated actor that is enabled in it is taken inside it (a waiter on a mutex,
 * an rwsem or the folio lock that finds the lock free infinitely often is granted it: the
 * kernel's FIFO queue and handoff). When a strong constraint fails, the states enabling that
 * actor (that step) are removed and the rest is decomposed again (Emerson–Lei). Correct on
 * cyclic graphs, unlike an acyclic-only check. The graph needs no extra column: a step is
 * enabled in a state iff the state has an edge labelled with it.
 *
 * The counterexample is a lasso: a shortest path (BFS over "before / after a `from` state")
 * to the cycle, then a cycle through every edge and state that fairness requires.
 */
import { Successors } from '../explore/successors.ts';
import { truth } from '../model/truth.ts';
import { sameState } from './minimize.ts';
import type { Instance } from '../state/instance.ts';
import type { StateGraph } from '../explore/graph.ts';
import type { Path, Verdict } from '../explore/verdict.ts';
import type { Property } from '../model/property.ts';
import type { SlotState } from '../state/slot-state.ts';

export const fairnessText = (inst: Instance): string => {
  const by = (f: string) => inst.actors.filter((a) => a.ref.fairness === f).map((a) => a.ref.name);
  return [['weak', by('weak')], ['strong', by('strong')], ['no fairness', by('none')]]
    .filter(([, xs]) => xs!.length).map(([k, xs]) => `${k}: ${(xs as string[]).join(', ')}`).join('; ');
};

/** The labels of the handoff steps of fairly treated actors (strongly fair), once each, for reports. */
export const handoffText = (inst: Instance): string => [...new Set([...handoffEdges(inst)].map((e) => inst.edges[e]!.label))].join(', ');

/** Tarjan's SCCs of the subgraph induced by `inSet`, iteratively. Returns component id per node (-1 outside). */
function sccs(g: StateGraph, inSet: Uint8Array): { comp: Int32Array; count: number } {
  const n = g.states, index = new Int32Array(n).fill(-1), low = new Int32Array(n), comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n), stack: number[] = [], call: number[] = [], edgeAt: number[] = [];
  let next = 0, count = 0;
  for (let r = 0; r < n; r++) {
    if (!inSet[r] || index[r] !== -1) continue;
    call.push(r); edgeAt.push(g.offsets[r]!); index[r] = low[r] = next++; stack.push(r); onStack[r] = 1;
    while (call.length) {
      const v = call.at(-1)!, k = edgeAt.at(-1)!;
      if (k < g.offsets[v + 1]!) {
        edgeAt[edgeAt.length - 1] = k + 1;
        const w = g.targets[k]!;
        if (!inSet[w]) continue;
        if (index[w] === -1) { index[w] = low[w] = next++; stack.push(w); onStack[w] = 1; call.push(w); edgeAt.push(g.offsets[w]!); }
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      call.pop(); edgeAt.pop();
      if (call.length) { const u = call.at(-1)!; low[u] = Math.min(low[u]!, low[v]!); }
      if (low[v] === index[v]) {
        for (;;) { const w = stack.pop()!; onStack[w] = 0; comp[w] = count; if (w === v) break; }
        count++;
      }
    }
  }
  return { comp, count };
}

/** Ids of the handoff steps (`StepSpec.handoff`) of fairly treated actors: strongly fair steps. */
const handoffEdges = (inst: Instance): Set<number> =>
  new Set(inst.edges.filter((e) => e.handoff && inst.actors[e.actor]!.ref.fairness !== 'none').map((e) => e.id));

/** State `v` has an enabled step `e` (an edge labelled `e`). */
const enables = (g: StateGraph, v: number, e: number): boolean => {
  for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) if (g.edges[k] === e) return true;
  return false;
};

interface FairComponent { readonly nodes: number[]; readonly need: { edge?: number; state?: number }[] }

/** Fair components within `region`; each with what a fair cycle through it must visit. */
function fairComponents(inst: Instance, g: StateGraph, region: Uint8Array): FairComponent[] {
  const found: FairComponent[] = [];
  const actorOf = (k: number): number => inst.edges[g.edges[k]!]!.actor;
  const fairActors = inst.actors.map((a) => a.ref);
  const handoff = handoffEdges(inst);
  const decompose = (set: Uint8Array): void => {
    const { comp, count } = sccs(g, set);
    const members: number[][] = Array.from({ length: count }, () => []);
    for (let v = 0; v < g.states; v++) if (comp[v]! >= 0) members[comp[v]!]!.push(v);
    for (let c = 0; c < count; c++) {
      const nodes = members[c]!;
      const inside = (k: number): boolean => comp[g.targets[k]!] === c;
      const stepsIn = new Map<number, number>();   // actor -> an edge inside the component
      for (const v of nodes) for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) if (inside(k) && !stepsIn.has(actorOf(k))) stepsIn.set(actorOf(k), k);
      if (stepsIn.size === 0) continue;            // a single state without a self-loop
      const need: { edge?: number; state?: number }[] = [];
      // a failed strong constraint drops the states enabling its actor (or step); a weak one, the component
      let drop: ((v: number) => boolean) | 'component' | undefined;
      for (const a of fairActors) {
        if (a.fairness === 'none') continue;
        if (stepsIn.has(a.id)) { need.push({ edge: stepsIn.get(a.id)! }); continue; }
        const on = (v: number): boolean => ((g.enabled[v]! >>> a.id) & 1) === 1;
        if (a.fairness === 'weak') {
          const disabledAt = nodes.find((v) => !on(v));
          if (disabledAt !== undefined) { need.push({ state: disabledAt }); continue; }
          drop = 'component'; break;               // continuously enabled and never steps: unfair
        }
        if (!nodes.some(on)) continue;             // strong, never enabled here: nothing owed
        drop = on; break;                          // strong, enabled here but never steps
      }
      if (drop === undefined && handoff.size) {   // each handoff step enabled here must be taken inside
        const owed = new Map<number, number>();    // handoff edge id -> a graph edge taking it inside (-1: none)
        for (const v of nodes) for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) {
          const e = g.edges[k]!;
          if (handoff.has(e) && (owed.get(e) ?? -1) < 0) owed.set(e, inside(k) ? k : -1);
        }
        for (const [e, k] of owed) { if (k < 0) { drop = (v) => enables(g, v, e); break; } need.push({ edge: k }); }
      }
      if (drop === undefined) { found.push({ nodes, need }); continue; }
      if (drop === 'component') continue;
      const sub = new Uint8Array(g.states);
      for (const v of nodes) if (!drop(v)) sub[v] = 1;
      decompose(sub);
    }
  };
  decompose(region);
  return found;
}

/** A lasso: the verdict, and the state ids along its path (the initial state first). */
export interface Lasso { readonly verdict: Extract<Verdict, { kind: 'liveness' }>; readonly states: readonly number[] }

/** Checks `props[i]` (a leadsTo) on the graph; a lasso, or undefined if it holds. */
export function checkLeadsTo(inst: Instance, g: StateGraph, name: string, i: number, fromInitOnly: boolean): Lasso | undefined {
  const f = g.flags[i]!, isFrom = (v: number) => (f[v]! & 1) !== 0, isTo = (v: number) => (f[v]! & 2) !== 0;
  // BFS over (state, phase): phase 1 = a `from` state was met and `to` has not held since
  const n = g.states, dist = new Int32Array(2 * n).fill(-1), prev = new Int32Array(2 * n).fill(-1), prevEdge = new Int32Array(2 * n).fill(-1);
  const queue: number[] = [];
  const start = !isTo(0) && (fromInitOnly || isFrom(0)) ? n : fromInitOnly ? -1 : 0;
  if (start < 0) return undefined;
  dist[start] = 0; queue.push(start);
  for (let h = 0; h < queue.length; h++) {
    const x = queue[h]!, v = x % n, phase1 = x >= n;
    for (let k = g.offsets[v]!; k < g.offsets[v + 1]!; k++) {
      const w = g.targets[k]!;
      if (phase1 && isTo(w)) continue;
      if (!phase1 && fromInitOnly) continue;
      const y = phase1 || (isFrom(w) && !isTo(w)) ? n + w : w;
      if (dist[y] !== -1) continue;
      dist[y] = dist[x]! + 1; prev[y] = x; prevEdge[y] = g.edges[k]!; queue.push(y);
    }
  }
  const region = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (dist[n + v]! >= 0) region[v] = 1;
  // stuttering: a state of the region where no fairly treated actor can step
  const fairMask = inst.actors.reduce((m, a) => (a.ref.fairness === 'none' ? m : m | (1 << a.ref.id)), 0);
  let best: { entry: number; cycle: { edges: number[]; states: number[] } } | undefined;
  for (let v = 0; v < n; v++)
    if (region[v] && (g.enabled[v]! & fairMask) === 0 && (best === undefined || dist[n + v]! < dist[n + best.entry]!)) best = { entry: v, cycle: { edges: [], states: [] } };
  for (const c of fairComponents(inst, g, region)) {
    const entry = c.nodes.reduce((a, b) => (dist[n + b]! < dist[n + a]! ? b : a));
    if (best !== undefined && dist[n + best.entry]! <= dist[n + entry]!) continue;
    best = { entry, cycle: cycleThrough(g, new Set(c.nodes), entry, c.need) };
  }
  if (best === undefined) return undefined;
  const prefix: number[] = [], states: number[] = [];
  for (let x = n + best.entry; ; x = prev[x]!) {
    states.push(x % n);
    if (prev[x] === -1) break;
    prefix.push(prevEdge[x]!);
  }
  prefix.reverse(); states.reverse();
  // the phase BFS starts at the initial state: prepend nothing; its path is already from state 0
  return {
    verdict: { kind: 'liveness', property: name, path: [...prefix, ...best.cycle.edges], loop: prefix.length, fairness: fairnessText(inst) },
    states: [...states, ...best.cycle.states],
  };
}

/** A cycle from `entry` back to it, inside `nodes`, through every required edge and state. */
function cycleThrough(g: StateGraph, nodes: Set<number>, entry: number, need: { edge?: number; state?: number }[]): { edges: number[]; states: number[] } {
  const path: number[] = [], states: number[] = [];
  let at = entry;
  const srcOf = (k: number): number => {
    let lo = 0, hi = g.states - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (g.offsets[mid]! <= k) lo = mid; else hi = mid - 1; }
    return lo;
  };
  /** Edge indices of a shortest path from `from` to `to` (distinct) inside the component. */
  const bfs = (from: number, to: number): number[] => {
    const via = new Map<number, number>([[from, -1]]), q = [from];
    for (let h = 0; h < q.length && !via.has(to); h++)
      for (let k = g.offsets[q[h]!]!; k < g.offsets[q[h]! + 1]!; k++) {
        const w = g.targets[k]!;
        if (nodes.has(w) && !via.has(w)) { via.set(w, k); q.push(w); }
      }
    const ks: number[] = [];
    for (let x = to; x !== from; x = srcOf(via.get(x)!)) ks.push(via.get(x)!);
    return ks.reverse();
  };
  const seen = new Set<number>([entry]), taken = new Set<number>();
  const step = (k: number): void => { path.push(g.edges[k]!); taken.add(k); at = g.targets[k]!; seen.add(at); states.push(at); };
  const move = (to: number): void => { if (at !== to) for (const k of bfs(at, to)) step(k); };
  const take = (k: number): void => { move(srcOf(k)); step(k); };
  for (const r of need) {
    if (r.state !== undefined) { if (!seen.has(r.state)) move(r.state); }
    else if (!taken.has(r.edge!)) take(r.edge!);
  }
  if (path.length === 0) {
    for (let k = g.offsets[entry]!; k < g.offsets[entry + 1]!; k++) if (nodes.has(g.targets[k]!)) { take(k); break; }
  }
  move(entry);
  return { edges: path, states };
}

/**
 * A lasso found elsewhere (a saved counterexample, replayed): does it violate `p` under the
 * model's fairness? `views` are the states along `path` (the initial one first); the cycle is
 * `path[loop..]` and must come back to `views[loop]`, or, when `loop` is the path's length, end
 * where no fairly treated actor can step (stuttering). It violates `from ~> to` if some state
 * satisfies `from` (the initial state, for `eventually`) and no state from there on satisfies
 * `to`, the cycle's states included; and the cycle is fair: every weakly fair actor steps in it
 * or is disabled somewhere in it, every strongly fair one steps in it or is disabled throughout,
 * and every handoff step of a fairly treated actor enabled in it is taken in it.
 */
export function lassoViolates(inst: Instance, p: Extract<Property, { kind: 'leadsTo' }>, views: readonly SlotState[], path: Path, loop: number): boolean {
  const n = path.length, where = `property '${p.name}'`, succ = new Successors(inst);
  const handoff = handoffEdges(inst), owed = new Set<number>();
  const enabled = (v: SlotState): boolean[] => {
    succ.expand(v, (e) => { if (handoff.has(e.id)) owed.add(e.id); });
    return inst.actors.map((a, i) => v.pcOf(i) !== a.end && succ.blocked[i] === 0);
  };
  const fair = inst.actors.filter((a) => a.ref.fairness !== 'none').map((a) => a.ref);
  if (loop === n) {
    const on = enabled(views[n]!);
    if (fair.some((a) => on[a.id])) return false;
  } else {
    if (!sameState(views[loop]!, views[n]!)) return false;
    const on = views.slice(loop, n).map(enabled), steps = new Set(path.slice(loop).map((id) => inst.edges[id]!.actor));
    const fairCycle = fair.every((a) => steps.has(a.id) || (a.fairness === 'weak' ? on.some((e) => !e[a.id]) : on.every((e) => !e[a.id])));
    const taken = new Set(path.slice(loop));
    if (!fairCycle || [...owed].some((e) => !taken.has(e))) return false;
  }
  const to = views.map((v) => truth(p.to(v), where));
  const noToFrom = (i: number): boolean => to.slice(Math.min(i, loop)).every((t) => !t);
  return p.fromInitOnly ? noToFrom(0) : views.some((v, i) => truth(p.from(v), where) && noToFrom(i));
}
