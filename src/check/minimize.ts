/**
 * Does a path end in a given violation, and among the shortest counterexamples, which has the
 * fewest context switches (loom's preemption bound, applied after the fact): single steps move
 * to other positions while the reordered path still replays and still ends in the same
 * violation. Never changes the length, so the trace stays a shortest one; deterministic.
 */
import { match } from 'ts-pattern';
import { replay } from '../explore/replay.ts';
import { Successors } from '../explore/successors.ts';
import { stepInfos } from '../explore/steps.ts';
import { truth } from '../model/truth.ts';
import type { WaitCycle } from '../explore/deadlock.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Path, Verdict } from '../explore/verdict.ts';

const switches = (inst: Instance, p: Path): number => {
  let n = 0;
  for (let i = 1; i < p.length; i++) if (inst.edges[p[i]!]!.actor !== inst.edges[p[i - 1]!]!.actor) n++;
  return n;
};

/** How many times a deadlock is re-checked in its state before it is believed. */
const CONFIRM = 24;

const sameCycle = (a: WaitCycle | undefined, b: WaitCycle | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);
/** The same state: every slot equal. */
export const sameState = (a: SlotState, b: SlotState): boolean => a.buf.every((x, i) => x === b.buf[i]);

/**
 * True if the states `views` (the replay of `v`'s path) end in the violation `v` reports: the
 * property fails in the last state (or on the last step), the same deadlock is there, or the
 * lasso's cycle comes back to the state it started from.
 */
export function endsIn(inst: Instance, v: Verdict, views: readonly SlotState[]): boolean {
  const last = views.at(-1)!;
  return match(v)
    .with({ kind: 'deadlock' }, (v) => {
      // a guard that answers at random must not confirm a deadlock by luck: ask it again and again
      const succ = new Successors(inst);
      for (let i = 0; i < CONFIRM; i++) {
        succ.expand(last, () => {});
        const d = succ.deadlock(last);
        if (d === undefined || !sameCycle(d.cycle, v.cycle)) return false;
      }
      return true;
    })
    .with({ kind: 'safety' }, (v) => {
      const prop = inst.properties.find((x) => x.name === v.property)!;
      const where = `property '${prop.name}'`;
      return match(prop)
        .with({ kind: 'transition' }, (p) => views.length > 1 && !truth(p.pred({ before: views.at(-2)!, step: stepInfos(inst)[v.path.at(-1)!]!, after: last }), where))
        .with({ kind: 'always' }, (p) => !truth(p.pred(last), where))
        .with({ kind: 'sometimes' }, { kind: 'leadsTo' }, { kind: 'space' }, () => false)
        .exhaustive();
    })
    .with({ kind: 'liveness' }, (v) => sameState(views[v.loop]!, last))
    // the run ends in the transition the analysis named: replayed whole, it is that run
    .with({ kind: 'lockdep' }, (v) => views.length === v.path.length + 1)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, () => false)
    .exhaustive();
}

/** `path` reordered to fewer context switches, ending in the same violation. */
export function fewestSwitches(inst: Instance, v: Verdict, path: Path): Path {
  let best = [...path];
  const violates = (p: Path): boolean => { const views = replay(inst, p); return views !== undefined && endsIn(inst, v, views); };
  for (let improved = true; improved;) {
    improved = false;
    const base = switches(inst, best);
    for (let i = 0; i < best.length && !improved; i++) {
      for (let j = 0; j < best.length && !improved; j++) {
        if (i === j) continue;
        const c = [...best];
        const [x] = c.splice(i, 1);
        c.splice(j, 0, x!);
        if (switches(inst, c) < base && violates(c)) { best = c; improved = true; }
      }
    }
  }
  return best;
}
