/** The actors around the DIOs: a buffered writer, an unbounded competitor, an mmap_lock writer (mprotect or munmap), a punch hole. */
import { loop, step, type Program, type Self } from '../../src/index.ts';
import { current, type Current } from '../../src/kernel/current.ts';
import { generic_perform_write } from '../../src/kernel/buffered.ts';
import { bch2_buffered_write_locked, bch2_pagecache_block } from '../../src/kernel/bcachefs.ts';
import { filemap_invalidate_lock, filemap_invalidate_unlock, inode_dio_wait, inode_lock, inode_unlock } from '../../src/kernel/inode.ts';
import { mmap, mmap_write_lock, mmap_write_unlock, munmap, vma_end_write_all, vma_start_write, type Vma } from '../../src/kernel/mm.ts';
import { truncate_pagecache_range } from '../../src/kernel/truncate.ts';
import type { System } from '../../src/index.ts';
import type { World } from './world.ts';

/** A buffered write to file 0 from `src` (`generic_file_write_iter`; bcachefs holds the add lock too). */
const bufferedWrite = (cur: Current, w: World, src: Vma): Program => {
  const A = w.files[0]!, write = generic_perform_write(cur, A.folios[0]!, A, src, src.file.folios[w.p.folios - 1]!, { fault: w.fault });
  return [...inode_lock(A, cur), w.bcachefs ? bch2_buffered_write_locked(cur, A, write) : write, inode_unlock(A, cur)];
};

/** The buffered writer's source mapping (declared before the actors). */
export const bufferedSource = (sys: System, w: World, name: string): Vma =>
  mmap(sys, w.mm, w.files[w.p.buffered === 'same' ? 0 : 1 % w.p.files]!, { name, pte: w.p.cached ? 'ro' : 'absent', vm_lock: w.bufs[0]?.vm_lock !== undefined });

export const buffered = (w: World, src: Vma) => (self: Self): Program => bufferedWrite(current(self), w, src);

/** The same buffered write, forever (it never completes: a competitor for the others' progress). */
export const competitor = (w: World, src: Vma) => (self: Self): Program => loop(bufferedWrite(current(self), w, src));

/** An `mprotect()` of dio0's buffer: mmap_lock for write, the VMA write-locked. */
export const mprotect = (w: World) => (self: Self): Program => [
  ...mmap_write_lock(w.mm, self), vma_start_write(w.bufs[0]!, self),
  step('change_protection', { fn: 'mm/mprotect.c: change_protection' }),
  vma_end_write_all(w.bufs[0]!, self), mmap_write_unlock(w.mm, self),
];

/** A `munmap()` of dio0's buffer (mm/vma.c: do_vmi_align_munmap): dio0's GUP and faults after it find no VMA. */
export const unmapper = (w: World) => (self: Self): Program => munmap(w.bufs[0]!, self);

/** A punch hole on file 0: ext4_punch_hole (invalidate_lock), or bcachefs's (the pagecache block lock). */
export const punch = (w: World) => (self: Self): Program => {
  const cur = current(self), A = w.files[0]!, drop = truncate_pagecache_range(cur, A);
  return [
    ...inode_lock(A, cur), inode_dio_wait(A),
    w.bcachefs ? bch2_pagecache_block(cur, A, drop) : [...filemap_invalidate_lock(A, cur), drop, filemap_invalidate_unlock(A, cur)],
    inode_unlock(A, cur),
  ];
};
