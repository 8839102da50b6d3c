/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`; one key covers every program position with that label, so a reason says which
 * of them stay unreached (bch2_direct_write's first `bch2_write_invalidate_inode_pages_range`
 * and `bch2_dio_write_loop`'s second one, after dropped locks, share their labels).
 *
 * Declared for Kent's scheme (`fault_lock=pagecache_kent`, `dio=d2`: the rows S-13, S-13L, S-14)
 * without a buffered writer, competitor or punch hole, one folio per file — the configurations
 * the reasons were traced in. Files are ordered by address (A < B < C); task t writes file
 * t mod `files` from a mapping of the same or the next file.
 *
 * What S-13 does reach (models/dio-mmap-coverage.test.ts pins it): each DIO's first invalidation of a
 * folio the other DIO faulted in (writeback_iter, invalidate_inode_pages2_range, folio_lock,
 * invalidate_complete_folio2), and dio1's re-invalidation after Kent's drop. What it does not: the
 * write of a dirty folio (nothing dirties one; the matrix's "+ buffered write" column runs it for
 * A), and dio0's re-invalidation (the lowest-address DIO never drops its lock).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { READ_AFTER_RELEASE, retrySteps } from '../retry-steps.ts';
import { dirty, noDrop, neverCached, faultHit, outOfOrderOnly, noSigbus, ownSigbus, ownGupExit, ownEfault, inodeSleep } from './reasons.ts';

const NAMES = ['A', 'B', 'C'];

const audited = (p: ParamValues<typeof params>): Record<string, string> => {
  if (p.fault_lock !== 'pagecache_kent' || p.dio !== 'd2' || p.buffered !== 'none' || p.competitor || p.punch || p.folios !== 1) return {};
  const out: Record<string, string[]> = {};
  const add = (key: string, reason: string): void => { (out[key] ??= []).push(reason); };
  const tasks = Array.from({ length: p.tasks }, (_, t) => t);
  const dioIdx = (t: number): number => t % p.files, bufIdx = (t: number): number => (t + (p.buffer === 'next' ? 1 : 0)) % p.files;

  for (const t of tasks) {
    const task = `dio${t}`, X = NAMES[dioIdx(t)]!, Y = NAMES[bufIdx(t)]!, own = X === Y, below = bufIdx(t) < dioIdx(t);
    const k = (label: string): string => `${task}: ${label}`;
    // bch2_direct_write's invalidation: does anything put X in the page cache before it?
    const faultedInByOther = tasks.some((u) => bufIdx(u) === dioIdx(t) && dioIdx(u) !== dioIdx(t));
    const cachedEver = p.cached || faultedInByOther;

    // the write of a dirty folio (both invalidations)
    for (const l of [`__bch2_writepage: no dirty sectors, nothing written`, `folio_clear_dirty_for_io(${X})`, `folio_mkclean(${X})`, `folio_start_writeback(${X}): submit`, `folio_end_writeback(${X})`, `folio_lock(${X})`, `folio_unlock(${X})`, `folio_wait_writeback(${X})`])
      add(k(l), dirty(X));
    // the re-invalidation after dropped locks
    if (!below)
      for (const l of [`writeback_iter(${X})`, `invalidate_inode_pages2_range(${X})`, `invalidate_complete_folio2(${X})`, `folio_lock(${X})`, `folio_unlock(${X})`, `folio_wait_writeback(${X})`])
        add(k(l), noDrop(task, X, Y));
    // the first invalidation
    if (!cachedEver)
      for (const l of [`writeback_iter(${X})`, `invalidate_inode_pages2_range(${X})`, `invalidate_complete_folio2(${X})`, `folio_lock(${X})`, `folio_unlock(${X})`, `folio_wait_writeback(${X})`])
        add(k(l), neverCached(X, tasks.some((u) => bufIdx(u) === dioIdx(t))));
    if (tasks.filter((u) => dioIdx(u) === dioIdx(t)).length === 1) add(k(`inode_lock(${X}) [sleep]`), inodeSleep(task, X));

    if (own) {
      for (const l of [`bch2_pagecache_add_get(${X})`, `bch2_pagecache_add_put(${X})`, `filemap_add_folio(${X})`, `filemap_read_folio(${X})`, `finish_fault(${X}): map read-only`, `folio_lock(${X})`, `folio_unlock(${X})`])
        add(k(l), ownSigbus(X));
      add(k('mmap_read_unlock'), ownGupExit(X));
      add(k(`submit_bio(${X})`), ownEfault(X));
      add(k(`unpin_user_page(${X})`), ownEfault(X));
      continue;
    }
    // a buffer of another file: only this task maps it
    if (tasks.filter((u) => bufIdx(u) === bufIdx(t)).length === 1)
      for (const l of [`folio_lock(${Y})`, `folio_unlock(${Y})`]) add(k(l), faultHit(task, Y));
    if (below) add(k(`bch2_pagecache_add_get(${Y})`), outOfOrderOnly(task, X, Y));
    else add(k('mmap_read_unlock'), noSigbus(task, X, Y));
  }
  return Object.fromEntries(Object.entries(out).map(([key, reasons]) => [key, reasons.join('; and ')]));
};

/** The audited steps, and the steps of VM_FAULT_RETRY that never fire here (`retrySteps`). */
export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> => ({
  ...retrySteps('A', 'B'),
  ...(p.fault_lock === 'pagecache_kent' && p.dio === 'd2' ? { 'dio0: filemap_read_folio(B)': READ_AFTER_RELEASE, 'dio1: filemap_read_folio(A)': READ_AFTER_RELEASE } : {}),
  ...audited(p),
});
