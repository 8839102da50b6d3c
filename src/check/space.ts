/**
 * Whole-space properties (`space` kind: lockdep's lock-order graph and irq usage), checked once
 * exploration found nothing else, on the record of every lock acquisition the search kept
 * (`explore/acquisitions.ts`). A finding becomes the `lockdep` verdict: the shortest run to the transition it
 * names, and its report.
 */
import { SlotState, Scratch } from '../state/slot-state.ts';
import { stepInfos } from '../explore/steps.ts';
import type { Finding, Property, Space, SpaceStep, StepInfo } from '../model/property.ts';
import type { SpaceScan } from '../explore/acquisitions.ts';
import type { Instance } from '../state/instance.ts';
import type { Verdict } from '../explore/verdict.ts';

type SpaceProperty = Extract<Property, { kind: 'space' }>;

/** The space of a scan: kept transitions in BFS order of their source, runs along the BFS tree. */
export function spaceOf(inst: Instance, scan: SpaceScan): Space & { path(at: number): number[] } {
  const infos = stepInfos(inst);
  const path = (at: number): number[] => {
    const out = [scan.edge.get(at)];
    for (let s = scan.src.get(at); scan.parent[s]! >= 0; s = scan.parent[s]!) out.push(scan.via[s]!);
    return out.reverse();
  };
  return {
    forEach(visit) {
      const a = new Int32Array(inst.layout.slots), b = new Int32Array(inst.layout.slots);
      const before = new SlotState(a, new Scratch(inst), -1), after = new SlotState(b, new Scratch(inst), -1);
      for (let at = 0; at < scan.kept; at++) {
        scan.unpack(at, 0, a); scan.unpack(at, 1, b);
        const e = inst.edges[scan.edge.get(at)]!;
        const t: SpaceStep = { before, after, step: infos[e.id]!, acquires: e.acquires, trylock: e.trylock, at };
        visit(t);
      }
    },
    run: (at: number): readonly StepInfo[] => path(at).map((e) => infos[e]!),
    path,
  };
}

/** The first finding of `props` on the scan, as a verdict. */
export function checkSpace(inst: Instance, scan: SpaceScan, props: readonly SpaceProperty[]): Verdict | undefined {
  const space = spaceOf(inst, scan);
  for (const p of props) {
    const f: Finding | undefined = p.analyse(space);
    if (f !== undefined) return { kind: 'lockdep', property: p.name, path: space.path(f.at), report: f.lines };
  }
  return undefined;
}
