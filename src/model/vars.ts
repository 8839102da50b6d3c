/**
 * Handles to state fields. A model declares every field up front (`sys.var`, `sys.array`,
 * `self.local`) and gets a handle; steps read and update the state through it:
 *
 * @example
 * const fork = sys.array('fork', n, owner());         // ArrayVar
 * step('take left', { when: (s) => s.get(fork, l) === NONE, then: (s) => s.set(fork, l, self.id) })
 */
import type { Domain } from './domain.ts';

/** A scalar field. Locals are scalars that belong to one actor (`actor` is its id). */
export interface Var {
  readonly kind: 'var';
  readonly name: string;
  readonly domain: Domain;
  /** Position in the unpacked state vector. */
  readonly slot: number;
  readonly actor: number | undefined;
}

/** A fixed-length array field: `fork[0..n-1]`. */
export interface ArrayVar {
  readonly kind: 'array';
  readonly name: string;
  readonly domain: Domain;
  readonly slot: number;
  readonly length: number;
  readonly actor: undefined;
}

export type Field = Var | ArrayVar;

/**
 * Fairness an actor gets in liveness checks: `weak` (default: an actor continuously able to
 * step eventually steps), `strong` (one able to step infinitely often eventually steps — for
 * waiters on locks that are repeatedly free), `none` (no guarantee: a long-term pin holder that
 * never unpins, an unbounded competitor).
 */
export type Fairness = 'weak' | 'strong' | 'none';

/** An actor as properties and primitives see it. */
export interface ActorRef {
  readonly id: number;
  readonly name: string;
  /** `task`s must terminate (a blocked task is a deadlock); `kthread`s may idle or loop forever. */
  readonly kind: 'task' | 'kthread';
  readonly fairness: Fairness;
}
