/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

/** Listed by step coverage and not yet traced to its cause. */
const TODO = 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)';

/**
 * Steps of VM_FAULT_RETRY (mm/filemap.c: lock_folio_maybe_drop_mmap, maybe_unlock_mmap_for_io
 * before page_not_uptodate's read), by label: each fires only when a fault that may release its
 * lock (FAULT_FLAG_ALLOW_RETRY, first attempt: a CPU fault, GUP with FOLL_UNLOCKABLE) finds its
 * folio locked, or not uptodate, in that copy of filemap_fault.
 */
const RETRY = 'no fault that may release its lock (FAULT_FLAG_ALLOW_RETRY, first attempt) meets its folio locked (lock_folio_maybe_drop_mmap) or not uptodate (page_not_uptodate) in this copy of filemap_fault in this configuration';
const retrySteps = (...folios: string[]): Record<string, string> =>
  Object.fromEntries(folios.flatMap((f) => [[`lock_folio_maybe_drop_mmap(${f}): release_fault_lock`, RETRY], [`page_not_uptodate(${f}): release_fault_lock`, RETRY]]));

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({ ...retrySteps('A', 'B'), ...(p.case === 'orphan_lock' ? { 'holder: filemap_read_folio(A)': 'the copy of the read after page_not_uptodate released the fault lock: the pin is pin_user_pages (no FOLL_UNLOCKABLE), whose fault never releases mmap_lock (it reads keeping it)' } : {}), ...(({
    "orphan_lock": {
        "holder: ext4_page_mkwrite": TODO,
        "holder: fault_dirty_shared_page(A): unlock": TODO,
        "holder: folio_lock(A)": TODO,
        "holder: folio_unlock(A)": TODO,
        "holder: folio_wait_stable(A)": TODO,
        "holder: mmap_read_unlock": TODO,
        "holder: wp_page_reuse: PTE RW-dirty": TODO,
      },
    "write_short_copy": {
        "write: filemap_add_folio(B)": TODO,
        "write: filemap_read_folio(B)": TODO,
        "write: finish_fault(B): map read-only": TODO,
        "write: folio_lock(B)": TODO,
        "write: folio_unlock(A)": TODO,
        "write: folio_unlock(B)": TODO,
      },
    "reclaim_locked": {
        "kswapd: folio_unlock(A)": TODO,
      },
    "reclaim_writeback": {
        "memcg_reclaim: folio_unlock(A)": TODO,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {}) });
