/**
 * Reclaim of one file folio (mm/vmscan.c: shrink_folio_list), in the kernel's order:
 *
 * 1. `folio_trylock`: a folio someone else has locked is skipped (`goto keep`); reclaim never
 *    sleeps on a folio lock.
 * 2. Under writeback: kswapd and cgroup-v2 reclaim mark it `PG_reclaim` and keep it (cases 1
 *    and 2 of the comment there); only legacy memcg reclaim (`!writeback_throttling_sane`) of a
 *    folio already marked `PG_reclaim`, allowed to enter the filesystem, unlocks it, waits for
 *    the writeback (`folio_wait_writeback`) and tries the same folio again (case 3).
 * 3. `try_to_unmap`; a dirty folio — or, with the fix "mm: do not reclaim private data from
 *    pinned page", a maybe DMA-pinned one — is kept (`activate_locked`).
 * 4. `filemap_release_folio` (the file's filesystem's `->release_folio`, by default `try_to_free_buffers`) can
 *    fail: dirty or locked buffers, writeback; the folio is then kept.
 * 5. `__remove_mapping` removes it, which fails while anyone holds an extra reference (a GUP
 *    pin or reference).
 *
 * @example
 * sys.task('kswapd', (self) => shrink_folio_list(current(self), A, A.folios[0]!, { skipPinned: true }))
 */
import { bool, NONE } from '../model/domain.ts';
import { call, goto, ifElse, label, ret, step, type Program } from '../model/program.ts';
import { folio_gup_referenced, folio_maybe_dma_pinned, folio_trylock, folio_unlock, folio_wait_writeback, type Folio } from './folio.ts';
import { filemap_release_folio } from './release-folio.ts';
import { zap } from './mm.ts';
import { filemap_remove_folio } from './truncate.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';

export interface ShrinkOptions {
  /** The fix "mm: do not reclaim private data from pinned page": a maybe DMA-pinned folio is kept. */
  readonly skipPinned: boolean;
  /**
   * What a folio under writeback gets: `keep` (kswapd, cgroup-v2 and global direct reclaim:
   * `PG_reclaim` set, kept) or `wait` (legacy memcg reclaim of a folio already marked
   * `PG_reclaim`, with `__GFP_FS`: unlock, `folio_wait_writeback`, try again). Default `keep`.
   */
  readonly writeback?: 'keep' | 'wait';
}

export const shrink_folio_list = (cur: Current, file: Inode, f: Folio, opts: ShrinkOptions): Program => {
  const locked = cur.local('reclaim_locked', bool()), released = cur.local('released', bool()), again = cur.label('reclaim_again');
  return call('shrink_folio_list', [
    label(again),
    folio_trylock(f, cur, locked),
    ifElse((s) => !s.test(locked), [ret()]),
    ifElse((s) => !s.test(f.cached), [folio_unlock(f, cur), ret()]),
    ifElse((s) => s.get(f.writeback) !== NONE, opts.writeback === 'wait'
      ? [folio_unlock(f, cur), folio_wait_writeback(f), goto(again)]
      : [folio_unlock(f, cur), ret()]),   // folio_set_reclaim; activate_locked
    step(`try_to_unmap(${f.name})`, { fn: 'mm/rmap.c: try_to_unmap', then: (s) => zap(s, file, f.index, f.index) }),
    ifElse((s) => (opts.skipPinned && folio_maybe_dma_pinned(s, f)) || s.test(f.dirty), [folio_unlock(f, cur), ret()]),
    filemap_release_folio(f, cur, released, file.fs.release_folio),
    ifElse((s) => !s.test(released), [folio_unlock(f, cur), ret()]),
    step(`__remove_mapping(${f.name})`, {
      fn: 'mm/vmscan.c: __remove_mapping',
      then: (s) => (folio_gup_referenced(s, f) ? s : filemap_remove_folio(s, file, f, cur.id)),
    }),
    folio_unlock(f, cur),
  ]);
};
