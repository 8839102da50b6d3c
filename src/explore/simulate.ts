/**
 * @internal One random run: a schedule of choices, each picking one of the enabled steps (in
 * the explorer's fixed order) modulo their number. Checks state properties, transition
 * properties and deadlock along the way. Not a proof: it sees one interleaving per schedule.
 */
import { findWaitCycle } from '../check/deadlock.ts';
import { DEADLOCK, type Transition } from '../check/property.ts';
import { Scratch, SlotState } from '../state/slot-state.ts';
import { enabled, fire, initial } from './semantics.ts';
import { stepInfos } from './steps.ts';
import type { Edge } from '../model/compile.ts';
import type { Instance } from '../model/instance.ts';
import type { Verdict } from '../check/verdict.ts';

export interface Walk { readonly path: readonly number[]; readonly verdict: Verdict | undefined }

export function walk(inst: Instance, choices: readonly number[], deadlock = true): Walk {
  const sc = new Scratch(inst), infos = stepInfos(inst), path: number[] = [];
  let s = new SlotState(initial(inst, new SlotState(inst.rawInit.slice(), sc, -1)).materialize(), sc, -1);
  for (let i = 0; ; i++) {
    for (const p of inst.properties)
      if (p.kind === 'always' && !p.pred(s)) return { path, verdict: { kind: 'safety', property: p.name, path: [...path] } };
    const live: Edge[] = [];
    const blocked = new Uint8Array(inst.actors.length);
    inst.actors.forEach((a, id) => {
      const pc = s.pcOf(id);
      if (pc === a.end) return;
      const en = a.rests[pc]!.edges.filter((e) => enabled(e, s));
      blocked[id] = en.length ? 0 : 1;
      live.push(...en);
    });
    if (deadlock && blocked.includes(1)) {
      const cycle = findWaitCycle(inst, s, blocked);
      const stuck = live.length === 0 && inst.actors.some((a, id) => blocked[id] && a.ref.kind === 'task');
      if (cycle || stuck) return { path, verdict: { kind: 'deadlock', property: DEADLOCK, path: [...path], cycle } };
    }
    if (live.length === 0 || i === choices.length) return { path, verdict: undefined };
    const e = live[choices[i]! % live.length]!;
    const after = new SlotState((fire(inst, e, s) as SlotState).materialize(), sc, -1);
    path.push(e.id);
    for (const p of inst.properties)
      if (p.kind === 'transition' && !p.pred({ before: s, step: infos[e.id]!, after } as Transition))
        return { path, verdict: { kind: 'safety', property: p.name, path: [...path] } };
    s = after;
  }
}
