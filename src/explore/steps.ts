/** @internal Per-edge {@link StepInfo}, built once per instance. */
import { readsOf } from '../model/reads.ts';
import type { StepInfo } from '../model/property.ts';
import type { State } from '../model/state.ts';
import type { Instance } from '../state/instance.ts';

const cache = new WeakMap<Instance, readonly StepInfo[]>();

export function stepInfos(inst: Instance): readonly StepInfo[] {
  let s = cache.get(inst);
  if (s === undefined) {
    s = inst.edges.map((e) => ({ actor: inst.actors[e.actor]!.ref, label: e.label, fn: e.fn, frame: e.frame, reads: (before: State) => readsOf(e.when, e.then, before) }));
    cache.set(inst, s);
  }
  return s;
}
