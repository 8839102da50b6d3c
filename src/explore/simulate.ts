/**
 * @internal One random run: a schedule of choices, each picking one of the enabled steps (in
 * the successor function's fixed order) modulo their number. Checks state properties,
 * transition properties and deadlock along the way (`checks.ts`, as the exhaustive search
 * does), with the same domain checks and model errors as exhaustive exploration. Not a proof:
 * it sees one interleaving per schedule.
 * Liveness properties are not checked (a finite run cannot show a fair cycle).
 */
import { stuck } from './livelock.ts';
import { SlotState } from '../state/slot-state.ts';
import { attribute } from './semantics.ts';
import { Successors, checkDomains } from './successors.ts';
import { StateChecks, stateProbe } from './checks.ts';
import type { Edge } from '../model/compile.ts';
import type { Instance } from '../state/instance.ts';
import type { Verdict } from './verdict.ts';

export interface Walk { readonly path: readonly number[]; readonly verdict: Verdict | undefined }

/**
 * `bias` (an actor id): a swarm member's leaning (`kmc simulate --shard`): at a choice whose
 * low bit is set, one of that actor's enabled steps is taken if it has any; the other bits
 * pick which. Without it a choice picks among all enabled steps.
 */
export function walk(inst: Instance, choices: readonly number[], deadlock = true, bias?: number): Walk {
  const succ = new Successors(inst), checks = new StateChecks(inst, deadlock), path: number[] = [];
  let where = 'the initial state';
  try {
    let s = succ.initial();
    for (let i = 0; ; i++) {
      const probe = stateProbe(checks, succ, s);
      const bad = checks.firstViolated(probe);
      if (bad >= 0) return { path, verdict: { kind: 'safety', property: checks.always[bad]!.name, path: [...path] } };
      const live: { e: Edge; after: SlotState }[] = [];
      where = 'expanding a state';
      succ.expand(s, (e, after) => {
        const t = after.materialize();
        checkDomains(inst, t, e);
        live.push({ e, after: new SlotState(t, succ.sc, -1) });
      });
      const d = checks.deadlockOf(probe);
      if (d !== undefined) return { path, verdict: stuck(inst, [...path], d.cycle, s) };
      if (live.length === 0 || i === choices.length) return { path, verdict: undefined };
      const c = choices[i]!, mine = bias === undefined || (c & 1) === 0 ? [] : live.filter((x) => x.e.actor === bias);
      const { e, after } = mine.length > 0 ? mine[(c >>> 1) % mine.length]! : live[(bias === undefined ? c : c >>> 1) % live.length]!;
      path.push(e.id);
      const broken = checks.firstTransitionViolated(s, e.id, after);
      if (broken >= 0) return { path, verdict: { kind: 'safety', property: checks.transitions[broken]!.name, path: [...path] } };
      s = after;
    }
  } catch (err) {
    return attribute(err, where);
  }
}
