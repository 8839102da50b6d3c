/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (`actor: frame > … > label`, outer
 * frames left out), numbered in program order where positions share the path and label;
 * filemap_fault's as models/retry-steps.ts lists them (a fault under the VMA lock has two
 * copies: the VMA-lock attempt's, then the one under mmap_lock).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { filemapFaultSteps } from '../retry-steps.ts';

/** A is cached and uptodate throughout: filemap_fault's not-cached path is never taken. */
const CACHED = 'A stays cached and uptodate (nothing removes it or clears PG_uptodate): filemap_fault\'s not-cached path (filemap_add_folio, its folio_lock and release, the reads, their folio_unlocks) never runs';
/** The cached path's recheck under the folio lock. */
const RECHECK = 'A stays cached and uptodate: the recheck after lock_folio_maybe_drop_mmap never sends the fault to the not-cached path';

/** `actor`'s copies of filemap_fault: every position of the not-cached path, and the cached path's recheck. */
const fault = (actor: string, copies: number): Record<string, string> => Object.fromEntries(Array.from({ length: copies }, (_, k) => {
  const s = filemapFaultSteps('A', { k, copies });
  return [[s.hitRecheck!, RECHECK], ...[s.add, s.missLock, s.missRelease, s.missRecheck!, s.readRelease, s.readAfterRelease, s.readUnlock, s.readKeeping, s.missRetry].map((x) => [x, CACHED])];
}).flat().map(([k, r]) => [`${actor}: ${k}`, r]));

const WRITE_LOCK = 'the fault holds mmap_lock only after the holder\'s mmap_write_unlock (its retry) or while the VMA is write-locked under it: the holder never waits for it';

/** munmap_mmap_lock: the fault under mmap_lock. */
const FAULT_NO_FINISH = 'the fault maps A by filemap_map_pages while A is unlocked; with A locked it releases mmap_lock and returns VM_FAULT_RETRY, and the holder unlocks A after its munmap: the retry finds no VMA (a bad area)';
/** munmap_vma_lock: the fault under the VMA lock. */
const UNDER_VMA_LOCK = 'under the VMA lock the fault maps A by filemap_map_pages while A is unlocked (the holder not started); with A locked it sleeps on A and retries, since the holder unlocks A only after its munmap, whose vma_start_write waits for the fault\'s VMA lock';
/** munmap_vma_lock: the fault under mmap_lock. */
const NO_VMA = 'the fault reaches lock_mmap only after its VMA-lock attempt returned VM_FAULT_RETRY, once the holder\'s munmap let A go: the VMA is gone, lock_mm_and_find_vma fails (a bad area), and no fault runs under mmap_lock';
/** gup_fast_fallback: the fault in faultin_page. */
const GUP_NO_FINISH = 'faultin_page\'s fault maps A by filemap_map_pages while A is unlocked; with A locked it releases mmap_lock (FOLL_UNLOCKABLE) and returns VM_FAULT_RETRY, and the holder unlocks A after its munmap: the retry finds no VMA (-EFAULT)';

/** tried_vma_lock: the holder's first round. */
const FIRST_ROUND = 'in the holder\'s first round the fault holds no mmap_lock: the VMA is never write-locked, so the fault takes mmap_lock only for its retry after VM_FAULT_RETRY, which it returns only once it got A, and the holder unlocks A after that round\'s mmap_write_unlock';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    munmap_mmap_lock: {
      ...fault('fault', 1),
      ...Object.fromEntries(['handle_mm_fault > folio_unlock(A)', 'handle_mm_fault > finish_fault(A): map read-only'].map((l) => [`fault: ${l}`, FAULT_NO_FINISH])),
    },
    munmap_vma_lock: {
      ...fault('fault', 2), 'holder: mmap_write_lock [sleep]': WRITE_LOCK,
      ...Object.fromEntries(['handle_mm_fault > folio_unlock(A)#1', 'handle_mm_fault > finish_fault(A): map read-only#1'].map((l) => [`fault: ${l}`, UNDER_VMA_LOCK])),
      ...Object.fromEntries(['mmap_read_unlock#2', 'handle_mm_fault > filemap_map_pages(A)#2', 'handle_mm_fault > filemap_fault > folio_lock(A)#3', 'handle_mm_fault > filemap_fault > lock_folio_maybe_drop_mmap(A): release_fault_lock#3',
        'handle_mm_fault > filemap_fault > folio_unlock(A)#7', 'handle_mm_fault > folio_unlock(A)#2', 'handle_mm_fault > finish_fault(A): map read-only#2'].map((l) => [`fault: ${l}`, NO_VMA])),
    },
    gup_fast_fallback: {
      ...fault('gup', 1),
      'gup: gup_fast: re-check PTE': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: try_grab_folio_fast': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: pin_user_pages_fast > mmap_read_unlock#2': 'the -EFAULT exit after VM_FAULT_SIGBUS is never taken: filemap_fault on A, cached and uptodate, never fails; the exits after the pin (#3) and after gup_vma_lookup (#1) fire',
      ...Object.fromEntries(['pin_user_pages_fast > handle_mm_fault > folio_unlock(A)', 'pin_user_pages_fast > handle_mm_fault > finish_fault(A): map read-only'].map((l) => [`gup: ${l}`, GUP_NO_FINISH])),
    },
    tried_vma_lock: {
      ...fault('fault', 2),
      'holder: mmap_write_lock [sleep]#1': FIRST_ROUND,
      'fault: lock_vma_under_rcu failed: retry under mmap_lock': 'the holder maps a new region: this VMA is never write-locked',
    },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
