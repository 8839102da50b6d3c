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

/** tried_vma_lock: the holder's first round. */
const FIRST_ROUND = 'in the holder\'s first round the fault holds no mmap_lock: the VMA is never write-locked, so the fault takes mmap_lock only for its retry after VM_FAULT_RETRY, which it returns only once it got A, and the holder unlocks A after that round\'s mmap_write_unlock';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    munmap_mmap_lock: fault('fault', 1),
    munmap_vma_lock: { ...fault('fault', 2), 'holder: mmap_write_lock [sleep]': WRITE_LOCK },
    gup_fast_fallback: {
      ...fault('gup', 1),
      'gup: gup_fast: re-check PTE': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: try_grab_folio_fast': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: pin_user_pages_fast > mmap_read_unlock#1': 'the -EFAULT exit after VM_FAULT_SIGBUS is never taken: filemap_fault on A, cached and uptodate, never fails; the exit after the pin (#2) fires',
    },
    tried_vma_lock: {
      ...fault('fault', 2),
      'holder: mmap_write_lock [sleep]#1': FIRST_ROUND,
      'fault: lock_vma_under_rcu failed: retry under mmap_lock': 'the holder maps a new region: this VMA is never write-locked',
    },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
