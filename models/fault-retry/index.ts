/**
 * A page fault does not sleep on a locked folio holding the lock it faults under, when it may
 * retry — with known answers from the kernel source:
 *
 * - mm/filemap.c: filemap_fault locks the folio with `lock_folio_maybe_drop_mmap`:
 *   "if (folio_trylock(folio)) return 1; … *fpin = maybe_unlock_mmap_for_io(vmf, *fpin);
 *   if (vmf->flags & FAULT_FLAG_KILLABLE) { if (__folio_lock_killable(folio)) …". Then
 *   "We've made it this far and we had to drop our mmap_lock, now is the time to return to the
 *   upper layer and have it re-find the vma and redo the fault. if (fpin) { folio_unlock(folio);
 *   goto out_retry; }" — `out_retry` drops `invalidate_lock` if held and returns
 *   `ret | VM_FAULT_RETRY`.
 * - mm/internal.h: maybe_unlock_mmap_for_io releases the lock only
 *   "if (fault_flag_allow_retry_first(flags) && !(flags & FAULT_FLAG_RETRY_NOWAIT))", and
 *   include/linux/mm.h: fault_flag_allow_retry_first is "(flags & FAULT_FLAG_ALLOW_RETRY) &&
 *   (!(flags & FAULT_FLAG_TRIED))": a retry sleeps on the folio holding its lock. Which lock is
 *   released is `release_fault_lock(vmf)` — the VMA lock under FAULT_FLAG_VMA_LOCK ("mm: Make
 *   lock_folio_maybe_drop_mmap() VMA lock aware").
 * - arch/x86/mm/fault.c: do_user_addr_fault starts from FAULT_FLAG_DEFAULT (ALLOW_RETRY); after
 *   the VMA-lock attempt "if (fault & VM_FAULT_MAJOR) flags |= FAULT_FLAG_TRIED;" and
 *   `goto lock_mmap`; under mmap_lock "if (unlikely(fault & VM_FAULT_RETRY)) { flags |=
 *   FAULT_FLAG_TRIED; goto retry; }".
 * - mm/gup.c: faultin_page sets FAULT_FLAG_ALLOW_RETRY only "if (*flags & FOLL_UNLOCKABLE)",
 *   and on VM_FAULT_RETRY "*locked = 0; return -EBUSY;"; `__get_user_pages_locked` then
 *   "mmap_read_lock_killable(mm) … __get_user_pages(mm, start, 1, flags | FOLL_TRIED, …)".
 *   FOLL_UNLOCKABLE comes from the GUP-fast fallback (`__gup_longterm_locked(…, &locked,
 *   gup_flags | FOLL_TOUCH | FOLL_UNLOCKABLE)`) and `*_unlocked`, not from `pin_user_pages`
 *   (`is_valid_gup_args` with no `locked`).
 *
 * - fs/bcachefs/fs-io-pagecache.c: bch2_page_fault "bch2_pagecache_add_get(inode); got_lock:
 *   ret = filemap_fault(vmf); bch2_pagecache_add_put(inode); return ret;" — a lock the handler
 *   takes around filemap_fault stays held while it sleeps on the folio, as `invalidate_lock`
 *   does (taken by filemap_fault itself, dropped at `out_retry`).
 *
 * The holder here takes a folio lock and then mmap_lock for write, against the documented order
 * (mm/filemap.c: "->mmap_lock ->invalidate_lock ->lock_page (filemap_fault)"): a task that
 * does so deadlocks with a fault that cannot drop its lock, and not with one that can.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { cases, deadlocks } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'fault-retry',
  doc: 'lock_folio_maybe_drop_mmap: VM_FAULT_RETRY, FAULT_FLAG_TRIED, FOLL_UNLOCKABLE: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: deadlocks.includes(p.case) ? 'violated' : 'holds',
    ...(deadlocks.includes(p.case) ? {} : { 'the fault sleeps on the folio lock without its fault lock': 'holds', [p.case === 'tried_vma_lock' ? 'the fault, redone under mmap_lock, maps the folio' : 'the retry finds the VMA unmapped']: 'holds' }),
  }),
  mayBeUnreached,
  setup(p, sys) {
    return cases[p.case](sys);
  },
});
