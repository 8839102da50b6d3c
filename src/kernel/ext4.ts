/**
 * ext4 as a filesystem record (fs.ts), delayed allocation on:
 *
 * - `->page_mkwrite` — `ext4_page_mkwrite` (fs/ext4/inode.c): `filemap_invalidate_lock_shared`,
 *   then `block_page_mkwrite(ext4_da_get_block_prep)`: the folio locked, "Page got truncated
 *   from under us?" (`folio->mapping != mapping`: VM_FAULT_NOPAGE), buffers attached and
 *   reserved, `folio_wait_stable`.
 * - `->writepages` — `ext4_writepages` → `mpage_prepare_extent_to_map`: a folio without buffers
 *   ("page %lu does not have buffers attached") is cleaned with `folio_clear_dirty` and skipped:
 *   no `folio_mkclean`, so a writable PTE stays writable and later stores reach the folio with
 *   nobody told (the W-b report, https://lore.kernel.org/all/20180103100430.GE4911@quack2.suse.cz/).
 *   A folio with buffers goes the generic way (`mpage_submit_folio` → `folio_clear_dirty_for_io`,
 *   which write-protects it first).
 * - `->dirty_folio` — `ext4_dirty_folio` (`block_dirty_folio`, its WARN_ON_ONCEs are
 *   properties/page-cache.ts's W-a and W-a'); `->write_begin` — `ext4_da_write_begin`;
 *   `->release_folio` — `ext4_release_folio` (`try_to_free_buffers` fails on dirty buffers).
 *
 * Lock order, fs/ext4/super.c ("Lock ordering"): page fault path `mmap_lock ->
 * sb_start_pagefault -> invalidate_lock (r) -> transaction start -> page lock -> i_data_sem`;
 * writepages `transaction start -> page lock(s) -> i_data_sem`. The jbd2 handle is not modelled
 * here (delalloc `->page_mkwrite` starts none).
 */
import { goto, ifElse, step, type Program } from '../model/program.ts';
import { folio_mark_dirty, folio_unlock, PRIVATE, trace } from './folio.ts';
import { block_page_mkwrite } from './fault.ts';
import { block_write_begin, block_write_end, filesystem, type Filesystem } from './fs.ts';
import { filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared } from './inode.ts';
import { write_folio, type WritepageCtx } from './writeback.ts';
import { try_to_free_buffers } from './release-folio.ts';

const MKWRITE = 'fs/ext4/inode.c: ext4_page_mkwrite';

/**
 * `mpage_prepare_extent_to_map` (fs/ext4/inode.c) on one locked dirty folio: without buffers,
 * `folio_clear_dirty` (its PTEs untouched) and on to the next folio; otherwise the generic write
 * (`mpage_submit_folio`: `folio_clear_dirty_for_io`, which write-protects it first).
 */
export const ext4_writepages = (c: WritepageCtx): Program => {
  const { cur, folio: f, next } = c;
  return [
    ifElse((s) => s.get(f.private) === PRIVATE.none, [
      step(`mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(${f.name}) (W-b)`, {
        fn: 'fs/ext4/inode.c: mpage_prepare_extent_to_map',
        then: (s) => trace(f, 'writeback_discard', s.set(f.dirty, false), cur.id),
      }),
      folio_unlock(f, cur), goto(next),
    ]),
    write_folio(c),
  ];
};

export const ext4: Filesystem = filesystem('ext4', {
  page_mkwrite: (cur, vma, f, out) => {
    const file = vma.file;
    return [
      filemap_invalidate_lock_shared(file, cur, MKWRITE),
      block_page_mkwrite(cur, vma, f, out, { label: 'ext4_page_mkwrite', fn: MKWRITE, unwind: filemap_invalidate_unlock_shared(file, cur, MKWRITE) }),
      filemap_invalidate_unlock_shared(file, cur, MKWRITE),
    ];
  },
  writepages: ext4_writepages,
  dirty_folio: (f) => folio_mark_dirty(f, 'fs/ext4/inode.c: ext4_dirty_folio'),
  // ext4_da_write_begin → __block_write_begin (buffers, the delalloc reservation), nothing dirtied;
  // ext4_da_write_end → ext4_da_do_write_end → block_write_end: what was copied is dirtied
  write_begin: (_cur, _file, f) => block_write_begin(f, `ext4_write_begin(${f.name})`, 'fs/ext4/inode.c: ext4_da_write_begin'),
  write_end: (_cur, _file, f, copied) => block_write_end(f, copied),
  // ext4_release_folio: no journalled data here, so jbd2_journal_try_to_free_buffers is try_to_free_buffers
  release_folio: { fn: 'fs/ext4/inode.c: ext4_release_folio', busy: try_to_free_buffers.busy },
  // ext4_writepages diverts a folio without buffers (mpage_prepare_extent_to_map) before the
  // generic write, under the same folio lock, and buffers go only under the folio lock
  // (try_to_free_buffers): the generic write always has buffers to write
  discard: null,
  submit: { fn: 'fs/ext4/page-io.c: ext4_bio_write_folio' },
  freeBlocks: { fn: 'fs/ext4/extents.c: ext4_ext_remove_space' },
});
