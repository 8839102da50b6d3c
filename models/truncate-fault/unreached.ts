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
  ({ ...retrySteps('A', 'B'), ...(p.cached && !p.mapping_check ? { 'fault: folio_unlock(A)': 'not yet traced to its cause: a copy of filemap_fault\'s folio_unlock on its VM_FAULT_RETRY or recheck paths that this configuration never takes' } : {}), ...(({
    ...(!p.cached ? { 'fault: folio_lock(A)': 'A is not cached until the fault adds it (cached=false): filemap_fault\'s page-cache hit path (folio_lock, recheck, folio_unlock) never runs', 'fault: folio_unlock(A)': 'A is not cached until the fault adds it (cached=false): filemap_fault\'s page-cache hit path (folio_lock, recheck, folio_unlock) never runs' } : {}),
    ...(!p.write ? { 'punch: inode_lock(A) [sleep]': 'no other actor takes inode_lock(A) in this configuration (no buffered write): the punch never sleeps on it' } : {}),
    ...(p.cached && !p.mapping_check ? { 'punch: filemap_invalidate_lock(A) [sleep]': 'A is cached and uptodate and the fault does not recheck the mapping: it maps the folio from the hit path, without invalidate_lock, so the punch never waits for it' } : {}),
    ...(p.write ? {
      ...Object.fromEntries(['mmap_read_lock', 'filemap_map_pages(B)', 'filemap_add_folio(B)', 'filemap_read_folio(B)', 'folio_lock(B)', 'finish_fault(B): map read-only', 'folio_unlock(B)', 'mmap_read_unlock'].map((l) => [`write: ${l}`, 'the copy source B is mapped (pte \'ro\'): copying from it never faults, so generic_perform_write\'s fault-in path (mmap_read_lock ... filemap_map_pages(B) ... mmap_read_unlock) never runs'])),
      'write: folio_unlock(A)': TODO,
    } : {}),
  })) });
