/**
 * The locks a model declared, per system, with their kind: what lockdep's reports list as held
 * and how they print a lock's name (`print_lock_name`: `(class){usage}-{outer:inner}`, where
 * the wait type is 2 for a spinning lock, 4 for a sleeping one, 1 for RCU).
 */
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';

/**
 * `bit`: a lock lockdep does not track (the folio lock's PG_locked, bcachefs's two-state lock); `ww`: tracked by its acquire context instead;
 * `map`: a bare `lockdep_map` annotating something that is not a lock (jbd2's `jbd2_handle`), tracked, with no wait type.
 */
export type LockKind = 'spin' | 'rwlock' | 'sleep' | 'rcu' | 'ww' | 'bit' | 'map';

export interface DeclaredLock { readonly resource: Resource; readonly kind: LockKind }

const declared = new WeakMap<System, DeclaredLock[]>();

/** Records `r` as a lock of `sys` (returns it). */
export function registerLock<R extends Resource>(sys: System, r: R, kind: LockKind): R {
  const list = declared.get(sys) ?? [];
  list.push({ resource: r, kind });
  declared.set(sys, list);
  return r;
}

/** The locks declared in `sys`, in declaration order. */
export const locksOf = (sys: System): readonly DeclaredLock[] => declared.get(sys) ?? [];

/** lockdep's wait type of a kind: `{outer:inner}`. */
export const waitType = (kind: LockKind): string => (kind === 'spin' || kind === 'rwlock' ? '{2:2}' : kind === 'rcu' ? '{1:2}' : kind === 'bit' || kind === 'map' ? '{0:0}' : '{4:4}');
