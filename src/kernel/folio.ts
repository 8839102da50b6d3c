/**
 * A page-cache folio and its PTE in one shared mapping (brief §2.1, §2.2), with the folio lock.
 *
 * Flags: `PG_locked` (an owner lock), `PG_dirty`, `PG_writeback`, `PG_uptodate`, in-cache;
 * fs state: `prepared` (the filesystem was notified for the current dirty epoch:
 * `->page_mkwrite` / `->write_begin` ran since the last clean) and `has_buffers` (ext4
 * buffer_heads / bcachefs `bch_folio`); pins: `FOLL_PIN` count (what `folio_maybe_dma_pinned()`
 * sees, without direction) and `FOLL_GET` references (invisible to it); ghost versions:
 * `content` (bumped by every write, mod 3), `wb_snap` (what writeback submitted), `bounced`
 * (the I/O writes a copy), `dropped` (writeback threw dirty data away).
 *
 * @example
 * const f = folio(sys, 'f');
 * [folio_lock(f, t), …, folio_unlock(f, t)]
 */
import { bool, enumOf, int, owner, NONE } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import { acquire, release, type Mutex } from './mutex.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';

export const PTE = { absent: 0, ro: 1, rw: 2 } as const;

export interface Folio {
  readonly name: string;
  readonly lock: Mutex;
  readonly pte: Var;
  readonly inCache: Var;
  readonly dirty: Var;
  readonly writeback: Var;
  readonly prepared: Var;
  readonly hasBuffers: Var;
  readonly pins: Var;
  readonly refs: Var;
  readonly content: Var;
  readonly wbSnap: Var;
  readonly bounced: Var;
  readonly dropped: Var;
}

export interface FolioInit { readonly pte?: keyof typeof PTE; readonly dirty?: boolean; readonly prepared?: boolean }

export function folio(sys: System, name: string, init: FolioInit = {}, maxPins = 1): Folio {
  const locked = sys.var(`${name}.PG_locked`, owner());
  const lock: Mutex = {
    name: `folio ${name}`, lockClass: `PG_locked`,
    holder: (s) => s.get(locked), setHolder: (s, id) => s.set(locked, id),
    waitsFor: (s) => (s.get(locked) === NONE ? [] : [s.get(locked)]),
  };
  return {
    name, lock,
    pte: sys.var(`${name}.pte`, enumOf('absent', 'RO-clean', 'RW-dirty'), PTE[init.pte ?? 'ro']),
    inCache: sys.var(`${name}.in_cache`, bool(), true),
    dirty: sys.var(`${name}.PG_dirty`, bool(), init.dirty ?? false),
    writeback: sys.var(`${name}.PG_writeback`, bool()),
    prepared: sys.var(`${name}.prepared`, bool(), init.prepared ?? false),
    hasBuffers: sys.var(`${name}.has_buffers`, bool(), true),
    pins: sys.var(`${name}.pincount`, int(0, maxPins)),
    refs: sys.var(`${name}.gup_refs`, int(0, maxPins)),
    content: sys.var(`${name}.content`, int(0, 2)),
    wbSnap: sys.var(`${name}.wb_snap`, int(0, 2)),
    bounced: sys.var(`${name}.bounced`, bool()),
    dropped: sys.var(`${name}.dropped`, bool()),
  };
}

/** A new content version: every write to the folio's memory bumps it. */
export const fresh = (s: State, f: Folio): State => s.set(f.content, (s.get(f.content) + 1) % 3);

/** `folio_maybe_dma_pinned()` (include/linux/mm.h): FOLL_PIN only, no direction. */
export const folio_maybe_dma_pinned = (s: State, f: Folio): boolean => s.get(f.pins) > 0;

export const folio_lock = (f: Folio, self: ActorRef): Node => acquire(f.lock, self, `folio_lock(${f.name})`, `mm/filemap.c: __folio_lock`);
export const folio_unlock = (f: Folio, self: ActorRef): Node => release(f.lock, self, `folio_unlock(${f.name})`, `mm/filemap.c: folio_unlock`);

/** `folio_trylock()`: takes the folio lock if free; 1 in `result` if taken, else 0. Never blocks. */
export const folio_trylock = (f: Folio, self: ActorRef, result: Var): Node =>
  step(`folio_trylock(${f.name})`, {
    fn: `include/linux/pagemap.h: folio_trylock`,
    then: (s) => (f.lock.holder(s) === NONE ? f.lock.setHolder(s, self.id).set(result, 1) : s.set(result, 0)),
  });

/** `folio_wait_stable()` (mm/page-writeback.c): waits out writeback when the mapping has stable writes. */
export const folio_wait_stable = (f: Folio, stable: boolean, writeback: () => number | undefined): Node =>
  step(`folio_wait_stable(${f.name})`, {
    fn: `mm/page-writeback.c: folio_wait_stable`,
    when: (s) => !stable || !s.test(f.writeback),
    blocksOn: { name: `PG_writeback ${f.name}`, waitsFor: (s) => { const w = writeback(); return s.test(f.writeback) && w !== undefined ? [w] : []; } },
  });
