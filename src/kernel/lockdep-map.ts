/**
 * What `lockdep_init_map()` (kernel/locking/lockdep.c) records of every lock a model declares:
 * the lock, its kind, and so its wait type. lockdep's rules (`lockdep.ts`) read this list;
 * `registerLock` (`locks.ts`) fills it.
 */
import { ModelError } from '../util/errors.ts';
import { int, type Domain } from '../model/domain.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';

/**
 * `bit`: a lock lockdep does not track (the folio lock's PG_locked, bcachefs's two-state lock); `ww`: tracked by its acquire context instead;
 * `map`: a bare `lockdep_map` annotating something that is not a lock (jbd2's `jbd2_handle`), tracked, with no wait type.
 */
export type LockKind = 'spin' | 'rwlock' | 'sleep' | 'rcu' | 'ww' | 'bit' | 'map';

export interface DeclaredLock { readonly resource: Resource; readonly kind: LockKind }

/** What lockdep's maps record in a system (its entry in `sys.registry`). */
interface LockdepMaps {
  /** Every lock, in declaration order. */
  readonly locks: DeclaredLock[];
  /** Per class name, the `lock_class_key`s named so, in the order first named (`lockClassName`). */
  readonly classKeys: Map<string, object[]>;
  /** Per lock, the local of each actor that took it `_nested` (`subclassVar`). */
  readonly subclasses: Map<Resource, Map<number, Var>>;
}
const MAPS = systemKey<LockdepMaps>('lockdep-map', () => ({ locks: [], classKeys: new Map(), subclasses: new Map() }));

/** Records `r` as a lock of `sys`. */
export function recordLock(sys: System, r: Resource, kind: LockKind): void {
  sys.registry.get(MAPS).locks.push({ resource: r, kind });
}

/** The locks declared in `sys`, in declaration order. */
export const locksOf = (sys: System): readonly DeclaredLock[] => sys.registry.peek(MAPS)?.locks ?? [];

/** lockdep's wait type of a kind: `{outer:inner}`. */
export const waitType = (kind: LockKind): string => (kind === 'spin' || kind === 'rwlock' ? '{2:2}' : kind === 'rcu' ? '{1:2}' : kind === 'bit' || kind === 'map' ? '{0:0}' : '{4:4}');

/** Kinds whose acquisitions lockdep's order and usage rules see (not the folio lock, not ww_mutexes). */
export const lockdepTracks = (kind: LockKind): boolean => kind !== 'bit' && kind !== 'ww';

/**
 * What a step that may enable interrupts or bottom halves lists in `acquires`
 * (`spin_unlock_irq`, `local_irq_enable`, `local_bh_enable`, …): it takes no lock, but lockdep
 * sees the transition (`lockdep_hardirqs_on` / `lockdep_softirqs_on`) and marks every lock the
 * actor still holds as taken with them enabled (`mark_held_locks`).
 */
export const IRQS_ON: Resource = { name: 'lockdep_hardirqs_on', waitsFor: () => [] };

/**
 * lockdep's name of the class of `key` (a `struct lock_class_key`: any object standing for it,
 * e.g. a filesystem record for `sb->s_type->i_mutex_key`), named `name` as `lockdep_set_class`
 * names it (the key expression, `#key`) or `lockdep_set_class_and_name` gives it. Classes that
 * share a name print as lockdep prints them (`__print_lock_name`, `count_matching_names`): the
 * first bare, the next `name#2`, `name#3`, … — numbered here in the order the model declares
 * them, where the kernel numbers them in the order they were first used since boot.
 */
export function lockClassName(sys: System, name: string, key: object): string {
  const { classKeys } = sys.registry.get(MAPS), keys = classKeys.get(name) ?? [];
  classKeys.set(name, keys);
  let i = keys.indexOf(key);
  if (i < 0) i = keys.push(key) - 1;
  return i === 0 ? name : `${name}#${i + 1}`;
}

/** `MAX_LOCKDEP_SUBCLASSES` (include/linux/lockdep_types.h): subclasses 0..7. */
export const MAX_LOCKDEP_SUBCLASSES = 8;

/**
 * The subclass of each nested acquisition (`lock_acquire(…, subclass, …)` from
 * `down_write_nested`, `mutex_lock_nested`, …), as lockdep keeps it in the task's held-lock
 * stack (`held_lock.class_idx`, `look_up_lock_class(lock, subclass)`: `lock->key->subkeys +
 * subclass`, a class of its own). Stored in the holder's local `lockdep:<lock>` (declared by the
 * first nested acquisition an actor makes of that lock), set when it takes the lock, back to 0
 * when it releases it: the value follows the holder's program position and adds no state.
 */
/** An actor that can declare its own locals (a task's `Self`, or `current(self)`), in its system. */
export interface WithLocals extends ActorRef { local(name: string, domain: Domain, init?: number | boolean): Var; readonly sys: System }

const hasLocals = (actor: ActorRef): actor is WithLocals =>
  typeof (actor as Partial<WithLocals>).local === 'function' && (actor as Partial<WithLocals>).sys !== undefined;

/** The subclass locals of `r` in `sys`, if any actor took it `_nested`. */
const subclassesOf = (sys: System | undefined, r: Resource): Map<number, Var> | undefined => sys?.registry.peek(MAPS)?.subclasses.get(r);

/** The local recording the subclass `actor` holds `r` with (declared on first use). */
export function subclassVar(r: Resource, actor: ActorRef, what: string): Var {
  if (!hasLocals(actor)) throw new ModelError('KMC013', `${what}: the actor must be the task's self or current(self) (the subclass is recorded in the task, as lockdep's held_locks are)`);
  const { subclasses } = actor.sys.registry.get(MAPS), byActor = subclasses.get(r) ?? new Map<number, Var>();
  subclasses.set(r, byActor);
  let v = byActor.get(actor.id);
  if (v === undefined) {
    v = actor.local(`lockdep:${r.name}`, int(0, MAX_LOCKDEP_SUBCLASSES - 1));
    byActor.set(actor.id, v);
  }
  return v;
}

/** Checks a subclass argument: 0..MAX_LOCKDEP_SUBCLASSES-1 (lockdep: "BUG: looking up invalid subclass"). */
export function checkSubclass(subclass: number, what: string): number {
  if (!Number.isInteger(subclass) || subclass < 0 || subclass >= MAX_LOCKDEP_SUBCLASSES) throw new ModelError('KMC013', `${what}: subclass ${subclass} is not in 0..${MAX_LOCKDEP_SUBCLASSES - 1} (MAX_LOCKDEP_SUBCLASSES)`);
  return subclass;
}

/** On a release by `actor` (the task's self or `current(self)`): its subclass of `r` back to 0 (nothing if it never nested it). */
export const clearSubclass = (s: State, r: Resource, actor: ActorRef): State => {
  const v = subclassesOf(hasLocals(actor) ? actor.sys : undefined, r)?.get(actor.id);
  return v === undefined || s.get(v) === 0 ? s : s.set(v, 0);
};

/** lockdep's class of `r` (a lock of `sys`) as `actor` holds it in `s`: `class`, or `class/N` for subclass N (`__print_lock_name`). */
export const heldClass = (s: State, sys: System, r: Resource, actor: number): string => heldClasses(sys)(s, r, actor);

/** @internal `heldClass` for the locks of `sys`, its subclass records looked up once (for lockdep's scan of a whole space, after `setup`). */
export const heldClasses = (sys: System): ((s: State, r: Resource, actor: number) => string) => {
  const subclasses = sys.registry.peek(MAPS)?.subclasses;
  return (s, r, actor) => {
    const v = subclasses?.get(r)?.get(actor), sub = v === undefined ? 0 : s.get(v), cls = r.lockClass ?? r.name;
    return sub === 0 ? cls : `${cls}/${sub}`;
  };
};
