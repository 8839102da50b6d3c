/**
 * Interchangeable actors, declared (`sys.symmetric(...)`): `kmc check --symmetry` then explores
 * the states up to a permutation of the group's members — one state per orbit — instead of
 * every permutation of them (TLC's `SYMMETRY`, Stateright's `representative`, SymmSpin).
 *
 * A **member** is one actor (or a few) together with the state that belongs to it: whatever is
 * declared inside `group.member(i, () => …)` — its actors (their pcs and locals), and fields
 * such as its own file or its own buffer — plus element `i` of each array named in `indexed`
 * (`fork[i]` of philosopher i). Every member must declare the same shape: the same fields with
 * the same domains in the same order, and actors of the same program. Actor ids stored in the
 * state are renamed with the members: an `owner()` field holding member i's actor, an
 * `actorSet()` with it as an element. Other values are not renamed (an `int` or `enumOf` that
 * encodes an actor's identity breaks the symmetry: use `owner()`).
 *
 * The group is one of:
 * - `'permutation'`: any member may take any other's place (N identical DIO tasks, each on its
 *   own file): N! states become one, at best. Canonical form: members sorted by their
 *   id-free slots, ties broken by trying their orders.
 * - `'rotation'`: member i may only move to i+k mod N (a ring: philosopher i takes forks i and
 *   i+1, so swapping two philosophers is not a symmetry, turning the table is): N at best.
 *
 * The declaration is a claim the model makes: the steps of member i, renamed, must be the steps
 * of the member it is renamed to, and everything outside the members (other actors, shared
 * fields) must look the same after the renaming — a kthread whose arms serve every file alike
 * is fine. The initial state must be the same after any renaming (checked). Properties need not
 * be symmetric: `--symmetry` checks each over the whole orbit of a state. Agreement with the
 * full search is the test of a declaration (`kmc check` without `--symmetry`).
 *
 * @example
 * setup({ n }, sys) {
 *   const fork = mutexArray(sys, 'fork', n);
 *   const ring = sys.symmetric('rotation', n, { indexed: ['fork'] });
 *   for (let i = 0; i < n; i++)
 *     ring.member(i, () => sys.task(`phil${i}`, (self) => loop(mutex_lock(fork[i]!, self), …)));
 * }
 */
import { ModelError } from '../util/errors.ts';
import type { ArrayVar } from './vars.ts';

export type SymmetryKind = 'rotation' | 'permutation';

export interface SymmetryOptions {
  /** Arrays of length N (by handle or name) whose element i belongs to member i. */
  readonly indexed?: readonly (ArrayVar | string)[];
}

/** @internal What the declaration recorded: per member, its slots and actor ids in declaration order. */
export interface DeclaredSymmetry {
  readonly kind: SymmetryKind;
  readonly members: readonly { readonly slots: number[]; readonly actors: number[] }[];
  readonly indexed: readonly (ArrayVar | string)[];
}

/** The handle `sys.symmetric` returns: declare each member's state and actors inside `member`. */
export class SymmetricGroup {
  /** @internal */
  readonly declared: DeclaredSymmetry;
  readonly #enter: (i: number | undefined) => void;

  /** @internal */
  constructor(kind: SymmetryKind, n: number, opts: SymmetryOptions, enter: (i: number | undefined) => void) {
    if (kind !== 'rotation' && kind !== 'permutation') throw new ModelError('KMC013', `symmetric(${String(kind)}): expected 'rotation' or 'permutation'`);
    if (!Number.isInteger(n) || n < 2) throw new ModelError('KMC013', `symmetric('${kind}', ${n}): a group needs at least 2 members`);
    this.declared = { kind, members: Array.from({ length: n }, () => ({ slots: [], actors: [] })), indexed: opts.indexed ?? [] };
    this.#enter = enter;
  }

  /** Runs `declare`; the fields and actors it declares belong to member `i`. Returns what `declare` returns. */
  member<T>(i: number, declare: () => T): T {
    if (!Number.isInteger(i) || i < 0 || i >= this.declared.members.length)
      throw new ModelError('KMC013', `symmetric: member ${i} of ${this.declared.members.length} (members are 0..${this.declared.members.length - 1})`);
    this.#enter(i);
    try { return declare(); } finally { this.#enter(undefined); }
  }
}
