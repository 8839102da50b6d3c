/** What the fs-plugin cases share: the case shape, the stale-PTE property, a truncation. */
import { never, type Program, type Property, type State, type System } from '../../src/index.ts';
import {
  filemap_invalidate_lock, filemap_invalidate_unlock, inode_dio_wait, inode_lock, inode_unlock, pteOf, PTE, truncate_pagecache_range,
  type Current, type Folio, type Inode, type Vma,
} from '../../src/kernel/index.ts';

/** A case declares its actors and returns the properties it adds. */
export type Case = (sys: System) => Property[];

export const mapped = (vma: Vma, f: Folio) => (s: State): boolean => s.get(pteOf(vma, f)) !== PTE.absent;

export const staleWritable = (vma: Vma, f: Folio): Property =>
  never('a writable PTE maps a folio truncation removed', (s) => s.get(pteOf(vma, f)) === PTE.rw && !s.test(f.cached));

/**
 * Truncation under `inode_lock` and `invalidate_lock` (ext4_setattr → truncate_pagecache), then
 * `body` (the blocks freed). The steps are a hole punch's too (fs/ext4/inode.c: ext4_punch_hole:
 * inode_lock, inode_dio_wait, filemap_invalidate_lock, truncate_pagecache_range, the blocks
 * removed): no i_size is kept, so a fault or read afterwards finds the slot empty and fills it,
 * as after a punch (after a truncation to 0 filemap_fault would return VM_FAULT_SIGBUS).
 */
export const truncate = (cur: Current, A: Inode, body: Program): Program =>
  [...inode_lock(A, cur), inode_dio_wait(A), ...filemap_invalidate_lock(A, cur), truncate_pagecache_range(cur, A), body, filemap_invalidate_unlock(A, cur), inode_unlock(A, cur)];
