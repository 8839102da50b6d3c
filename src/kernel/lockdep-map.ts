/**
 * What `lockdep_init_map()` (kernel/locking/lockdep.c) records of every lock a model declares:
 * the lock, its kind, and so its wait type. lockdep's rules (`lockdep.ts`) read this list;
 * `registerLock` (`locks.ts`) fills it.
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

/** Records `r` as a lock of `sys`. */
export function recordLock(sys: System, r: Resource, kind: LockKind): void {
  const list = declared.get(sys) ?? [];
  list.push({ resource: r, kind });
  declared.set(sys, list);
}

/** The locks declared in `sys`, in declaration order. */
export const locksOf = (sys: System): readonly DeclaredLock[] => declared.get(sys) ?? [];

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
