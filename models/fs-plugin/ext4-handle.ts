import { down_read, down_write, rwsem, up_read, up_write, type RwSem } from '../../src/kernel/index.ts';
import {
  block_page_mkwrite, current, ext4_writepages, file, filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared, filesystem, free_blocks,
  mm_struct, mmap, user_fault, write_cache_pages, type Current,
} from '../../src/kernel/index.ts';
import { staleWritable, truncate, type Case } from './shared.ts';

/**
 * A user's ext4 without delayed allocation (fs/ext4/inode.c: ext4_page_mkwrite, the
 * `!DELALLOC` path): `->page_mkwrite` starts a journal handle (`ext4_journal_start`) and calls
 * `block_page_mkwrite(ext4_get_block)` under it. fs/ext4/super.c, "Lock ordering":
 *
 *   page fault path:
 *   mmap_lock -> sb_start_pagefault -> invalidate_lock (r) -> transaction start
 *     -> page lock -> i_data_sem (rw)
 *   writepages:
 *   transaction start -> page lock(s) -> i_data_sem (rw)
 *
 * The handle is a stand-in, not jbd2: a read hold of the running transaction (`journal`), and
 * the commit's T_LOCKED a write hold — `jbd2_journal_commit_transaction` waits for the running
 * handles, and `start_this_handle` waits while the transaction is locked, as a queued rwsem
 * writer keeps new readers out. `inverted` starts the handle under the folio lock.
 */
export const ext4Handle = (inverted: boolean): Case => (sys) => {
  const journal: RwSem = rwsem(sys, 'journal->j_running_transaction', 'jbd2_handle');
  const start = (cur: Current) => down_read(journal, cur, { label: 'jbd2__journal_start', fn: 'fs/jbd2/transaction.c: jbd2__journal_start' });
  const stop = (cur: Current) => up_read(journal, cur, { label: 'jbd2_journal_stop', fn: 'fs/jbd2/transaction.c: jbd2_journal_stop' });
  const MK = 'fs/ext4/inode.c: ext4_page_mkwrite';
  const myext4 = filesystem('ext4-nodelalloc', {
    page_mkwrite: (cur, vma, f, out) => {
      const A = vma.file, body = { label: 'block_page_mkwrite(ext4_get_block)', fn: 'fs/buffer.c: block_page_mkwrite' };
      return inverted
        ? [filemap_invalidate_lock_shared(A, cur, MK), block_page_mkwrite(cur, vma, f, out, { ...body, unwind: filemap_invalidate_unlock_shared(A, cur, MK) }),
          start(cur), stop(cur), filemap_invalidate_unlock_shared(A, cur, MK)]
        : [filemap_invalidate_lock_shared(A, cur, MK), start(cur), block_page_mkwrite(cur, vma, f, out, { ...body, unwind: [stop(cur), filemap_invalidate_unlock_shared(A, cur, MK)] }),
          stop(cur), filemap_invalidate_unlock_shared(A, cur, MK)];
    },
    writepages: ext4_writepages,
    freeBlocks: { fn: 'fs/ext4/inode.c: ext4_truncate' },
  });
  const A = file(sys, 'A', { fs: myext4, invalidate_lock: 'contended', init: { dirty: true } });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map', pte: 'ro' }), f = A.folios[0]!;
  sys.task('fault', (self) => user_fault(current(self), map, f, { write: true }));
  // ext4_do_writepages: the handle first, then mpage_prepare_extent_to_map locks the folios
  sys.task('writeback', (self) => { const cur = current(self); return [start(cur), write_cache_pages(cur, A, { sync: 'none' }), stop(cur)]; });
  sys.task('commit', (self) => [
    ...down_write(journal, self, { label: 'jbd2_journal_commit_transaction: T_LOCKED, wait for handles', fn: 'fs/jbd2/commit.c: jbd2_journal_commit_transaction' }),
    up_write(journal, self, { label: 'jbd2_journal_commit_transaction: T_FLUSH', fn: 'fs/jbd2/commit.c: jbd2_journal_commit_transaction' }),
  ]);
  // ext4_setattr: truncate_pagecache, then ext4_truncate under a handle
  sys.task('truncate', (self) => { const cur = current(self); return truncate(cur, A, [start(cur), free_blocks(cur, A), stop(cur)]); });
  return [staleWritable(map, f)];
};

