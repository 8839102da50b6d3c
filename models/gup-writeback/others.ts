/** The actors around the race: an mmap_lock writer, reclaim, a punch hole, the application that deregisters a long-term pin. */
import { step, type Program, type Self } from '../../src/index.ts';
import { current } from '../../src/kernel/current.ts';
import { filemap_invalidate_lock, filemap_invalidate_unlock, inode_dio_wait, inode_lock, inode_unlock } from '../../src/kernel/inode.ts';
import { mmap_write_lock, mmap_write_unlock, vma_end_write_all, vma_start_write } from '../../src/kernel/mm.ts';
import { shrink_folio_list } from '../../src/kernel/reclaim.ts';
import { truncate_pagecache_range } from '../../src/kernel/truncate.ts';
import type { World } from './world.ts';

/** `mprotect()`: mmap_lock for write, the VMA write-locked, protections changed. */
export const mprotect = (w: World) => (self: Self): Program => [
  ...mmap_write_lock(w.mm, self), vma_start_write(w.vma, self),
  step('change_protection', { fn: 'mm/mprotect.c: change_protection' }),
  vma_end_write_all(w.vma, self), mmap_write_unlock(w.mm, self),
];

/** kswapd reclaiming the file folio. */
export const reclaim = (w: World) => (self: Self): Program =>
  shrink_folio_list(current(self), w.file, w.f, { skipPinned: w.p.fix_reclaim_skip_pinned });

/** `ext4_punch_hole()` (fs/ext4/inode.c) over the folio: the pinned page is orphaned. */
export const punch = (w: World) => (self: Self): Program => [
  ...inode_lock(w.file, self), inode_dio_wait(w.file), ...filemap_invalidate_lock(w.file, self),
  truncate_pagecache_range(current(self), w.file),
  filemap_invalidate_unlock(w.file, self), inode_unlock(w.file, self),
];

/** The RDMA application's `ibv_dereg_mr()`, whenever it decides: no fairness. */
export const application = (w: World) => (): Program =>
  step('ibv_dereg_mr', { fn: 'drivers/infiniband/core/verbs.c: ib_dereg_mr_user', then: (s) => s.set(w.deregistered, true) });
