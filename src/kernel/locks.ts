/**
 * The locks a model declared, per system, with their kind: what lockdep's reports list as held
 * and how they print a lock's name (`print_lock_name`: `(class){usage}-{outer:inner}`, where
 * the wait type is 2 for a spinning lock, 4 for a sleeping one, 1 for RCU).
 *
 * Declaring a lock lockdep tracks (a mutex, an rwsem, a spinlock, an rwlock) turns lockdep's
 * whole-space rules on for the system, as `lockdep_init_map()` does for every lock of a
 * CONFIG_PROVE_LOCKING kernel: no model has to ask for them.
 */
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import { lockdepTracks, recordLock, type LockKind } from './lockdep-map.ts';
import { lockdep } from './lockdep.ts';

export { locksOf, waitType, lockdepTracks, lockClassName, heldClass, MAX_LOCKDEP_SUBCLASSES, type DeclaredLock, type LockKind } from './lockdep-map.ts';

/** Records `r` as a lock of `sys` (returns it); a lock lockdep tracks turns its rules on. */
export function registerLock<R extends Resource>(sys: System, r: R, kind: LockKind): R {
  recordLock(sys, r, kind);
  if (lockdepTracks(kind) && r.holds !== undefined) lockdep(sys);
  return r;
}
