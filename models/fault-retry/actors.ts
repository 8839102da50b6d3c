/**
 * The actors and witnesses the fault-retry cases share: the folio-lock holder (munmap, or a new
 * mapping, under mmap_lock for write) and the `sometimes` properties that show the retry.
 */
import { int, NONE, sometimes, step, type State, type System } from '../../src/index.ts';
import {
  FAULT_FLAG, faultFlags, folio_lock, folio_unlock, has, mmap_write_lock, mmap_write_unlock, munmap, pteOf, PTE,
  type Current, type Folio, type Mm, type Vma,
} from '../../src/kernel/index.ts';

/** `mmap()` of a new region (mm/mmap.c: do_mmap → mmap_region): mmap_lock for write; no existing VMA is write-locked. */
const mmapRegion = (mm: Mm, self: Parameters<typeof mmap_write_lock>[1]) => [
  mmap_write_lock(mm, self), step('mmap_region(new)', { fn: 'mm/mmap.c: mmap_region' }), mmap_write_unlock(mm, self),
];

/**
 * The holder: folio A locked, then mmap_lock for write — `munmap` of the faulting VMA (declared
 * `unmappable`), or (`what: 'mmap'`) a new mapping — before it unlocks A; `rounds` times.
 */
export const holder = (sys: System, f: Folio, mm: Mm, vma: Vma, what: 'munmap' | 'mmap' = 'munmap', rounds = 1) =>
  sys.task('holder', (self) => Array.from({ length: rounds }, () => [folio_lock(f, self), what === 'munmap' ? munmap(vma, self) : mmapRegion(mm, self), folio_unlock(f, self)]));

/**
 * The labels `lock_folio_maybe_drop_mmap(A)` got in `cur`'s program (one per copy of
 * filemap_fault): asking `cur.label` for the next one tells how many there are.
 */
export const lockFolioLabels = (cur: Current, f: Folio): string[] => {
  const base = `lock_folio_maybe_drop_mmap(${f.name})`, next = cur.label(base), n = next === base ? 1 : Number(next.slice(base.length + 1));
  return Array.from({ length: n - 1 }, (_, i) => (i === 0 ? base : `${base}#${i + 1}`));
};

/** The faulting task rests in lock_folio_maybe_drop_mmap (asleep on A), holding neither mmap_lock nor the VMA lock. */
export const waitsUnlocked = (cur: Current, vma: Vma, f: Folio, labels: readonly string[]) => sometimes('the fault sleeps on the folio lock without its fault lock',
  (s) => labels.some((l) => s.at(cur, l)) && f.lock.holder(s) !== NONE && f.lock.holder(s) !== cur.id
    && !has(s, vma.mm.mmap_lock.readers, cur) && !(vma.vm_lock !== undefined && has(s, vma.vm_lock.readers, cur)));

/**
 * After VM_FAULT_RETRY the fault is redone and finds the VMA the holder unmapped meanwhile gone:
 * `lock_mm_and_find_vma` fails (a bad area, A not mapped again), or GUP's `gup_vma_lookup`
 * returns NULL (-EFAULT), as `__get_user_pages` looks the VMA up again after re-taking mmap_lock.
 */
export const goneOnRetry = (cur: Current, vma: Vma, via: 'fault' | 'gup') => {
  const flags = faultFlags(cur), miss = via === 'gup' ? 'no_vma' : 'bad_area', hadVmaLock = vma.vm_lock ? cur.local('vma_locked', int(0, 1)) : undefined;
  // a retry: FAULT_FLAG_TRIED, or the mmap_lock attempt after a VMA-lock attempt (TRIED only for a major fault)
  const retried = (s: State): boolean => (s.get(flags) & FAULT_FLAG.TRIED) !== 0 || (hadVmaLock !== undefined && s.get(hadVmaLock) === 1);
  return sometimes('the retry finds the VMA unmapped', (s) => s.at(cur, miss) && retried(s));
};

/**
 * After VM_FAULT_RETRY the fault, under mmap_lock, maps A: a retry is FAULT_FLAG_TRIED, or —
 * after a VMA-lock attempt — any mmap_lock attempt of a fault that had the VMA lock.
 */
export const mapsOnRetry = (cur: Current, vma: Vma, f: Folio) => {
  const flags = faultFlags(cur), hadVmaLock = vma.vm_lock ? cur.local('vma_locked', int(0, 1)) : undefined;
  const retried = (s: State): boolean => (s.get(flags) & FAULT_FLAG.TRIED) !== 0 || (hadVmaLock !== undefined && s.get(hadVmaLock) === 1);
  return sometimes('the fault, redone under mmap_lock, maps the folio',
    (s) => retried(s) && (s.get(flags) & FAULT_FLAG.VMA_LOCK) === 0 && has(s, vma.mm.mmap_lock.readers, cur) && s.get(pteOf(vma, f)) !== PTE.absent);
};

