/**
 * Step coverage of filemap_fault's VM_FAULT_RETRY paths, shared by the page-cache models: the
 * keys of one copy of filemap_fault's positions, and the reasons a configuration never takes
 * them (each worded for the actor and folio it is about; the models say which holds).
 *
 * One copy of filemap_fault (src/kernel/fault.ts: filemapFault) on folio X has, in program
 * order: the cached path's lock_folio_maybe_drop_mmap (folio_lock #1, its release_fault_lock #1),
 * the recheck's folio_unlock #1 (truncated or not uptodate while it slept: to the not-cached
 * path), the folio_unlock #2 of "if (fpin) goto out_retry"; the not-cached path's
 * filemap_add_folio, lock_folio_maybe_drop_mmap (folio_lock #2, release #2), the "Did it get
 * truncated?" folio_unlock #3 (retry_find), page_not_uptodate's release_fault_lock, the read
 * after it (filemap_read_folio #1) and its folio_unlock #4 (to out_retry), the read that keeps
 * the lock (#2), the folio_unlock #5 of "if (fpin) goto out_retry"; invalidate_lock's unlock on
 * the way out (#1) and at out_retry (#2). Without the recheck (`recheckMapping: false`) the
 * folio_unlocks are #1 (cached, fpin), #2 (the read's) and #3 (not cached, fpin). An actor with
 * `copies` copies (a CPU fault under the VMA lock, then under mmap_lock) numbers them on.
 */

/** The keys (`filemap_fault > label#n`) of copy `k` of `copies` of filemap_fault on folio `x` in one actor's program. */
export function filemapFaultSteps(x: string, { k = 0, copies = 1, recheck = true } = {}) {
  const at = (l: string, n?: number): string => `filemap_fault > ${l}${n === undefined ? '' : `#${n}`}`;
  const one = (l: string): string => at(l, copies > 1 ? k + 1 : undefined), two = (l: string, i: 1 | 2): string => at(l, 2 * k + i);
  const unlock = (i: number): string => at(`folio_unlock(${x})`, (recheck ? 5 : 3) * k + i);
  const lock = `folio_lock(${x})`, release = `lock_folio_maybe_drop_mmap(${x}): release_fault_lock`, read = `filemap_read_folio(${x})`;
  return {
    hitLock: two(lock, 1), hitRelease: two(release, 1), hitRecheck: recheck ? unlock(1) : undefined, hitRetry: unlock(recheck ? 2 : 1),
    add: one(`filemap_add_folio(${x})`), missLock: two(lock, 2), missRelease: two(release, 2), missRecheck: recheck ? unlock(3) : undefined,
    readRelease: one(`page_not_uptodate(${x}): release_fault_lock`), readAfterRelease: two(read, 1), readUnlock: unlock(recheck ? 4 : 2),
    readKeeping: two(read, 2), missRetry: unlock(recheck ? 5 : 3),
    invalidateUnlock: two(`filemap_invalidate_unlock_shared(${x})`, 1), invalidateUnlockRetry: two(`filemap_invalidate_unlock_shared(${x})`, 2),
  };
}

export type FaultSteps = ReturnType<typeof filemapFaultSteps>;

/** The positions only a fault that released its lock takes: the releases, the read after page_not_uptodate's, and each folio_unlock to out_retry. */
export const releasing = (s: FaultSteps): string[] => [s.hitRelease, s.hitRetry, s.missRelease, s.readRelease, s.readAfterRelease, s.readUnlock, s.missRetry];

/** `actor`'s fault (through `via`) has no FAULT_FLAG_ALLOW_RETRY: it never releases its lock. */
export const noAllowRetry = (actor: string, x: string, via: string): string =>
  `${actor}'s fault on ${x} comes from ${via}, without FOLL_UNLOCKABLE: faultin_page sets no FAULT_FLAG_ALLOW_RETRY, so filemap_fault never releases mmap_lock (lock_folio_maybe_drop_mmap sleeps on the folio and page_not_uptodate reads holding it) and never takes out_retry (the read after the release, each folio_unlock before it)`;

/** The not-cached path's `lock_folio_maybe_drop_mmap`: its trylock always succeeds. */
export const newFolioFree = (actor: string, x: string, why: string): string =>
  `no one else holds ${x}'s lock when ${actor}'s fault, on filemap_fault's not-cached path, tries it (${why}): lock_folio_maybe_drop_mmap's trylock succeeds, and its release_fault_lock never runs`;

/** The not-cached path's "if (fpin) goto out_retry" for an uptodate folio. */
export const onlyOwnRead = (actor: string, x: string): string =>
  `only ${actor}'s own read makes ${x} uptodate once it needs reading (no read(2) or other fault reads it): after a release the fault always finds ${x} not uptodate on the not-cached path and reads it (page_not_uptodate, then the read's folio_unlock to out_retry), never the folio_unlock of "if (fpin) goto out_retry" for an uptodate folio`;

/** page_not_uptodate's read that keeps the lock (no ALLOW_RETRY, or a FAULT_FLAG_TRIED retry). */
export const readAfterRelease = (actor: string, x: string, why: string): string =>
  `only a first attempt of ${actor}'s fault (ALLOW_RETRY, not TRIED) meets ${x} not uptodate, and it reads after page_not_uptodate released mmap_lock (then VM_FAULT_RETRY): ${why}, so the read that keeps the lock never runs`;
