/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

// the scenario rows S-2, S-3b, S-5 and S-6 (models/scenarios.ts), by their parameters
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
  ({ ...retrySteps('A'), ...((p.pin_flags === 'pin+longterm+write' && p.fix_longterm_refuse && p.wb === 'w0' ? {
      "pinner: folio_lock(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: folio_mark_dirty(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: folio_unlock(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: kwrite(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: unpin_user_page(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "user: ext4_page_mkwrite": TODO,
      "user: fault_dirty_shared_page(A): unlock": TODO,
      "user: filemap_add_folio(A)": TODO,
      "user: filemap_read_folio(A)": TODO,
      "user: finish_fault(A): map writable": TODO,
      "user: folio_lock(A)": TODO,
      "user: folio_unlock(A)": TODO,
      "user: folio_wait_stable(A)": TODO,
      "writeback: folio_unlock(A)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": TODO,
    }
    : p.fs === 'bcachefs' && p.wb === 'w0' ? {
      "pinner @ folio_mark_dirty(A): folio_mark_dirty(A)": TODO,
      "pinner: bch2_page_mkwrite": TODO,
      "pinner: bch2_pagecache_add_get(A)": TODO,
      "pinner: bch2_pagecache_add_put(A)": TODO,
      "pinner: fault_dirty_shared_page(A): unlock": TODO,
      "pinner: filemap_add_folio(A)": TODO,
      "pinner: filemap_read_folio(A)": TODO,
      "pinner: finish_fault(A): map writable": TODO,
      "pinner: folio_lock(A)": TODO,
      "pinner: folio_unlock(A)": TODO,
      "pinner: folio_wait_stable(A)": TODO,
      "pinner: mmap_read_unlock": TODO,
      "user: bch2_page_mkwrite": TODO,
      "user: bch2_pagecache_add_get(A)": TODO,
      "user: bch2_pagecache_add_put(A)": TODO,
      "user: fault_dirty_shared_page(A): unlock": TODO,
      "user: filemap_add_folio(A)": TODO,
      "user: filemap_read_folio(A)": TODO,
      "user: finish_fault(A): map writable": TODO,
      "user: folio_lock(A)": TODO,
      "user: folio_unlock(A)": TODO,
      "user: folio_wait_stable(A)": TODO,
      "writeback: __bch2_writepage: no dirty sectors, nothing written": TODO,
      "writeback: folio_unlock(A)": TODO,
    }
    : p.wb === 'w1_ok' && p.pin_lifetime === 'short' && p.pin_flags === 'pin+write' ? {
      "pinner: ext4_page_mkwrite": TODO,
      "pinner: fault_dirty_shared_page(A): unlock": TODO,
      "pinner: filemap_add_folio(A)": TODO,
      "pinner: filemap_read_folio(A)": TODO,
      "pinner: finish_fault(A): map writable": TODO,
      "pinner: folio_lock(A)": TODO,
      "pinner: folio_mark_dirty(A)": TODO,
      "pinner: folio_unlock(A)": TODO,
      "pinner: folio_wait_stable(A)": TODO,
      "pinner: mmap_read_unlock": TODO,
      "user: ext4_page_mkwrite": TODO,
      "user: fault_dirty_shared_page(A): unlock": TODO,
      "user: filemap_add_folio(A)": TODO,
      "user: filemap_read_folio(A)": TODO,
      "user: finish_fault(A): map writable": TODO,
      "user: folio_lock(A)": TODO,
      "user: folio_unlock(A)": TODO,
      "user: folio_wait_stable(A)": TODO,
      "writeback: folio_unlock(A)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": TODO,
    }
    : p.wb === 'w1_ok' && p.pin_lifetime === 'long' ? {
      "pinner: ext4_page_mkwrite": TODO,
      "pinner: fault_dirty_shared_page(A): unlock": TODO,
      "pinner: filemap_add_folio(A)": TODO,
      "pinner: filemap_read_folio(A)": TODO,
      "pinner: finish_fault(A): map writable": TODO,
      "pinner: folio_lock(A)": TODO,
      "pinner: folio_mark_dirty(A)": TODO,
      "pinner: folio_unlock(A)": TODO,
      "pinner: folio_wait_stable(A)": TODO,
      "pinner: mmap_read_unlock": TODO,
      "user: ext4_page_mkwrite": TODO,
      "user: fault_dirty_shared_page(A): unlock": TODO,
      "user: filemap_add_folio(A)": TODO,
      "user: filemap_read_folio(A)": TODO,
      "user: finish_fault(A): map writable": TODO,
      "user: folio_lock(A)": TODO,
      "user: folio_unlock(A)": TODO,
      "user: folio_wait_stable(A)": TODO,
      "writeback: folio_unlock(A)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": TODO,
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": TODO,
    }
    : {})) });
