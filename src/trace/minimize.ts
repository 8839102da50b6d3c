/**
 * Among the shortest counterexamples, prefer one with fewer context switches (loom's
 * preemption bound, applied after the fact): moves single steps to other positions while the
 * reordered path still replays and still ends in the same violation. Never changes the length,
 * so the trace stays a shortest one; deterministic.
 */
import { match } from 'ts-pattern';
import { findWaitCycle, type WaitCycle } from '../check/deadlock.ts';
import { enabled, fire, initial } from '../explore/semantics.ts';
import { Scratch, SlotState } from '../state/slot-state.ts';
import { stepInfos } from '../explore/steps.ts';
import type { Instance } from '../model/instance.ts';
import type { Path, Verdict } from '../check/verdict.ts';

const switches = (inst: Instance, p: Path): number => {
  let n = 0;
  for (let i = 1; i < p.length; i++) if (inst.edges[p[i]!]!.actor !== inst.edges[p[i - 1]!]!.actor) n++;
  return n;
};

/** Replays `p`; the last state and the state before it, or undefined if a step is not enabled. */
function replay(inst: Instance, p: Path): { before: SlotState; last: SlotState } | undefined {
  const sc = new Scratch(inst);
  let s = new SlotState(initial(inst, new SlotState(inst.rawInit.slice(), sc, -1)).materialize(), sc, -1), before = s;
  for (const id of p) {
    const e = inst.edges[id]!, a = inst.actors[e.actor]!, pc = s.pcOf(e.actor);
    if (pc === a.end || !a.rests[pc]!.edges.includes(e) || !enabled(e, s)) return undefined;
    before = s;
    s = new SlotState((fire(inst, e, s) as SlotState).materialize(), sc, -1);
  }
  return { before, last: s };
}

/** The deadlock of the final state, in the verdict's terms: the same wait-for cycle, or a global deadlock without one. */
function deadlocked(inst: Instance, s: SlotState, want: WaitCycle | undefined): boolean {
  const blocked = new Uint8Array(inst.actors.length);
  let anyEnabled = false;
  inst.actors.forEach((a, i) => {
    const pc = s.pcOf(i);
    if (pc === a.end) return;
    const en = a.rests[pc]!.edges.some((e) => enabled(e, s));
    blocked[i] = en ? 0 : 1;
    anyEnabled ||= en;
  });
  const cycle = findWaitCycle(inst, s, blocked);
  if (want !== undefined) return cycle !== undefined && JSON.stringify(cycle) === JSON.stringify(want);
  return cycle === undefined && !anyEnabled && inst.actors.some((a, i) => blocked[i] && a.ref.kind === 'task');
}

function violates(inst: Instance, v: Verdict, p: Path): boolean {
  const r = replay(inst, p);
  if (r === undefined) return false;
  return match(v)
    .with({ kind: 'deadlock' }, (v) => deadlocked(inst, r.last, v.cycle))
    .with({ kind: 'safety' }, (v) => {
      const prop = inst.properties.find((x) => x.name === v.property)!;
      return prop.kind === 'transition'
        ? !prop.pred({ before: r.before, step: stepInfos(inst)[p.at(-1)!]!, after: r.last })
        : prop.kind === 'always' && !prop.pred(r.last);
    })
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, { kind: 'liveness' }, () => false)
    .exhaustive();
}

export function fewestSwitches(inst: Instance, v: Verdict, path: Path): Path {
  let best = [...path];
  for (let improved = true; improved;) {
    improved = false;
    const base = switches(inst, best);
    for (let i = 0; i < best.length && !improved; i++) {
      for (let j = 0; j < best.length && !improved; j++) {
        if (i === j) continue;
        const c = [...best];
        const [x] = c.splice(i, 1);
        c.splice(j, 0, x!);
        if (switches(inst, c) < base && violates(inst, v, c)) { best = c; improved = true; }
      }
    }
  }
  return best;
}
