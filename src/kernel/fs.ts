/**
 * What a filesystem decides in the paths the page cache shares: the lock `->page_mkwrite`
 * holds, what it records when notified of a write (`folio->private` becomes `dirty`: blocks
 * reserved, buffers or sectors marked), and what writeback does with a folio it was never told
 * about. One record per filesystem:
 *
 * - `ext4` — `ext4_page_mkwrite` (fs/ext4/inode.c) takes `filemap_invalidate_lock_shared`,
 *   then `block_page_mkwrite`; writeback drops a dirty folio without buffers with a warning
 *   ("page %lu does not have buffers attached", `mpage_prepare_extent_to_map`).
 * - `bcachefs` — `bch2_page_mkwrite` (fs/bcachefs/fs-io-pagecache.c) takes the pagecache add
 *   lock; `__bch2_writepage` writes only sectors in `SECTOR_dirty`, so a folio dirtied without
 *   it writes nothing; checksummed writes bounce (`bch2_write_extent`, fs/bcachefs/io_write.c).
 */
import { NONE } from '../model/domain.ts';
import { step, type Program } from '../model/program.ts';
import { bch2_pagecache_add_get, bch2_pagecache_add_put, type TwoStateLock } from './two-state-lock.ts';
import { filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared, type Inode } from './inode.ts';
import { PRIVATE, trace, type Folio } from './folio.ts';
import type { ActorRef } from '../model/vars.ts';
import type { State } from '../model/state.ts';

export interface Filesystem {
  readonly name: 'ext4' | 'bcachefs';
  /** What `->page_mkwrite` holds around its work (taken first, dropped last). */
  mkwriteLock(file: Inode, self: ActorRef): { readonly take: Program; readonly drop: Program };
  /** `->page_mkwrite`'s own step: the filesystem is told (reservation made, buffers or sectors dirty). */
  readonly page_mkwrite: { readonly label: string; readonly fn: string };
  /** Writeback finds a folio it cleaned for I/O that the filesystem was never told about: it writes nothing. */
  discards(s: State, f: Folio): boolean;
  readonly discard: { readonly label: string; readonly fn: string };
  /** The filesystem's submission of a cleaned folio. */
  readonly submit: { readonly fn: string };
  /** Checksummed writes go through a bounce buffer (the device writes a copy). */
  readonly bouncesChecksums: boolean;
  /** Freeing the blocks of a punched range. */
  readonly freeBlocks: { readonly fn: string };
}

export const ext4: Filesystem = {
  name: 'ext4',
  mkwriteLock: (file, self) => ({
    take: filemap_invalidate_lock_shared(file, self, `fs/ext4/inode.c: ext4_page_mkwrite`),
    drop: filemap_invalidate_unlock_shared(file, self, `fs/ext4/inode.c: ext4_page_mkwrite`),
  }),
  page_mkwrite: { label: 'ext4_page_mkwrite', fn: 'fs/ext4/inode.c: ext4_page_mkwrite' },
  discards: (s, f) => s.get(f.private) === PRIVATE.none,
  discard: { label: 'mpage_prepare_extent_to_map: no buffers, data dropped (W-b)', fn: 'fs/ext4/inode.c: mpage_prepare_extent_to_map' },
  submit: { fn: 'fs/ext4/page-io.c: ext4_bio_write_folio' },
  bouncesChecksums: false,
  freeBlocks: { fn: 'fs/ext4/extents.c: ext4_ext_remove_space' },
};

const pagecacheOf = (file: Inode): TwoStateLock => {
  if (file.pagecache === undefined) throw new Error(`Assertion failed: bcachefs file ${file.name} without ei_pagecache_lock`);
  return file.pagecache;
};

/** bcachefs, with each file's `ei_pagecache_lock`. */
export const bcachefs: Filesystem = {
  name: 'bcachefs',
  mkwriteLock: (file, self) => ({ take: bch2_pagecache_add_get(pagecacheOf(file), self), drop: bch2_pagecache_add_put(pagecacheOf(file), self) }),
  page_mkwrite: { label: 'bch2_page_mkwrite', fn: 'fs/bcachefs/fs-io-pagecache.c: bch2_page_mkwrite' },
  discards: (s, f) => s.get(f.private) !== PRIVATE.dirty,
  discard: { label: '__bch2_writepage: no dirty sectors, nothing written', fn: 'fs/bcachefs/fs-io-buffered.c: __bch2_writepage' },
  submit: { fn: 'fs/bcachefs/io_write.c: bch2_write_extent' },
  bouncesChecksums: true,
  freeBlocks: { fn: 'fs/bcachefs/io_misc.c: bch2_fpunch' },
};

/**
 * The filesystem is notified of a write to `f` (`->page_mkwrite` or `->write_begin`, the folio
 * locked by the caller): space reserved, `private` dirty, the folio dirty.
 */
export const notify = (fs: Filesystem, f: Folio, label = fs.page_mkwrite.label, fn = fs.page_mkwrite.fn): Program =>
  step(label, { fn, then: (s) => s.set(f.private, PRIVATE.dirty).set(f.dirty, true) });

/**
 * `folio_start_writeback` and the filesystem's submission, folio locked: the folio is under
 * writeback by `self`; its reservation is used up. `bounce`: the I/O writes a copy.
 */
export const folio_start_writeback = (fs: Filesystem, f: Folio, self: ActorRef, bounce: boolean): Program =>
  step(`folio_start_writeback(${f.name}): submit`, {
    fn: fs.submit.fn,
    then: (s) => trace(f, bounce ? 'writeback_submit_bounce' : 'writeback_submit',
      s.set(f.writeback, self.id).set(f.private, s.get(f.private) === PRIVATE.none ? PRIVATE.none : PRIVATE.clean), self.id),
  });

/** `folio_end_writeback()` (mm/filemap.c): the I/O completed; waiters on PG_writeback wake. */
export const folio_end_writeback = (f: Folio, self: ActorRef): Program =>
  step(`folio_end_writeback(${f.name})`, {
    fn: 'mm/filemap.c: folio_end_writeback',
    then: (s) => trace(f, 'writeback_end', s.set(f.writeback, NONE), self.id),
  });
