/**
 * The page cache as the kernel source does it, with known answers:
 *
 * - `orphan_lock` — a folio truncation removed is still the same folio. mm/truncate.c:
 *   `truncate_inode_pages_range` takes `folio_lock`, `truncate_inode_folio` →
 *   `filemap_remove_folio` (mm/filemap.c: "BUG_ON(!folio_test_locked(folio))", then
 *   `page_cache_delete` sets `folio->mapping = NULL`), then `folio_unlock`. A GUP holder that
 *   locks the page it holds waits for that unlock: never both in the folio lock.
 * - `write_short_copy` — mm/filemap.c: generic_perform_write dirties at `->write_end`, for what
 *   was copied: fs/buffer.c: block_write_end "This could be a short (even 0-length) commit" →
 *   `__block_commit_write` marks only the buffers in `[from, from + copied)` dirty
 *   (`mark_buffer_dirty`), and on `status == 0` generic_perform_write faults the source in and
 *   retries. The folio is never dirty before a byte is copied into it.
 * - `reclaim_locked` — mm/vmscan.c: shrink_folio_list: "if (!folio_trylock(folio)) goto keep;":
 *   reclaim skips a locked folio, so a lock holder waiting for reclaim does not deadlock.
 * - `reclaim_writeback` — mm/vmscan.c: shrink_folio_list, "Case 3": legacy memcg reclaim waits
 *   for the writeback of a folio already marked for reclaim (`folio_wait_writeback`) and tries it
 *   again; `filemap_release_folio` → `try_to_free_buffers` then frees the clean buffers.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'page-cache-facts',
  doc: 'orphaned folios, write_end dirtying, reclaim trylock and release: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: 'holds',
    ...(p.case === 'orphan_lock' ? { 'the holder and the truncating task hold the folio lock at once': 'holds' } : {}),
    ...(p.case === 'write_short_copy' ? { 'the folio is dirty with nothing copied into it': 'holds' } : {}),
    ...(p.case === 'reclaim_writeback' ? { 'a folio found under writeback is freed once the writeback is done': 'holds' } : {}),
  }),
  mayBeUnreached,
  setup(p, sys) {
    return cases[p.case](sys);
  },
});
