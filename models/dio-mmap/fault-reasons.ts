/**
 * Why a step of the DIO's GUP (pin_user_pages_fast: GUP-fast, then the slow path with
 * FOLL_UNLOCKABLE) and of the fault it takes never fires in Kent's scheme
 * (fault_lock=pagecache_kent, dio=d2); unreached.ts assigns them, reasons.ts has the rest. What
 * they rest on, invariants of S-13's states: its dio1 reaches filemap_fault's not-cached
 * path only on a first attempt; its retry finds A unmapped and not free only while dio0 holds A's
 * block lock; each DIO's buffer PTE is absent at bch2_dio_write_loop's `again`.
 */

/** `filemap_fault`'s page-cache-hit path (with its releases) and its recheck after `filemap_add_folio`, for a buffer only one task faults. */
export const faultHit = (task: string, y: string): string =>
  `${y} is never in the page cache when ${task}'s fault runs filemap_fault: it starts cached and mapped (cached=true) or only ${task}'s own fault adds it (only ${task}'s buffer maps ${y}), on filemap_fault's not-cached path, whose first attempt (ALLOW_RETRY) reads ${y} after page_not_uptodate released mmap_lock and returns VM_FAULT_RETRY; the retry's filemap_map_pages maps ${y} unless its lock is held or it is gone, and only a DIO to ${y} takes its lock or removes it, under ${y}'s block lock, in one invalidation that zaps the PTE and removes the folio (invalidate_inode_pages2_range, invalidate_complete_folio2) before it releases that lock — and the block lock excludes ${y}'s add lock, which bch2_page_fault holds across filemap_fault: so filemap_fault's page-cache-hit path (folio_lock, lock_folio_maybe_drop_mmap's release, its recheck's folio_unlock, the folio_unlock of "if (fpin) goto out_retry") never runs, nor the "truncated while we slept" retry after filemap_add_folio (folio_unlock)`;

/** Why the not-cached path's `lock_folio_maybe_drop_mmap` trylock always succeeds (models/retry-steps.ts newFolioFree). */
export const ownNewFolio = (y: string): string =>
  `${y} was not in the page cache (see the page-cache-hit path) and the folio is the one its own filemap_add_folio just added; the only other taker of ${y}'s lock, the invalidation of a DIO to ${y}, runs under ${y}'s block lock, which the add lock bch2_page_fault holds across filemap_fault excludes`;

/** The not-cached path's "if (fpin) goto out_retry": nothing before it released mmap_lock. */
export const noFpinOnMiss = (task: string, y: string): string =>
  `${task}'s filemap_fault on ${y} reaches the not-cached path's "if (fpin) goto out_retry" never having released mmap_lock: fpin is set before it only by a lock_folio_maybe_drop_mmap release (the cached path's, then its recheck to the not-cached path, or the not-cached path's own), and neither runs (the cached path never runs; the new folio's trylock always succeeds); page_not_uptodate's release leaves by the read's folio_unlock to out_retry instead`;

/** GUP-fast of a buffer of another file: the PTE is absent whenever it is read. */
export const gupFastAbsent = (task: string, y: string): string =>
  `${task}'s buffer maps ${y} and only ${task}'s own fault maps that PTE (filemap_map_pages or finish_fault, in its GUP's slow path; the other actors only zap it, invalidating ${y}): it starts absent (cached=false), and ${task}'s GUP-fast runs only at the start of a pass of bch2_direct_write — the first before any fault of ${task}, each later one (goto again, after fdm_dropped_locks()) after a GUP that ended on VM_FAULT_SIGBUS, whose ->fault ran because filemap_map_pages had left the PTE absent — so gup_fast_pte_range always reads an absent PTE: try_grab_folio_fast and the re-check never run, and the slow path (FOLL_UNLOCKABLE) does the GUP`;

/** GUP-fast of the DIO's own mapping: the PTE is absent whenever it is read. */
export const ownGupFastAbsent = (x: string): string =>
  `the buffer's PTE (a mapping of ${x}) is absent when GUP-fast reads it: it starts absent (cached=false), or mapped (cached=true) and then zapped by the DIO's own invalidation of ${x} before its GUP (invalidate_complete_folio2), and only the DIO's own fault could map it, which always returns VM_FAULT_SIGBUS (faults_disabled_mapping == ${x}); the DIO never drops its block lock, so it runs GUP-fast once: try_grab_folio_fast and the re-check never run`;

/** The slow path's re-lock after VM_FAULT_RETRY, for the DIO's own mapping. */
export const ownNoRetry = (x: string): string =>
  `the fault on ${x}'s own mapping always returns VM_FAULT_SIGBUS from bch2_page_fault, before filemap_fault, never VM_FAULT_RETRY: the GUP never re-takes mmap_lock for a FOLL_TRIED retry (__get_user_pages_locked's mmap_read_lock)`;

/**
 * A task whose buffer's file y is below its own x, against the one DIO to y, whose buffer maps x
 * (tasks=2, files=2, buffer=next): its fault gets into filemap_fault only on a first attempt.
 */
export const belowFirstAttemptOnly = (task: string, x: string, y: string, other: string): string =>
  `${task}'s fault on ${y} gets through bch2_page_fault (bch2_pagecache_add_tryget(${y})) to filemap_fault only on a first attempt (ALLOW_RETRY, not TRIED), which finds ${y} not cached, reads it after page_not_uptodate released mmap_lock and returns VM_FAULT_RETRY: do_read_fault never reaches finish_fault or the folio_unlock after it, nor filemap_fault the read that keeps mmap_lock (filemap_read_folio #2). The retry (FAULT_FLAG_TRIED) finds ${y} cached, uptodate and unlocked, and filemap_map_pages maps it without ->fault; or else ${other}, the only DIO to ${y} (the only taker of ${y}'s folio lock and its only remover), has taken ${y}'s block lock since the first attempt, and cannot release it before ${task} drops ${x}'s block lock, which ${task} holds from before its first attempt: ${other}'s buffer maps ${x}, absent until ${other}'s own fault, which takes ${x}'s add lock in order (blocking), and ${other} runs one DIO. So ->fault's bch2_pagecache_add_tryget(${y}) fails and the fault returns VM_FAULT_SIGBUS (the drop of ${x}'s block lock, then goto again, whose GUP starts with a first attempt)`;
