/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (`actor: frame > … > label`, outer
 * frames left out), numbered in program order where positions share the path and label
 * (filemap_fault's: models/retry-steps.ts); generic_perform_write unlocks A's folio in its
 * "truncated while we waited" recheck (#1) and after ->write_end (#2).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { filemapFaultSteps, newFolioFree, onlyOwnRead } from '../retry-steps.ts';

/** The write and the punch both hold inode_lock(A): the folio is never truncated while the write waits for it. */
const WRITE_UNDER_INODE_LOCK = "the write holds inode_lock(A) across generic_perform_write (generic_file_write_iter) and the punch takes inode_lock(A) before it truncates (ext4_punch_hole), so the folio is never truncated while the write waits for its lock: the 'truncated while we waited' unlock and retry (mm/filemap.c: __filemap_get_folio with FGP_LOCK, folio->mapping != mapping) never runs; the write's folio_unlock(A) after ->write_end does";

/** filemap_fault's cached path, released: only the first attempt may release, and it finds A not cached. */
const FIRST_NOT_CACHED = 'A is not cached until the fault adds it (cached=false, and no buffered write adds it): the first attempt takes filemap_fault\'s not-cached path, and the cached path runs only in the FAULT_FLAG_TRIED retry, which never releases mmap_lock (lock_folio_maybe_drop_mmap\'s release, the folio_unlock of "if (fpin) goto out_retry")';

/** The punch locks A only under invalidate_lock exclusive; the fault creates and locks it holding it shared. */
const UNDER_INVALIDATE_LOCK = 'the fault creates and locks A holding filemap_invalidate_lock_shared, and the punch locks A only under filemap_invalidate_lock';

/** filemap_fault's recheck after it created the folio, in the kernel's lock order. */
const CREATED_UNDER_INVALIDATE_LOCK = 'the folio_unlock of filemap_fault\'s "Did it get truncated?" retry after it created the folio: it creates and locks the folio under filemap_invalidate_lock_shared (mm/filemap.c: "See comment in filemap_create_folio() why we need invalidate_lock"), and the punch removes folios only under filemap_invalidate_lock (truncate_pagecache_range), so the recheck never fails (fault_order=folio_lock_first reaches it)';

/** The fault's filemap_fault positions (one copy: the mapping has no VMA lock). */
function faultSteps(p: ParamValues<typeof params>): Record<string, string> {
  const ff = filemapFaultSteps('A', { recheck: p.mapping_check }), out: Record<string, string> = {}, k = (step: string): string => `fault: ${step}`;
  // no buffered write: nothing but the fault reads A
  if (!p.write) out[k(ff.missRetry)] = onlyOwnRead('fault', 'A');
  if (!p.cached && !p.write) for (const step of [ff.hitRelease, ff.hitRetry]) out[k(step)] = FIRST_NOT_CACHED;
  if (p.fault_order === 'invalidate_lock_first' && !p.write) out[k(ff.missRelease)] = newFolioFree('fault', 'A', UNDER_INVALIDATE_LOCK);
  if (p.mapping_check && p.fault_order === 'invalidate_lock_first') out[k(ff.missRecheck!)] = CREATED_UNDER_INVALIDATE_LOCK;
  return out;
}

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    ...faultSteps(p),
    ...(!p.write ? { 'punch: inode_lock(A) [sleep]': 'no other actor takes inode_lock(A) in this configuration (no buffered write): the punch never sleeps on it' } : {}),
    ...(p.cached && !p.mapping_check ? { 'punch: filemap_invalidate_lock(A) [sleep]': 'A is cached and uptodate and the fault does not recheck the mapping: it maps the folio from the hit path, without invalidate_lock, so the punch never waits for it' } : {}),
    ...(p.write ? {
      ...Object.fromEntries(['lock_folio_maybe_drop_mmap(B): release_fault_lock', 'page_not_uptodate(B): release_fault_lock', 'mmap_read_lock', 'filemap_map_pages(B)', 'filemap_add_folio(B)', 'filemap_read_folio(B)', 'folio_lock(B)', 'finish_fault(B): map read-only', 'folio_unlock(B)', 'mmap_read_unlock'].map((l) => [`write: ${l}`, 'the copy source B is mapped (pte \'ro\'): copying from it never faults, so generic_perform_write\'s fault-in path (mmap_read_lock ... filemap_map_pages(B) ... mmap_read_unlock) never runs'])),
      'write: generic_perform_write > folio_unlock(A)#1': WRITE_UNDER_INODE_LOCK,
    } : {}),
  });
