/**
 * Rebuilds a counterexample from its edge ids by replaying the model from the initial state
 * (the explorers store no states for traces). A step that is not enabled on replay means the
 * model is not deterministic: its guards or effects read something outside the state.
 */
import { ModelError } from '../util/errors.ts';
import { decode, type Decoded } from '../state/decode.ts';
import { Scratch, SlotState } from '../state/slot-state.ts';
import { attribute, enabled, fire, initial, stepWhere } from '../explore/semantics.ts';
import { stepInfos } from '../explore/steps.ts';
import type { StepInfo } from '../check/property.ts';
import type { Instance } from '../model/instance.ts';
import type { Path } from '../check/verdict.ts';

export interface Trace {
  /** `states[0]` is the initial state; `states[i+1]` follows `steps[i]`. */
  readonly states: readonly Decoded[];
  readonly steps: readonly StepInfo[];
  /** Final state as slots, for re-checking properties. */
  readonly last: SlotState;
}

export function reconstruct(inst: Instance, path: Path): Trace {
  const sc = new Scratch(inst);
  let s = new SlotState(initial(inst, new SlotState(inst.rawInit.slice(), sc, -1)).materialize(), sc, -1);
  const states: Decoded[] = [decode(inst, s.buf)], steps: StepInfo[] = [];
  path.forEach((id, i) => {
    const e = inst.edges[id];
    if (e === undefined || s.pcOf(e.actor) === inst.actors[e.actor]!.end || !inst.actors[e.actor]!.rests[s.pcOf(e.actor)]!.edges.includes(e) || !enabled(e, s))
      throw new ModelError('KMC002', `replay diverged at step ${i + 1}${e ? ` ('${e.label}')` : ''}: not enabled. ` +
        `This usually means a guard or effect reads something outside the state (Date, Math.random, a mutable closure).`);
    try { s = new SlotState((fire(inst, e, s) as SlotState).materialize(), sc, -1); } catch (err) { attribute(err, stepWhere(inst, e)); }
    states.push(decode(inst, s.buf));
    steps.push(stepInfos(inst)[id]!);
  });
  return { states, steps, last: s };
}
