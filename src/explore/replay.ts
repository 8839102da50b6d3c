/**
 * Rebuilds a counterexample from its edge ids by replaying the model from the initial state
 * (the explorers store no states for traces), and holds the model to its contract on the way:
 * every step must be enabled again, and with the explorer's fingerprint check bytes, every
 * replayed state must be the one explored. A model whose guards or effects read something
 * outside the state (a counter in a closure, Math.random, Date) fails here with KMC014, naming
 * the step where it went another way, instead of printing a trace that proves nothing.
 */
import { ModelError } from '../util/errors.ts';
import { decode, type Decoded } from '../state/decode.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import { pack } from '../state/layout.ts';
import { NOT_DETERMINISTIC, stepWhere } from './semantics.ts';
import { Successors } from './successors.ts';
import { stepInfos } from './steps.ts';
import type { StepInfo } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Path } from './verdict.ts';

export interface Trace {
  /** `states[0]` is the initial state; `states[i+1]` follows `steps[i]`. */
  readonly states: readonly Decoded[];
  readonly steps: readonly StepInfo[];
  /** Every state as a slot view, `views[0]` the initial one, for re-checking properties. */
  readonly views: readonly SlotState[];
  /** The final state. */
  readonly last: SlotState;
  /** A livelock's lasso: the steps from this index on are spins (a retry loop re-executed, the state unchanged). */
  readonly spinsFrom?: number;
}

/** The low byte of a state's fingerprint, as the explorers record it. */
export function checkByte(inst: Instance, s: SlotState): number {
  const w = new Uint32Array(Math.max(1, inst.layout.words));
  pack(inst.layout, s.buf, w, 0);
  fingerprint(w, 0, w.length);
  return fp.lo & 0xff;
}

/** What expanding `s` gives: each enabled edge id with its successor's fingerprint. */
function expansion(succ: Successors, s: SlotState): Map<number, string> {
  const inst = succ.inst, w = new Uint32Array(Math.max(1, inst.layout.words)), out = new Map<number, string>();
  succ.expand(s, (e, after) => {
    pack(inst.layout, after.materialize(), w, 0);
    fingerprint(w, 0, w.length);
    out.set(e.id, `${fp.lo}:${fp.hi}`);
  });
  return out;
}

/** Expands `s` twice: both must agree, or the step that answered differently is named (KMC014). */
function sameTwice(succ: Successors, s: SlotState, where: string): void {
  const a = expansion(succ, s), b = expansion(succ, s);
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(id) === b.get(id)) continue;
    const what = a.has(id) && b.has(id) ? 'gives a different state each time it fires' : 'is enabled one time and not the next';
    throw new ModelError('KMC014', `${stepWhere(succ.inst, succ.inst.edges[id]!)} ${what} (${where}): ${NOT_DETERMINISTIC}`);
  }
}

/** Step `i` of a path whose steps from `spinsFrom` on are spins (`Successors.spin`): the next state, or undefined if it cannot be taken. */
const stepAt = (succ: Successors, s: SlotState, id: number, i: number, spinsFrom: number | undefined): SlotState | undefined => {
  const e = succ.inst.edges[id];
  return e && (spinsFrom !== undefined && i >= spinsFrom ? succ.spin(s, e) : succ.step(s, e));
};

/** Replays `path` (its steps from `spinsFrom` on spins); undefined if some step cannot be taken (a candidate path, not an explored one). */
export function replay(inst: Instance, path: Path, spinsFrom?: number): SlotState[] | undefined {
  const succ = new Successors(inst), views = [succ.initial()];
  for (let i = 0; i < path.length; i++) {
    const next = stepAt(succ, views.at(-1)!, path[i]!, i, spinsFrom);
    if (next === undefined) return undefined;
    views.push(next);
  }
  return views;
}

/**
 * Replays an explored `path` into a trace (its steps from `spinsFrom` on spins: a livelock's
 * cycle). `checks` (from the explorer, for the states it explored) are compared state by state;
 * a step not enabled (a spin that is not one), or a state that differs, is KMC014.
 */
export function reconstruct(inst: Instance, path: Path, checks?: Uint8Array, spinsFrom?: number): Trace {
  const succ = new Successors(inst), views = [succ.initial()];
  const differs = (i: number): boolean => checks !== undefined && (spinsFrom === undefined || i <= spinsFrom) && checks[i] !== checkByte(inst, views[i]!);
  if (differs(0)) throw new ModelError('KMC014', `the initial state differs on replay: ${NOT_DETERMINISTIC}`);
  path.forEach((id, i) => {
    sameTwice(succ, views[i]!, i ? `in the state after step ${i}` : 'in the initial state');
    const e = inst.edges[id], next = stepAt(succ, views[i]!, id, i, spinsFrom);
    if (next === undefined)
      throw new ModelError('KMC014', `${e ? stepWhere(inst, e) : `edge ${id}`} is not ${spinsFrom !== undefined && i >= spinsFrom ? 'a retry that spins' : 'enabled'} on replay at step ${i + 1}: ${NOT_DETERMINISTIC}`);
    views.push(next);
    if (differs(i + 1)) throw new ModelError('KMC014', `${stepWhere(inst, e!)} gave a different state on replay at step ${i + 1}: ${NOT_DETERMINISTIC}`);
  });
  return {
    states: views.map((v) => decode(inst, v.buf)), steps: path.map((id) => stepInfos(inst)[id]!), views, last: views.at(-1)!,
    ...(spinsFrom === undefined ? {} : { spinsFrom }),
  };
}

/** Where a verdict's path turns into spins: a livelock's `loop`, else undefined. */
export const spinsOf = (v: { readonly kind: string; readonly loop?: number }): number | undefined => (v.kind === 'livelock' ? v.loop : undefined);
