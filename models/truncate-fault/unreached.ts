/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { retrySteps } from '../retry-steps.ts';

/** The write and the punch both hold inode_lock(A): the folio is never truncated while the write waits for it. */
const WRITE_UNDER_INODE_LOCK = "the write holds inode_lock(A) across generic_perform_write (generic_file_write_iter) and the punch takes inode_lock(A) before it truncates (ext4_punch_hole), so the folio is never truncated while the write waits for its lock: the 'truncated while we waited' unlock and retry (mm/filemap.c: __filemap_get_folio with FGP_LOCK, folio->mapping != mapping) never runs; the write's folio_unlock(A) after ->write_end does";


export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({ ...retrySteps('A', 'B'), ...(p.cached && !p.mapping_check ? { 'fault: folio_unlock(A)': 'not yet traced to its cause: a copy of filemap_fault\'s folio_unlock on its VM_FAULT_RETRY or recheck paths that this configuration never takes' } : {}), ...(({
    ...(!p.cached ? { 'fault: folio_lock(A)': 'A is not cached until the fault adds it (cached=false): filemap_fault\'s page-cache hit path (folio_lock, recheck, folio_unlock) never runs', 'fault: folio_unlock(A)': 'A is not cached until the fault adds it (cached=false): filemap_fault\'s page-cache hit path (folio_lock, recheck, folio_unlock) never runs' } : {}),
    ...(!p.write ? { 'punch: inode_lock(A) [sleep]': 'no other actor takes inode_lock(A) in this configuration (no buffered write): the punch never sleeps on it' } : {}),
    ...(p.cached && !p.mapping_check ? { 'punch: filemap_invalidate_lock(A) [sleep]': 'A is cached and uptodate and the fault does not recheck the mapping: it maps the folio from the hit path, without invalidate_lock, so the punch never waits for it' } : {}),
    ...(p.write ? {
      ...Object.fromEntries(['mmap_read_lock', 'filemap_map_pages(B)', 'filemap_add_folio(B)', 'filemap_read_folio(B)', 'folio_lock(B)', 'finish_fault(B): map read-only', 'folio_unlock(B)', 'mmap_read_unlock'].map((l) => [`write: ${l}`, 'the copy source B is mapped (pte \'ro\'): copying from it never faults, so generic_perform_write\'s fault-in path (mmap_read_lock ... filemap_map_pages(B) ... mmap_read_unlock) never runs'])),
      'write: folio_unlock(A)': WRITE_UNDER_INODE_LOCK,
    } : {}),
  })) });
