/**
 * The known-answer cases, one named record each: the actors they declare and the properties
 * whose verdicts are the kernel's (see index.ts for the source each one follows). In every case
 * a `holder` takes folio A's lock first and then a lock the fault or GUP may be holding.
 */
import { ifElse, type Property, type System } from '../../src/index.ts';
import {
  bch2_page_fault, bch2_pagecache_block_get, bch2_pagecache_block_put, current, file, has, filemap_invalidate_lock, filemap_invalidate_unlock, foll, folio_lock, folio_unlock, mm_struct, mmap,
  pin_user_pages, pin_user_pages_fast, unpin_user_page, user_fault, type Current,
} from '../../src/kernel/index.ts';
import { goneOnRetry, holder, lockFolioLabels, mapsOnRetry, waitsUnlocked } from './actors.ts';
import { kernelModeFault } from './kernel-mode.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => readonly Property[];

/** The cases whose kernel answer is a deadlock. */
export const deadlocks: readonly Params['case'][] = ['pin_user_pages', 'tried_mmap_lock', 'invalidate_lock', 'pagecache_add_lock', 'kernel_mode_fault'];

const world = (sys: System, vmLock: boolean, unmappable = false) => {
  const A = file(sys, 'A'), mm = mm_struct(sys, 'mm', { writer: true }), vma = mmap(sys, mm, A, { name: 'vma', vm_lock: vmLock, unmappable });
  return { A, mm, vma, f: A.folios[0]! };
};

/**
 * A read fault finds A cached and locked. Under mmap_lock (no per-VMA lock): it releases
 * mmap_lock, sleeps on A; the holder's munmap gets mmap_lock; the fault, woken, unlocks A and
 * returns VM_FAULT_RETRY; do_user_addr_fault redoes it with FAULT_FLAG_TRIED, and
 * lock_mm_and_find_vma finds the VMA gone (a bad area). Under the per-VMA lock (`vmLock`):
 * munmap's `vma_start_write` waits for the VMA's readers; the fault (lock_vma_under_rcu)
 * releases the VMA lock before it sleeps on A, and is redone under mmap_lock after munmap: no VMA.
 */
const munmap = (vmLock: boolean): Case => (sys) => {
  const { mm, vma, f } = world(sys, vmLock, true);
  holder(sys, f, mm, vma);
  let cur!: Current, labels: string[] = [];
  sys.task('fault', (self) => { cur = current(self); const p = user_fault(cur, vma, f, { write: false }); labels = lockFolioLabels(cur, f); return p; });
  return [waitsUnlocked(cur, vma, f, labels), goneOnRetry(cur, vma, 'fault')];
};

/**
 * GUP-fast finds no PTE and falls back with FOLL_UNLOCKABLE: the read fault releases mmap_lock,
 * GUP gets -EBUSY and re-takes it. (A write fault would not help: `->page_mkwrite` takes the
 * folio lock with `folio_lock`, holding mmap_lock, in the kernel too.)
 */
const gupFastFallback: Case = (sys) => {
  const { mm, vma, f } = world(sys, false, true);
  holder(sys, f, mm, vma);
  let cur!: Current, labels: string[] = [];
  sys.task('gup', (self) => {
    cur = current(self);
    const p = [pin_user_pages_fast(cur, vma, f, ''), ifElse((s) => has(s, f.pins, cur), [unpin_user_page(f, cur, foll('pin'))])];
    labels = lockFolioLabels(cur, f);
    return p;
  });
  return [waitsUnlocked(cur, vma, f, labels), goneOnRetry(cur, vma, 'gup')];
};

/** pin_user_pages under the caller's mmap_lock: faultin_page without ALLOW_RETRY sleeps on A holding it. */
const pinUserPages: Case = (sys) => {
  const { mm, vma, f } = world(sys, false, true);
  holder(sys, f, mm, vma);
  sys.task('gup', (self) => { const cur = current(self); return [pin_user_pages(cur, vma, f, ''), unpin_user_page(f, cur, foll('pin'))]; });
  return [];
};

/**
 * Two rounds of a holder that maps a new region: the first makes the fault retry, the second
 * holds A when the TRIED retry, holding mmap_lock, looks: it sleeps on A holding mmap_lock.
 */
const triedMmapLock: Case = (sys) => {
  const { mm, vma, f } = world(sys, false);
  holder(sys, f, mm, vma, 'mmap', 2);
  sys.task('fault', (self) => user_fault(current(self), vma, f, { write: false }));
  return [];
};

/**
 * The same two rounds under the per-VMA lock (the holder does not write-lock this VMA, so
 * lock_vma_under_rcu gets it): the VMA-lock attempt of a cached folio returns VM_FAULT_RETRY
 * without VM_FAULT_MAJOR, so the mmap_lock attempt is not TRIED and releases mmap_lock again;
 * only a third attempt sleeps holding it, and no third round comes.
 */
const triedVmaLock: Case = (sys) => {
  const { mm, vma, f } = world(sys, true);
  holder(sys, f, mm, vma, 'mmap', 2);
  let cur!: Current, labels: string[] = [];
  sys.task('fault', (self) => { cur = current(self); const p = user_fault(cur, vma, f, { write: false }); labels = lockFolioLabels(cur, f); return p; });
  return [waitsUnlocked(cur, vma, f, labels), mapsOnRetry(cur, vma, f)];
};

/**
 * A cached folio not uptodate: filemap_fault takes invalidate_lock shared first; its
 * lock_folio_maybe_drop_mmap releases mmap_lock only, and it sleeps on A holding
 * invalidate_lock (released at out_retry, after it gets A). The holder, A locked, wants
 * invalidate_lock for write: a deadlock in the kernel too.
 */
const invalidateLock: Case = (sys) => {
  const A = file(sys, 'A', { invalidate_lock: 'contended', init: { uptodate: false } }), mm = mm_struct(sys), vma = mmap(sys, mm, A, { name: 'vma' }), f = A.folios[0]!;
  sys.task('holder', (self) => [folio_lock(f, self), filemap_invalidate_lock(A, self), filemap_invalidate_unlock(A, self), folio_unlock(f, self)]);
  sys.task('fault', (self) => user_fault(current(self), vma, f, { write: false }));
  return [];
};

/**
 * fs/bcachefs/fs-io-pagecache.c: bch2_page_fault — "bch2_pagecache_add_get(inode); got_lock:
 * ret = filemap_fault(vmf); bch2_pagecache_add_put(inode); return ret;": the add lock is held
 * while filemap_fault sleeps on the folio (it releases only the fault lock) and dropped after it
 * returns, VM_FAULT_RETRY included. The holder, A locked, wants the block side (as a DIO's
 * bch2_pagecache_block_get): it waits for the fault's add lock — a deadlock in the kernel too.
 */
const pagecacheAddLock: Case = (sys) => {
  const A = file(sys, 'A', { fs: 'bcachefs' }), vma = mmap(sys, mm_struct(sys), A, { name: 'vma' }), f = A.folios[0]!, fault = bch2_page_fault([A], 'kent');
  sys.task('holder', (self) => [folio_lock(f, self), bch2_pagecache_block_get(A.pagecache!, self), bch2_pagecache_block_put(A.pagecache!, self), folio_unlock(f, self)]);
  sys.task('fault', (self) => user_fault(current(self), vma, f, { write: false, fault }));
  return [];
};

export const cases: Record<Params['case'], Case> = {
  kernel_mode_fault: kernelModeFault,
  munmap_mmap_lock: munmap(false),
  munmap_vma_lock: munmap(true),
  gup_fast_fallback: gupFastFallback,
  pin_user_pages: pinUserPages,
  tried_mmap_lock: triedMmapLock,
  tried_vma_lock: triedVmaLock,
  invalidate_lock: invalidateLock,
  pagecache_add_lock: pagecacheAddLock,
};
