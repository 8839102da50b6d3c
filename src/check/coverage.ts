/**
 * Step coverage (SPIN's "unreached in proctype", TLC's action coverage): after a search that
 * exhausted the space, the steps that never fired, each by its actor, its program position and
 * its label. A step that never fires means the window the model was written for is not in it,
 * and a "holds" over it is hollow; a model says which of its steps may stay unreached, and why
 * (`Model.mayBeUnreached`).
 */
import type { Instance } from '../state/instance.ts';

export interface UnreachedStep {
  readonly actor: string;
  /** The program position the step leaves: its resting point's name, and its index in the actor's program (two positions may share a name). */
  readonly at: string;
  readonly pc: number;
  readonly label: string;
  /** The kernel function the step models. */
  readonly fn: string;
  /** Why the model says it may stay unreached, if it says so (`Model.mayBeUnreached`). */
  readonly reason?: string;
}

/** The steps of `inst` whose edges never fired (`fired[edge] === 0`), in program order, with the model's reasons where it gives one. */
export function unreachedSteps(inst: Instance, fired: Uint8Array): UnreachedStep[] {
  const excused = inst.model.mayBeUnreached?.(inst.params as never) ?? {};
  const out: UnreachedStep[] = [], seen = new Set<string>();
  for (const a of inst.actors) {
    for (const [pc, rest] of a.rests.entries()) {
      for (const e of rest.edges) {
        if (fired[e.id] !== 0) continue;
        const step = { actor: a.ref.name, at: rest.name, pc, label: e.label, fn: e.fn };
        const key = `${pc} ${stepName(step)}`;
        if (seen.has(key)) continue;   // one step compiled to several edges
        seen.add(key);
        const reason = excused[stepName(step)] ?? excused[`${step.actor}: ${step.label}`] ?? excused[step.label];
        out.push({ ...step, ...(reason === undefined ? {} : { reason }) });
      }
    }
  }
  return out;
}

/** `actor @ position: label`, how a step is listed and how `mayBeUnreached` may name it (or `actor: label`, or the label alone). */
export const stepName = (s: Pick<UnreachedStep, 'actor' | 'at' | 'label'>): string => `${s.actor} @ ${s.at}: ${s.label}`;

/** The unreached steps the model does not excuse. */
export const unexcused = (steps: readonly UnreachedStep[] | undefined): readonly UnreachedStep[] => (steps ?? []).filter((s) => s.reason === undefined);
