/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (`actor: frame > … > label`, outer
 * frames left out), numbered in program order where positions share the path and label.
 *
 * The keys of bch2_direct_write's two invalidations are in invalidation-keys.ts.
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
 *
 * The DIO's GUP is pin_user_pages_fast (lib/iov_iter.c: iov_iter_extract_user_pages): GUP-fast,
 * which never finds the buffer mapped here, then the slow path with FOLL_UNLOCKABLE, whose fault's
 * first attempt reads the folio after page_not_uptodate released mmap_lock and returns
 * VM_FAULT_RETRY. dio1 (buffer A, below its B) never gets through to filemap_fault on the retry
 * (FAULT_FLAG_TRIED): finish_fault never maps its buffer.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { writeOfDirty, invalidation } from './invalidation-keys.ts';
import { filemapFaultSteps, newFolioFree } from '../retry-steps.ts';
import { dirty, noDrop, neverCached, outOfOrderOnly, noSigbus, ownSigbus, ownGupExit, ownEfault, inodeSleep } from './reasons.ts';
import { faultHit, ownNewFolio, noFpinOnMiss, gupFastAbsent, belowFirstAttemptOnly, ownGupFastAbsent, ownNoRetry } from './fault-reasons.ts';

const NAMES = ['A', 'B', 'C'];
/** The DIO's GUP (src/kernel/bcachefs.ts: bch2_direct_write): pin_user_pages_fast, GUP-fast then the slow path with FOLL_UNLOCKABLE. */
const GUP = 'bio_iov_iter_get_pages > ';
const GUP_FAST = ['try_grab_folio_fast', 'gup_fast: re-check PTE'].map((l) => GUP + l);
const audited = (p: ParamValues<typeof params>): Record<string, string> => {
  if (p.fault_lock !== 'pagecache_kent' || p.dio !== 'd2' || p.buffered !== 'none' || p.competitor || p.punch || p.folios !== 1) return {};
  const out: Record<string, string[]> = {};
  const add = (key: string, reason: string): void => { if (!out[key]?.includes(reason)) (out[key] ??= []).push(reason); };
  const tasks = Array.from({ length: p.tasks }, (_, t) => t);
  const dioIdx = (t: number): number => t % p.files, bufIdx = (t: number): number => (t + (p.buffer === 'next' ? 1 : 0)) % p.files;

  for (const t of tasks) {
    const task = `dio${t}`, X = NAMES[dioIdx(t)]!, Y = NAMES[bufIdx(t)]!, own = X === Y, below = bufIdx(t) < dioIdx(t);
    const k = (label: string): string => `${task}: ${label}`;
    // bch2_direct_write's invalidation: does anything put X in the page cache before it?
    const faultedInByOther = tasks.some((u) => bufIdx(u) === dioIdx(t) && dioIdx(u) !== dioIdx(t));
    const cachedEver = p.cached || faultedInByOther;

    // the write of a dirty folio (both invalidations)
    for (const l of [...writeOfDirty(X, 0), ...writeOfDirty(X, 1)]) add(k(l), dirty(X));
    // the re-invalidation after dropped locks
    if (!below) for (const l of invalidation(X, 1)) add(k(l), noDrop(task, X, Y));
    // the first invalidation
    if (!cachedEver) for (const l of invalidation(X, 0)) add(k(l), neverCached(X, tasks.some((u) => bufIdx(u) === dioIdx(t))));
    if (tasks.filter((u) => dioIdx(u) === dioIdx(t)).length === 1) add(k(`inode_lock(${X}) [sleep]`), inodeSleep(task, X));

    // GUP's exits: #1 after VM_FAULT_SIGBUS, #2 after a successful follow_page_pte
    if (own) {
      for (const l of [`bch2_page_fault > bch2_pagecache_add_get(${X})`, `bch2_page_fault > bch2_pagecache_add_put(${X})`, `filemap_fault > filemap_add_folio(${X})`, `filemap_fault > filemap_read_folio(${X})`,
        `filemap_fault > folio_lock(${X})`, `filemap_fault > folio_unlock(${X})`,
        `filemap_fault > lock_folio_maybe_drop_mmap(${X}): release_fault_lock`, `filemap_fault > page_not_uptodate(${X}): release_fault_lock`, `handle_mm_fault > finish_fault(${X}): map read-only`, `handle_mm_fault > folio_unlock(${X})`])
        add(k(l), ownSigbus(X));
      add(k('bio_iov_iter_get_pages > mmap_read_unlock#2'), ownGupExit(X));
      add(k(`${GUP}mmap_read_lock#2`), ownNoRetry(X));
      for (const l of GUP_FAST) add(k(l), ownGupFastAbsent(X));
      add(k(`submit_bio(${X})`), ownEfault(X));
      add(k(`unpin_user_page(${X})`), ownEfault(X));
      continue;
    }
    // a buffer of another file: the GUP's fault (FOLL_UNLOCKABLE) releases mmap_lock in page_not_uptodate (models/retry-steps.ts)
    const ff = filemapFaultSteps(Y), untouched = !p.cached && p.mm_writer === 'absent';
    // only this task maps it: filemap_fault's cache hit (its lock, its release, its recheck's unlock, its out_retry), the recheck after
    // filemap_add_folio, the new folio's release, and the not-cached path's out_retry for an uptodate folio
    if (tasks.filter((u) => bufIdx(u) === bufIdx(t)).length === 1) {
      for (const l of [ff.hitLock, ff.hitRelease, ff.hitRecheck!, ff.hitRetry, ff.missRecheck!]) add(k(l), faultHit(task, Y));
      add(k(ff.missRelease), newFolioFree(task, Y, ownNewFolio(Y)));
      add(k(ff.missRetry), noFpinOnMiss(task, Y));
    }
    // GUP-fast: the buffer's PTE is absent at the start of each pass
    if (untouched) for (const l of GUP_FAST) add(k(l), gupFastAbsent(task, Y));
    // the lower-address buffer against the one DIO to it (S-13's dio1): its fault reaches filemap_fault only on a first attempt
    const other = tasks.find((u) => dioIdx(u) === bufIdx(t));
    if (below && untouched && p.tasks === 2 && p.files === 2 && other !== undefined && bufIdx(other) === dioIdx(t))
      for (const l of [`handle_mm_fault > finish_fault(${Y}): map read-only`, `handle_mm_fault > folio_unlock(${Y})`, ff.readKeeping])
        add(k(l), belowFirstAttemptOnly(task, X, Y, `dio${other}`));
    // bch2_page_fault: #1 the drop-and-wait get of the lock-ordering branch, #2 the in-order one
    if (below) add(k(`bch2_page_fault > bch2_pagecache_add_get(${Y})#2`), outOfOrderOnly(task, X, Y));
    else add(k('bio_iov_iter_get_pages > mmap_read_unlock#1'), noSigbus(task, X, Y));
  }
  return Object.fromEntries(Object.entries(out).map(([key, reasons]) => [key, reasons.join('; and ')]));
};

/** The audited steps (none outside the configurations they were traced in). */
export const mayBeUnreached = audited;
