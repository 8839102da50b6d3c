/**
 * @internal The checks made on each state an explorer expands, in the order a search meets
 * them: the `always` properties (a violating state is no witness), the `sometimes` witnesses,
 * the `transition` properties on each step taken from it, and, once its enabled steps are
 * known, the deadlock rule. One definition for the breadth-first parts (`part.ts`, in this
 * thread and in the worker threads) and the random walks (`simulate.ts`): which properties are
 * asked, how, and to what their model errors are attributed. What a finding does to the search
 * (ends it, waits for its level's end, is kept while the search goes on) is the caller's. The
 * reference explorer restates these checks on purpose (`reference.ts`).
 */
import { truth } from '../model/truth.ts';
import { attribute } from './semantics.ts';
import { stepInfos } from './steps.ts';
import type { Property, StepInfo } from '../model/property.ts';
import type { State } from '../model/state.ts';
import type { Instance } from '../state/instance.ts';
import type { Successors } from './successors.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Deadlock } from './deadlock.ts';
import type { Predicate } from './expander.ts';

export type PropertyOf<K extends Property['kind']> = Extract<Property, { kind: K }>;

/**
 * What the checks ask of the state being checked: its state predicates by index
 * (`StateChecks.predicates`), and, after its expansion, the deadlock rule. The expander answers
 * from its memo (`expander.ts`); `stateProbe` runs the model code on a view.
 */
export interface Probe {
  holds(i: number): boolean;
  deadlock(): Deadlock | undefined;
}

export class StateChecks {
  readonly always: readonly PropertyOf<'always'>[];
  readonly sometimes: readonly PropertyOf<'sometimes'>[];
  readonly transitions: readonly PropertyOf<'transition'>[];
  /** The state predicates in a probe's index order: the `always` properties, then the `sometimes`. */
  readonly predicates: readonly Predicate[];
  readonly #steps: readonly StepInfo[];

  /** `deadlock`: the deadlock rule is checked (`--no-deadlock` turns it off). */
  constructor(inst: Instance, readonly deadlock: boolean) {
    const of = <K extends Property['kind']>(k: K) => inst.properties.filter((p): p is PropertyOf<K> => p.kind === k);
    this.always = of('always'); this.sometimes = of('sometimes'); this.transitions = of('transition');
    this.predicates = [...this.always, ...this.sometimes].map((p) => ({ name: p.name, fn: p.pred }));
    this.#steps = stepInfos(inst);
  }

  /** Whether the state holds `always` property i. */
  holds(probe: Probe, i: number): boolean { return probe.holds(i); }

  /** The first `always` property (index) the state violates, or -1. */
  firstViolated(probe: Probe): number {
    for (let i = 0; i < this.always.length; i++) if (!probe.holds(i)) return i;
    return -1;
  }

  /** Whether the state witnesses `sometimes` property i. */
  witnesses(probe: Probe, i: number): boolean { return probe.holds(this.always.length + i); }

  /** Whether `transition` property i holds on the step `before --edge--> after`; its model errors are attributed to it. */
  transitionHolds(i: number, before: State, edge: number, after: State): boolean {
    const p = this.transitions[i]!, where = `property '${p.name}'`;
    try { return truth(p.pred({ before, step: this.#steps[edge]!, after }), where); } catch (err) { return attribute(err, where); }
  }

  /** The first `transition` property (index) the step violates, or -1. */
  firstTransitionViolated(before: State, edge: number, after: State): number {
    for (let i = 0; i < this.transitions.length; i++) if (!this.transitionHolds(i, before, edge, after)) return i;
    return -1;
  }

  /** After the state's expansion: its deadlock, if the rule is checked and the state has one. */
  deadlockOf(probe: Probe): Deadlock | undefined { return this.deadlock ? probe.deadlock() : undefined; }
}

/**
 * A probe that runs the model code on the base view `s` (no memo), its errors attributed as
 * the expander's are; `deadlock()` once `succ` has expanded `s`.
 */
export function stateProbe(checks: StateChecks, succ: Successors, s: SlotState): Probe {
  return {
    holds: (i) => {
      const p = checks.predicates[i]!, where = `property '${p.name}'`;
      try { return truth(p.fn(s), where); } catch (err) { return attribute(err, where); }
    },
    deadlock: () => {
      try { return succ.deadlock(s); } catch (err) { return attribute(err, `the deadlock check`); }
    },
  };
}
