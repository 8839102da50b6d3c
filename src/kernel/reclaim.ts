/**
 * Reclaim of one file folio (mm/vmscan.c: shrink_folio_list): the folio locked, unmapped
 * (`try_to_unmap`); a folio that is dirty, under writeback, or — with the fix "mm: do not
 * reclaim private data from pinned page" — maybe DMA-pinned is kept; otherwise its private data
 * is released (`filemap_release_folio`: ext4 buffers freed) and `__remove_mapping` removes it,
 * which fails while anyone holds an extra reference (a GUP pin or reference).
 *
 * @example
 * sys.task('kswapd', (self) => shrink_folio_list(current(self), A, A.folios[0]!, { skipPinned: true }))
 */
import { call, ifElse, ret, step, type Program } from '../model/program.ts';
import { folio_gup_referenced, folio_lock, folio_maybe_dma_pinned, folio_unlock, PRIVATE, type Folio } from './folio.ts';
import { zap } from './mm.ts';
import { filemap_remove_folio } from './truncate.ts';
import { NONE } from '../model/domain.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';

export const shrink_folio_list = (cur: Current, file: Inode, f: Folio, opts: { readonly skipPinned: boolean }): Program => call('shrink_folio_list', [
  folio_lock(f, cur),
  step(`try_to_unmap(${f.name})`, { fn: 'mm/rmap.c: try_to_unmap', then: (s) => zap(s, file, f.index, f.index) }),
  ifElse((s) => (opts.skipPinned && folio_maybe_dma_pinned(s, f)) || s.test(f.dirty) || s.get(f.writeback) !== NONE || !s.test(f.cached), [folio_unlock(f, cur), ret()]),
  step(`filemap_release_folio(${f.name})`, { fn: 'mm/vmscan.c: shrink_folio_list', then: (s) => s.set(f.private, PRIVATE.none) }),
  step(`__remove_mapping(${f.name})`, {
    fn: 'mm/vmscan.c: __remove_mapping',
    then: (s) => (folio_gup_referenced(s, f) ? s : filemap_remove_folio(s, file, f, cur.id)),
  }),
  folio_unlock(f, cur),
]);
