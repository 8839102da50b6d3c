/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired). Keys name a step as
 * `actor: label`.
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';

/** A is cached and uptodate throughout: filemap_fault's not-cached path (its own copies of these steps) is never taken. */
const CACHED = 'A stays cached and uptodate: the copies of these steps on filemap_fault\'s not-cached path never run (the cached path\'s copies fire)';

const fault = (actor: string): Record<string, string> => ({
  [`${actor}: filemap_add_folio(A)`]: CACHED,
  [`${actor}: filemap_read_folio(A)`]: CACHED,
  [`${actor}: page_not_uptodate(A): release_fault_lock`]: CACHED,
  [`${actor}: folio_lock(A)`]: CACHED,
  [`${actor}: folio_unlock(A)`]: CACHED,
  [`${actor}: lock_folio_maybe_drop_mmap(A): release_fault_lock`]: `${CACHED}; a TRIED attempt never releases`,
});

const WRITE_LOCK = 'the fault holds mmap_lock only after the holder\'s mmap_write_unlock (its retry) or while the VMA is write-locked under it: the holder never waits for it';

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({
    munmap_mmap_lock: fault('fault'),
    munmap_vma_lock: { ...fault('fault'), 'holder: mmap_write_lock [sleep]': WRITE_LOCK },
    gup_fast_fallback: {
      ...fault('gup'),
      'gup: gup_fast: re-check PTE': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: try_grab_folio_fast': 'the PTE is absent until the slow path\'s fault maps it: GUP-fast never finds a page',
      'gup: mmap_read_unlock': 'the -EFAULT exits (FOLL_NOFAULT, VM_FAULT_SIGBUS) are never taken',
    },
    tried_vma_lock: {
      ...fault('fault'),
      'holder: mmap_write_lock [sleep]': 'not yet traced to its cause (the holder\'s down_write slow path; WRITE_LOCK holds for munmap_vma_lock)',
      'fault: lock_vma_under_rcu failed: retry under mmap_lock': 'the holder maps a new region: this VMA is never write-locked',
    },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {};
