/**
 * The step keys of bch2_direct_write's page-cache invalidations (models/dio-mmap/unreached.ts).
 *
 * `bch2_write_invalidate_inode_pages_range` runs twice in one DIO: bch2_direct_write's first
 * invalidation (k = 0) and bch2_dio_write_loop's second, after fdm_dropped_locks() (k = 1). Each
 * is `filemap_write_and_wait_range` — writeback_iter, then for a dirty folio folio_lock,
 * the recheck's folio_unlock, folio_wait_writeback, the write (folio_mkclean,
 * folio_clear_dirty_for_io, __bch2_writepage's discard and its folio_unlock, or
 * folio_start_writeback and its folio_unlock, folio_end_writeback), the wait for writeback — then
 * `invalidate_inode_pages2_range`: folio_lock, folio_wait_writeback,
 * invalidate_complete_folio2, folio_unlock. So invalidation k owns folio_lock #2k+1 (write) and
 * #2k+2 (invalidate), folio_unlock #4k+1…#4k+3 and #4k+4, folio_wait_writeback #3k+1, #3k+2 and
 * #3k+3, and #k+1 of the rest (`invalidation`, `writeOfDirty`).
 */
const INVALIDATE = 'bch2_write_invalidate_inode_pages_range > ';

/** Invalidation k's write of a dirty folio (see above). */
export const writeOfDirty = (x: string, k: number): string[] => [
  `folio_lock(${x})#${2 * k + 1}`, ...[1, 2, 3].map((i) => `folio_unlock(${x})#${4 * k + i}`), `folio_wait_writeback(${x})#${3 * k + 1}`, `folio_wait_writeback(${x})#${3 * k + 2}`,
  ...[`folio_mkclean(${x})`, `folio_clear_dirty_for_io(${x})`, `__bch2_writepage: no dirty sectors, nothing written`, `folio_start_writeback(${x}): submit`, `folio_end_writeback(${x})`].map((l) => `${l}#${k + 1}`),
].map((l) => INVALIDATE + l);

/** Invalidation k itself, and its write of a dirty folio. */
export const invalidation = (x: string, k: number): string[] => [
  ...[`writeback_iter(${x})`, `invalidate_inode_pages2_range(${x})`, `invalidate_complete_folio2(${x})`].map((l) => `${INVALIDATE}${l}#${k + 1}`),
  `${INVALIDATE}folio_lock(${x})#${2 * k + 2}`, `${INVALIDATE}folio_unlock(${x})#${4 * k + 4}`, `${INVALIDATE}folio_wait_writeback(${x})#${3 * k + 3}`,
  ...writeOfDirty(x, k),
];
