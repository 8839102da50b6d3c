/**
 * Finite domains for state fields. Every field of a kmc state is declared with one, so that the
 * fast explorer can store a state as a fixed-width packed bit vector.
 *
 * Inside steps, every value is a small integer: booleans are 0/1, an enum value is its index,
 * an owner is an actor id (or {@link NONE}), a small set is a bitmask. Traces and ITF files show
 * the decoded value (`true`, `'PG_dirty'`, `'T1'`, `Set {'T1','T2'}`).
 *
 * @example
 * const dirty = sys.var('dirty', bool());             // 0 | 1
 * const users = sys.var('users', int(0, 3));
 * const pte   = sys.var('pte', enumOf('none', 'ro', 'rw'));
 * const owner = sys.var('owner', owner());             // NONE or an actor id
 * const pins  = sys.var('pins', setOf('K', 'D'));      // bitmask over the universe
 */
import { Set as ISet } from 'immutable';
import { match } from 'ts-pattern';
import { ModelError } from '../util/errors.ts';

/** "No owner" in an {@link owner} field. */
export const NONE = -1;

/** Names the layout needs to resolve actor-sized domains. */
export interface DomainContext { readonly actors: readonly string[] }

export type Domain =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'owner' }
  | { readonly kind: 'set'; readonly universe: readonly string[] | 'actors' };

/** `false`/`true`, stored as 0/1. */
export const bool = (): Domain => ({ kind: 'bool' });

/** An integer in `min..max` inclusive. */
export const int = (min: number, max: number): Domain => {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max || max - min > 0x7fffffff)
    throw new ModelError('KMC013', `int(${min}, ${max}): need integers with min <= max`);
  return { kind: 'int', min, max };
};

/** One of the given names, stored as its index: `enumOf('a','b').kind`, `s.get(v) === 1` means `'b'`. */
export const enumOf = (...values: string[]): Domain => {
  if (values.length === 0 || new Set(values).size !== values.length)
    throw new ModelError('KMC013', `enumOf(${values.join(', ')}): need distinct names`);
  return { kind: 'enum', values };
};

/** An actor id or {@link NONE}: the holder of a mutex, the task that set a flag. */
export const owner = (): Domain => ({ kind: 'owner' });

/** A subset of a small universe (at most 30 names, or every actor), stored as a bitmask. */
export const setOf = (...universe: string[]): Domain => {
  if (universe.length > 30) throw new ModelError('KMC013', `setOf(${universe.join(', ')}): at most 30 elements`);
  return { kind: 'set', universe };
};

/** A set of actors (e.g. the readers of an rwsem), stored as a bitmask over actor ids. */
export const actorSet = (): Domain => ({ kind: 'set', universe: 'actors' });

const universeOf = (d: Domain & { kind: 'set' }, ctx: DomainContext): readonly string[] =>
  d.universe === 'actors' ? ctx.actors : d.universe;

/** Inclusive integer range of a domain's encoding. */
export const rangeOf = (d: Domain, ctx: DomainContext): readonly [number, number] =>
  match(d)
    .with({ kind: 'bool' }, () => [0, 1] as const)
    .with({ kind: 'int' }, (d) => [d.min, d.max] as const)
    .with({ kind: 'enum' }, (d) => [0, d.values.length - 1] as const)
    .with({ kind: 'owner' }, () => [NONE, ctx.actors.length - 1] as const)
    .with({ kind: 'set' }, (d) => [0, 2 ** universeOf(d, ctx).length - 1] as const)
    .exhaustive();

/** The value a step sees → the value a trace shows. */
export const decodeValue = (d: Domain, v: number, ctx: DomainContext): unknown =>
  match(d)
    .with({ kind: 'bool' }, () => v !== 0)
    .with({ kind: 'int' }, () => v)
    .with({ kind: 'enum' }, (d) => d.values[v])
    .with({ kind: 'owner' }, () => (v === NONE ? null : ctx.actors[v]))
    .with({ kind: 'set' }, (d) => ISet(universeOf(d, ctx).filter((_, i) => (v >>> i) & 1)))
    .exhaustive();

/** Inverse of {@link decodeValue}; `undefined` if the value is not in the domain. */
export const encodeValue = (d: Domain, x: unknown, ctx: DomainContext): number | undefined =>
  match(d)
    .with({ kind: 'bool' }, () => (typeof x === 'boolean' ? Number(x) : undefined))
    .with({ kind: 'int' }, (d) => (Number.isInteger(x) && (x as number) >= d.min && (x as number) <= d.max ? (x as number) : undefined))
    .with({ kind: 'enum' }, (d) => { const i = d.values.indexOf(x as string); return i < 0 ? undefined : i; })
    .with({ kind: 'owner' }, () => {
      if (x === null) return NONE;
      const i = ctx.actors.indexOf(x as string); return i < 0 ? undefined : i;
    })
    .with({ kind: 'set' }, (d) => {
      if (!ISet.isSet(x)) return undefined;
      const u = universeOf(d, ctx); let m = 0;
      for (const e of x as ISet<unknown>) { const i = u.indexOf(e as string); if (i < 0) return undefined; m |= 1 << i; }
      return m;
    })
    .exhaustive();

/** Human description for error messages: `int(0..3)`, `enum(none|ro|rw)`. */
export const describeDomain = (d: Domain, ctx: DomainContext): string =>
  match(d)
    .with({ kind: 'enum' }, (d) => `enum(${d.values.join('|')})`)
    .with({ kind: 'set' }, (d) => `set(${universeOf(d, ctx).join(',')})`)
    .with({ kind: 'owner' }, () => `owner(none|${ctx.actors.join('|')})`)
    .with({ kind: 'bool' }, () => `bool`)
    .with({ kind: 'int' }, (d) => `int(${d.min}..${d.max})`)
    .exhaustive();
