/** The cases of the fault-retry model; each value's doc says what it shows. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'who holds the folio lock, and how the fault or GUP reaches it', default: 'munmap_mmap_lock', values: {
    munmap_mmap_lock: 'a CPU fault on a folio whose lock holder waits for mmap_lock for write (munmap): the fault releases mmap_lock before it sleeps, retries, finds no VMA',
    munmap_vma_lock: 'the same under the per-VMA lock, the holder write-locking the VMA (munmap): the fault releases the VMA lock, retries under mmap_lock, finds no VMA',
    gup_fast_fallback: 'pin_user_pages_fast falling back to the slow path (FOLL_UNLOCKABLE): -EBUSY, mmap_lock re-taken, the VMA looked up again: -EFAULT after the munmap',
    pin_user_pages: 'pin_user_pages under the caller\'s mmap_lock (no FOLL_UNLOCKABLE): the fault sleeps holding it (deadlock)',
    tried_mmap_lock: 'the holder takes the folio lock twice: the fault\'s retry (FAULT_FLAG_TRIED) sleeps holding mmap_lock (deadlock)',
    tried_vma_lock: 'the same with the per-VMA lock: the retry after the VMA-lock attempt of a cached folio is not TRIED, so it releases mmap_lock once more',
    invalidate_lock: 'the fault of a folio being read holds invalidate_lock while it sleeps on the folio lock: only mmap_lock is released (deadlock)',
    kernel_mode_fault: 'a write(2) prefaulting its source (a kernel-mode fault) under inode_lock: under mmap_lock even where the VMA has a per-VMA lock; a task taking mmap_lock then inode_lock deadlocks with it',
    pagecache_add_lock: 'bcachefs: bch2_page_fault holds the pagecache add lock across filemap_fault, also while it sleeps on the folio (deadlock with a block-lock taker)',
  } }),
};
