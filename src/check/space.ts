/**
 * Whole-space properties (`space` kind: lockdep's lock-order graph and irq usage), checked on the
 * full state graph once exploration found nothing else. A finding becomes the `lockdep` verdict:
 * the shortest run to the transition it names, and its report.
 */
import { SlotState, Scratch } from '../state/slot-state.ts';
import { stepInfos } from '../explore/steps.ts';
import type { Finding, Property, Space, SpaceStep, StepInfo } from '../model/property.ts';
import type { StateGraph } from '../explore/graph.ts';
import type { Instance } from '../state/instance.ts';
import type { Verdict } from '../explore/verdict.ts';

type SpaceProperty = Extract<Property, { kind: 'space' }>;

/** The space of graph `g`: transitions in BFS order of their source, runs along the BFS tree. */
export function spaceOf(inst: Instance, g: StateGraph): Space & { path(at: number): number[] } {
  const infos = stepInfos(inst);
  const srcOf = (at: number): number => {
    let lo = 0, hi = g.n - 1;   // the last state whose edges start at or before `at`
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (g.offsets[mid]! <= at) lo = mid; else hi = mid - 1; }
    return lo;
  };
  const path = (at: number): number[] => {
    const out = [g.edges[at]!];
    for (let s = srcOf(at); g.parent[s]! >= 0; s = g.parent[s]!) out.push(g.via[s]!);
    return out.reverse();
  };
  return {
    forEach(visit) {
      const a = new Int32Array(inst.layout.slots), b = new Int32Array(inst.layout.slots);
      const before = new SlotState(a, new Scratch(inst), -1), after = new SlotState(b, new Scratch(inst), -1);
      for (let s = 0; s < g.n; s++) {
        let unpacked = false;
        for (let at = g.offsets[s]!; at < g.offsets[s + 1]!; at++) {
          const e = inst.edges[g.edges[at]!]!;
          if (e.acquires.length === 0) continue;
          if (!unpacked) { g.unpack(s, a); unpacked = true; }
          g.unpack(g.targets[at]!, b);
          const t: SpaceStep = { before, after, step: infos[e.id]!, acquires: e.acquires, trylock: e.trylock, at };
          visit(t);
        }
      }
    },
    run: (at: number): readonly StepInfo[] => path(at).map((e) => infos[e]!),
    path,
  };
}

/** The first finding of `props` on `g`, as a verdict. */
export function checkSpace(inst: Instance, g: StateGraph, props: readonly SpaceProperty[]): Verdict | undefined {
  const space = spaceOf(inst, g);
  for (const p of props) {
    const f: Finding | undefined = p.analyse(space);
    if (f !== undefined) return { kind: 'lockdep', property: p.name, path: space.path(f.at), report: f.lines };
  }
  return undefined;
}
