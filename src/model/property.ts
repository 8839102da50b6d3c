/**
 * Properties a model declares (reusable families live in `properties/`).
 *
 * - `always(name, p)` / `never(name, p)`: a state predicate, checked on every reachable state.
 * - `transition(name, ({ before, step, after }) => …)`: checked on every generated edge,
 *   whether or not the successor was seen before (TLC's "implied action").
 * - `sometimes(name, p)`: a reachability witness. If no reachable state satisfies it the verdict
 *   is `unreached`, so a property that "holds" only because its racy window is unreachable is
 *   caught instead of passing hollowly.
 * - deadlock freedom is built in (see `deadlock.ts`) and on unless `--no-deadlock`.
 *
 * @example
 * never('both in the critical section', (s) => s.at(p0, 'cs') && s.at(p1, 'cs'))
 * sometimes('a pinned folio is under writeback', (s) => s.test(pinned) && s.test(writeback))
 */
import { UsageError } from '../util/errors.ts';
import { truth } from './truth.ts';
import type { State } from './state.ts';
import type { ActorRef, ArrayVar, Var } from './vars.ts';
import type { Resource } from './resource.ts';

/** The step of an edge, as transition properties and traces see it. */
export interface StepInfo {
  readonly actor: ActorRef;
  readonly label: string;
  readonly fn: string;
  readonly frame: readonly string[];
  /** The state fields the step reads in `before` (its guard and effect, run again on a recording view; see `reads.ts`). */
  readonly reads: (before: State) => ReadonlySet<Var | ArrayVar>;
}

export interface Transition { readonly before: State; readonly step: StepInfo; readonly after: State }

/** A transition of the explored space, for whole-space properties: with the locks its step may take. */
export interface SpaceStep extends Transition {
  readonly acquires: readonly Resource[];
  readonly trylock: boolean;
  /** A handle on this transition (for `Space.run` and `Finding.at`). */
  readonly at: number;
}

/** The whole explored state space, after exploration: what a `space` property analyses. */
export interface Space {
  /** Every transition whose step may take a lock (`acquires`), in breadth-first order of its source state (the first seen is on a shortest run). */
  forEach(visit: (t: SpaceStep) => void): void;
  /** The steps of a shortest run from the initial state that ends with transition `at`. */
  run(at: number): readonly StepInfo[];
}

/** What a `space` property found: the transition whose shortest run is the counterexample, and the report. */
export interface Finding { readonly at: number; readonly lines: readonly string[] }

/** What a report prints under a trace that breaks a property (lockdep's splat): lines of text. */
export type Explain = (s: State, next: (actor: ActorRef) => StepInfo | undefined) => readonly string[];

export type Property =
  /** `keyword: 'never'` when written with `never` (the predicate is then already negated). */
  | { readonly kind: 'always'; readonly name: string; readonly pred: (s: State) => boolean; readonly keyword?: 'never'; readonly explain?: Explain }
  | { readonly kind: 'sometimes'; readonly name: string; readonly pred: (s: State) => boolean }
  | { readonly kind: 'transition'; readonly name: string; readonly pred: (t: Transition) => boolean; readonly explainStep?: (t: Transition) => readonly string[] }
  /**
   * A property of the whole explored space (lockdep's lock-order graph, irq-usage bits): checked
   * once exploration is complete and found nothing else; a finding is the `lockdep` verdict.
   */
  | { readonly kind: 'space'; readonly name: string; readonly analyse: (space: Space) => Finding | undefined }
  /** Liveness: from every reachable `from` state, every fair run reaches `to` (see `liveness.ts`). */
  | { readonly kind: 'leadsTo'; readonly name: string; readonly from: (s: State) => boolean; readonly to: (s: State) => boolean; readonly fromInitOnly: boolean };

/** `p` holds in every reachable state. */
export const always = (name: string, pred: (s: State) => boolean): Property => ({ kind: 'always', name, pred });

/** `p` holds in no reachable state. */
export const never = (name: string, pred: (s: State) => boolean, opts: { explain?: Explain } = {}): Property =>
  ({ kind: 'always', name, pred: (s) => !truth(pred(s), `property '${name}'`), keyword: 'never', ...(opts.explain ? { explain: opts.explain } : {}) });

/** Some reachable state satisfies `p` (a vacuity guard for the racy window). */
export const sometimes = (name: string, pred: (s: State) => boolean): Property => ({ kind: 'sometimes', name, pred });

/** `p` holds on every edge `before --step--> after`. */
export const transition = (name: string, pred: (t: Transition) => boolean, opts: { explain?: (t: Transition) => readonly string[] } = {}): Property =>
  ({ kind: 'transition', name, pred, ...(opts.explain ? { explainStep: opts.explain } : {}) });

/** Every fair run from the initial state reaches a state satisfying `p` (`<>p`). */
export const eventually = (name: string, p: (s: State) => boolean): Property =>
  ({ kind: 'leadsTo', name, from: () => true, to: p, fromInitOnly: true });

/** Whenever `p` holds, every fair continuation later reaches `q` (`p ~> q`). */
export const leadsTo = (name: string, p: (s: State) => boolean, q: (s: State) => boolean): Property =>
  ({ kind: 'leadsTo', name, from: p, to: q, fromInitOnly: false });

/** `q` holds infinitely often on every fair run (`[]<>q`): a kthread returns to its start, some DIO keeps completing. */
export const infinitelyOften = (name: string, q: (s: State) => boolean): Property =>
  ({ kind: 'leadsTo', name, from: () => true, to: q, fromInitOnly: false });

/** The task runs to the end of its program on every fair run. */
export const terminates = (actor: ActorRef, name = `${actor.name} terminates`): Property => eventually(name, (s) => s.done(actor));

/** The actor comes back to the start of its program infinitely often (a kthread's main loop keeps turning). */
export const returnsToStart = (actor: ActorRef, name = `${actor.name} returns to its start infinitely often`): Property =>
  infinitelyOften(name, (s) => s.at(actor, '@start'));

/** Name of the built-in deadlock property (global deadlock and wait-for cycles). */
export const DEADLOCK = 'deadlock';

/** How the model wrote the property: `always`, `never`, `sometimes`, `transition`, `leadsTo`. */
export const keywordOf = (p: Property): string => (p.kind === 'always' ? p.keyword ?? 'always' : p.kind);

/** The properties `name` refers to: the one with that full name, else those whose first word it is. */
export function propertiesNamed(props: readonly Property[], name: string): Property[] {
  const exact = props.filter((p) => p.name === name);
  return exact.length > 0 ? exact : props.filter((p) => p.name.split(' ')[0] === name);
}

/** The one property `name` refers to (its full name or first word); a usage error if none or several. */
export function findProperty(props: readonly Property[], name: string, owner: string): Property {
  const found = propertiesNamed(props, name);
  if (found.length === 1) return found[0]!;
  const list = (ps: readonly Property[]): string => ps.map((p) => `'${p.name}'`).join(', ');
  if (found.length > 1) throw new UsageError(`--property ${name}: ambiguous in ${owner}, it is the first word of ${list(found)}; give the full name`);
  throw new UsageError(`--property ${name}: ${owner} has no such property (it has: ${[DEADLOCK, list(props)].filter(Boolean).join(', ')})`);
}
