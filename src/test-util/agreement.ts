/** What must agree between the fast and the reference explorer: numbers, verdict, witnesses and trace, or the model error. */
import { check, type CheckOptions } from '../check/check.ts';
import type { Model } from '../model/define-model.ts';

export interface Outcome {
  readonly kind: string;
  readonly numbers?: readonly number[];
  readonly verdict?: unknown;
  readonly witnesses?: unknown;
  readonly trace?: readonly string[];
  readonly error?: string;
}

/** One explorer's outcome on a model, in comparable form. */
export function outcome(model: Model, opts: CheckOptions, explorer: 'fast' | 'reference'): Outcome {
  try {
    const r = check(model, { ...opts, explorer });
    return {
      kind: r.verdict.kind, numbers: [r.stats.states, r.stats.transitions, r.stats.depth], verdict: r.verdict,
      witnesses: [...r.witnesses], trace: r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`),
    };
  } catch (e) {
    return { kind: 'error', error: (e as Error).message };
  }
}

/** Both explorers' outcomes on a model. */
export const outcomes = (model: Model, opts: CheckOptions): { fast: Outcome; reference: Outcome } =>
  ({ fast: outcome(model, opts, 'fast'), reference: outcome(model, opts, 'reference') });
