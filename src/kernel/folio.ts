/**
 * A page-cache folio (include/linux/page-flags.h, include/linux/mm.h): its flags, its lock, its
 * filesystem-private state, and who holds GUP references to it. Every waitable thing records
 * its holders, so a step that waits on a folio needs no callbacks: `PG_locked` and
 * `PG_writeback` store the actor that set them, pins and references are sets of actors.
 *
 * | field        | kernel                                  | values                              |
 * |--------------|-----------------------------------------|-------------------------------------|
 * | `cached`     | in `mapping->i_pages`                   | bool (false: never added, or removed) |
 * | `uptodate`   | `PG_uptodate`                           | bool                                |
 * | `locked`     | `PG_locked` (the folio lock)            | owner                               |
 * | `dirty`      | `PG_dirty`                              | bool                                |
 * | `writeback`  | `PG_writeback`                          | owner: who started the I/O          |
 * | `private`    | `folio->private`: ext4 buffer_heads, bcachefs `bch_folio` | `none` / `clean` / `dirty`: attached, and reserved for the current dirty epoch (`->page_mkwrite` ran, or `->write_end` committed copied bytes, since the last clean; `->write_begin` only attaches) |
 * | `pins`       | `FOLL_PIN` references (`_pincount` / `GUP_PIN_COUNTING_BIAS`) | set of holders   |
 * | `refs`       | `FOLL_GET` references (plain refcount)  | set of holders (invisible to `folio_maybe_dma_pinned`) |
 * | `orphans`    | pages removed from the page cache while someone held a GUP reference: the memory lives on, no longer the file's | set of holders |
 * | `orphanLock` | the removed folio's own `PG_locked`     | owner                               |
 * | `orphanDirty`| the removed folio's own `PG_dirty`      | bool                                |
 *
 * A removed folio is still the same folio for whoever holds a reference to it
 * (mm/filemap.c: `filemap_remove_folio` only clears `folio->mapping`; the caller — truncate,
 * invalidate, reclaim — holds the folio lock across the removal and unlocks it afterwards).
 * The record keeps the slot's fields for the folio in the page cache and the orphan's lock and
 * dirty bit for the removed one: a GUP holder that locks the orphan waits while the remover
 * still holds it (the remover's `folio_unlock` releases both), and the orphan's lock is not the
 * lock of a folio later created in the same slot.
 *
 * Ghost state that only properties need (content versions, what writeback submitted) is not
 * here: properties attach probes to the folio's tracepoints (`onTrace`) and keep their own
 * variables (see `properties/`).
 *
 * @example
 * const A = file(sys, 'A', { folios: 1 });
 * const f = A.folios[0]!;
 * [folio_lock(f, t), folio_mark_dirty(f, t), folio_unlock(f, t)]
 */
import { registerLock } from './locks.ts';
import { actorSet, bool, enumOf, owner, NONE } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import { acquire, release, type Mutex } from './mutex.ts';
import { bits } from './bits.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';

/** `folio->private` as the filesystem sees it. */
export const PRIVATE = { none: 0, clean: 1, dirty: 2 } as const;

/** A kernel event on a folio that ghost state may follow (named after what happens, as tracepoints are). */
export type FolioTrace =
  /** the folio's memory changed (a store through a PTE, a DMA, a copy) */
  | 'write'
  /** writeback submitted the folio's contents (`bounce`: a copy of them) */
  | 'writeback_submit' | 'writeback_submit_bounce'
  /** the I/O completed: PG_writeback cleared */
  | 'writeback_end'
  /** writeback cleaned the folio without writing its data (ext4 without buffers, bcachefs without dirty sectors) */
  | 'writeback_discard'
  /** a GUP user wrote a page the page cache no longer holds (an orphan) */
  | 'orphan_write'
  /** a GUP user committed a write to a page the page cache no longer holds (an unpin-dirty of an orphan) */
  | 'orphan_commit'
  /** the folio left the page cache (truncate, invalidate, reclaim) */
  | 'removed'
  /** the folio was read from the block on disk */
  | 'read_from_disk'
  /** a direct write replaced the block on disk behind the folio's index */
  | 'disk_write'
  /** the filesystem freed the block behind the folio's index (a hole now) */
  | 'blocks_freed'
  /** direct I/O could not invalidate the folio after writing around it (`dio_warn_stale_pagecache`) */
  | 'stale_after_dio';

export type Probe = (s: State, actor: number) => State;

export interface Folio {
  /** `A` for a file's only folio, `A#i` for folio i of a larger one. */
  readonly name: string;
  readonly index: number;
  readonly lock: Mutex;
  readonly cached: Var;
  readonly uptodate: Var;
  readonly dirty: Var;
  readonly writeback: Var;
  readonly private: Var;
  readonly pins: Var;
  readonly refs: Var;
  readonly orphans: Var;
  /** The removed folio's `PG_locked`: the remover until its `folio_unlock`, then a holder that locks the orphan. */
  readonly orphanLock: Mutex;
  /** The removed folio's `PG_dirty` (`noop_dirty_folio`: a folio without a mapping is only flagged). */
  readonly orphanDirty: Var;
  /** What a waiter for `PG_writeback` waits on: the actor that started the I/O. */
  readonly underWriteback: Resource;
  /** Probes of each tracepoint, run in the order attached. */
  readonly probes: Map<FolioTrace, Probe[]>;
  /** The system it was declared in (the library finds the folio's per-system records through it). */
  readonly sys: System;
}

export interface FolioInit {
  readonly cached?: boolean;
  readonly uptodate?: boolean;
  readonly dirty?: boolean;
  readonly private?: keyof typeof PRIVATE;
}

/** @internal Declares folio `name` (use `file()`, which declares a file's folios). */
export function folio(sys: System, name: string, index: number, init: FolioInit = {}): Folio {
  const locked = sys.var(`${name}.PG_locked`, owner());
  const writeback = sys.var(`${name}.PG_writeback`, owner());
  // the remover's folio_unlock releases the folio it removed too (it is the folio it locked)
  const lock = bitLock(sys, `folio ${name}`, locked, (s, was) => (orphanLock.holder(s) === was ? orphanLock.setHolder(s, NONE) : s));
  const cached = sys.var(`${name}.cached`, bool(), init.cached ?? true);
  const uptodate = sys.var(`${name}.PG_uptodate`, bool(), init.uptodate ?? init.cached ?? true);
  const dirty = sys.var(`${name}.PG_dirty`, bool(), init.dirty ?? false);
  const priv = sys.var(`${name}.private`, enumOf('none', 'clean', 'dirty'), PRIVATE[init.private ?? 'clean']);
  const pins = sys.var(`${name}.pins`, actorSet()), refs = sys.var(`${name}.gup_refs`, actorSet()), orphans = sys.var(`${name}.orphaned_refs`, actorSet());
  const orphanLock = bitLock(sys, `folio ${name} (removed)`, sys.var(`${name}.orphan.PG_locked`, owner()));
  return {
    name, index, lock, writeback, cached, uptodate, dirty, private: priv, pins, refs, orphans, orphanLock,
    orphanDirty: sys.var(`${name}.orphan.PG_dirty`, bool()),
    underWriteback: { name: `PG_writeback ${name}`, lockClass: `PG_writeback`, waitsFor: (s) => (s.get(writeback) === NONE ? [] : [s.get(writeback)]) },
    probes: new Map(),
    sys,
  };
}

/** A `PG_locked` bit lock in `v`; `onRelease` runs when its holder `was` releases it. */
function bitLock(sys: System, name: string, v: Var, onRelease?: (s: State, was: number) => State): Mutex {
  const lock: Mutex = {
    name, lockClass: `PG_locked`,
    holder: (s) => s.get(v),
    setHolder: (s, id) => {
      const was = s.get(v);
      return id === NONE && onRelease && was !== NONE ? onRelease(s.set(v, id), was) : s.set(v, id);
    },
    waitsFor: (s) => (s.get(v) === NONE ? [] : [s.get(v)]),
    holds: (s, a) => s.get(v) === a,
  };
  return registerLock(sys, lock, 'bit');
}

/** Attaches a probe to a folio tracepoint (ghost state for properties). */
export function onTrace(f: Folio, event: FolioTrace, probe: Probe): void {
  const list = f.probes.get(event) ?? [];
  list.push(probe);
  f.probes.set(event, list);
}

/** @internal Fires a tracepoint: every probe attached to it updates the state in turn. */
export function trace(f: Folio, event: FolioTrace, s: State, actor: number): State {
  for (const p of f.probes.get(event) ?? []) s = p(s, actor);
  return s;
}

const bit = (a: ActorRef | number): number => 1 << (typeof a === 'number' ? a : a.id);
export const has = (s: State, set: Var, a: ActorRef | number): boolean => (s.get(set) & bit(a)) !== 0;
export const add = (s: State, set: Var, a: ActorRef | number): State => s.set(set, s.get(set) | bit(a));
export const remove = (s: State, set: Var, a: ActorRef | number): State => s.set(set, s.get(set) & ~bit(a));

/** `folio_maybe_dma_pinned()` (include/linux/mm.h): FOLL_PIN references only, and no direction. */
export const folio_maybe_dma_pinned = (s: State, f: Folio): boolean => s.get(f.pins) !== 0;

/** Anyone holds a GUP reference (FOLL_PIN or FOLL_GET) to the page cache's folio. */
export const folio_gup_referenced = (s: State, f: Folio): boolean => s.get(f.pins) !== 0 || s.get(f.refs) !== 0;

/** The actors holding a GUP reference (pin or get) to the folio, as a list. */
export const gupHolders = (s: State, f: Folio): number[] => bits(s.get(f.pins) | s.get(f.refs));

/**
 * `folio_lock()`: sleeps until PG_locked is clear and takes it. **Fairness: hands off.** The
 * waiter queues exclusively at the tail of the folio's wait queue and, after
 * `page_lock_unfairness` wakeups that found the bit re-taken, asks for the lock to be handed
 * over (`WQ_FLAG_CUSTOM` in `folio_wait_bit_common`): `folio_unlock`'s wakeup sets PG_locked
 * on its behalf (`wake_page_function`). A strongly fair step (`StepSpec.handoff`); the
 * trylock is owed nothing (reclaim's `folio_trylock` skips the folio).
 */
export const folio_lock = (f: Folio, self: ActorRef): Node => acquire(f.lock, self, `folio_lock(${f.name})`, `mm/filemap.c: __folio_lock`);
export const folio_unlock = (f: Folio, self: ActorRef): Node => release(f.lock, self, `folio_unlock(${f.name})`, `mm/filemap.c: folio_unlock`);

/**
 * `folio_lock()` of a folio the caller holds a reference to, which truncation may have taken out
 * of the page cache meanwhile (mm/filemap.c: `filemap_remove_folio` only clears
 * `folio->mapping`): `lockOf(s)` is the cached folio's lock or, once it was removed, the removed
 * folio's own (`orphanLock`), and the step waits for whichever it is — as `folio_lock`, handing
 * off. Used for the page GUP holds (gup.ts) and for `vmf->page` in `->page_mkwrite` (fault.ts).
 */
export const folio_lock_held = (f: Folio, self: ActorRef, lockOf: (s: State) => Mutex): Node =>
  step(`folio_lock(${f.name})`, {
    fn: 'mm/filemap.c: __folio_lock',
    when: (s) => lockOf(s).holder(s) === NONE,
    then: (s) => lockOf(s).setHolder(s, self.id),
    blocksOn: { ...f.lock, waitsFor: (s, w) => lockOf(s).waitsFor(s, w), holds: (s, a) => lockOf(s).holds!(s, a) },
    acquires: f.lock, sleeps: true, handoff: true,
  });

/** `folio_unlock()` of the folio `folio_lock_held` locked: the cached folio's lock or the removed folio's, whichever the caller holds. */
export const folio_unlock_held = (f: Folio, self: ActorRef): Node =>
  step(`folio_unlock(${f.name})`, {
    fn: 'mm/filemap.c: folio_unlock',
    then: (s) => {
      const held = f.lock.holder(s) === self.id ? f.lock : f.orphanLock.holder(s) === self.id ? f.orphanLock : undefined;
      if (held === undefined) throw new Error(`folio_unlock(${f.name}) by ${self.name}, which does not hold it`);
      return held.setHolder(s, NONE);
    },
  });

/** `folio_trylock()`: takes the folio lock if free; 1 in `result` if taken, else 0. Never blocks. */
export const folio_trylock = (f: Folio, self: ActorRef, result: Var): Node =>
  step(`folio_trylock(${f.name})`, {
    fn: `include/linux/pagemap.h: folio_trylock`,
    acquires: f.lock, trylock: true,
    then: (s) => (f.lock.holder(s) === NONE ? f.lock.setHolder(s, self.id).set(result, 1) : s.set(result, 0)),
  });

/**
 * `folio_mark_dirty()` (mm/page-writeback.c): sets PG_dirty through the mapping's
 * `->dirty_folio` (ext4_dirty_folio / filemap_dirty_folio), which does not notify the
 * filesystem: `private` is left as it is.
 */
export const folio_mark_dirty = (f: Folio, as = `mm/page-writeback.c: folio_mark_dirty`): Node =>
  step(`folio_mark_dirty(${f.name})`, { fn: as, then: (s) => s.set(f.dirty, true) });

/** `folio_wait_writeback()` (mm/page-writeback.c): sleeps while PG_writeback is set. */
export const folio_wait_writeback = (f: Folio): Node =>
  step(`folio_wait_writeback(${f.name})`, {
    fn: `mm/page-writeback.c: folio_wait_writeback`,
    when: (s) => s.get(f.writeback) === NONE,
    blocksOn: f.underWriteback, sleeps: true,
  });

/**
 * `folio_wait_stable()` (mm/page-writeback.c): waits out writeback when the mapping has stable
 * writes (`mapping_stable_writes`: checksums, DIF/DIX); a no-op step otherwise.
 */
export const folio_wait_stable = (f: Folio, stableWrites: boolean): Node =>
  step(`folio_wait_stable(${f.name})`, {
    fn: `mm/page-writeback.c: folio_wait_stable`,
    when: stableWrites ? (s) => s.get(f.writeback) === NONE : undefined,
    blocksOn: f.underWriteback, sleeps: stableWrites,
  });

/** A write into the folio's memory (a store, a DMA, a copy): the `write` tracepoint. */
export const folio_write = (s: State, f: Folio, actor: number): State => trace(f, 'write', s, actor);
