/**
 * Step-coverage reasons shared by the page-cache models: the steps of VM_FAULT_RETRY
 * (mm/filemap.c: lock_folio_maybe_drop_mmap, maybe_unlock_mmap_for_io before
 * page_not_uptodate's read), by label. Each fires only when a fault that may release its lock
 * (FAULT_FLAG_ALLOW_RETRY, first attempt: a CPU fault, GUP with FOLL_UNLOCKABLE) finds its folio
 * locked, or not uptodate, in that copy of filemap_fault.
 */
export const RETRY = 'no fault that may release its lock (FAULT_FLAG_ALLOW_RETRY, first attempt) meets its folio locked (lock_folio_maybe_drop_mmap) or not uptodate (page_not_uptodate) in this copy of filemap_fault in this configuration';

/** The release steps of the faults on `folios`, each excused by `RETRY`. */
export const retrySteps = (...folios: string[]): Record<string, string> =>
  Object.fromEntries(folios.flatMap((f) => [[`lock_folio_maybe_drop_mmap(${f}): release_fault_lock`, RETRY], [`page_not_uptodate(${f}): release_fault_lock`, RETRY]]));

/** page_not_uptodate's read that keeps the fault lock (a fault that may not release it) never runs: every read is a first attempt's, after the release. */
export const READ_AFTER_RELEASE = 'every read of a not-uptodate folio here is a first attempt\'s, made after page_not_uptodate released the fault lock (then VM_FAULT_RETRY); the read that keeps the lock (no ALLOW_RETRY, or a TRIED retry) never meets a not-uptodate folio';
