/**
 * Taking folios out of the page cache (mm/truncate.c, mm/filemap.c), as the kernel does it:
 * neither truncation nor invalidation waits for GUP references. A folio removed while someone
 * holds a pin or a reference becomes an **orphan** for them: the memory lives on and their
 * writes land there, in memory no file owns any more.
 *
 * - `truncate_pagecache_range` (punch hole, truncate): unmap the range, then each folio locked,
 *   its writeback waited out, unmapped again if a fault mapped it meanwhile, its private data
 *   invalidated, its dirty bit cancelled and the folio removed — dirty data included: the range
 *   is going away.
 * - `invalidate_inode_pages2_range` (around direct I/O): the same walk, but a dirty folio, or one
 *   whose private data cannot be released (`filemap_release_folio`: ext4 buffers still dirty),
 *   stays, and the call returns -EBUSY; the refcount is ignored (`invalidate_complete_folio2`).
 *
 * @example
 * [...inode_lock(A, t), inode_dio_wait(A), ...filemap_invalidate_lock(A, t),
 *  truncate_pagecache_range(cur, A), filemap_invalidate_unlock(A, t), inode_unlock(A, t)]
 */
import { int, NONE } from '../model/domain.ts';
import { ifElse, step, type Program } from '../model/program.ts';
import { folio_lock, folio_unlock, folio_wait_writeback, PRIVATE, trace, type Folio } from './folio.ts';
import { unmap_mapping_range, zap } from './mm.ts';
import { folio_detach_faults } from './fault.ts';
import { release_refused } from './release-folio.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';
import type { State } from '../model/state.ts';

export const EBUSY = -16;

/**
 * `filemap_remove_folio()` (mm/filemap.c): the folio leaves the mapping (`folio->mapping`
 * becomes NULL). Its PTEs must be gone; GUP references to it become references to an orphan —
 * the same folio, still locked by the remover (who must hold the folio lock: the kernel's
 * `BUG_ON(!folio_test_locked(folio))`) until its `folio_unlock`, and clean: truncation cancelled
 * its dirty bit, invalidation and reclaim remove only clean folios.
 */
export function filemap_remove_folio(s: State, file: Inode, f: Folio, actor: number): State {
  if (f.lock.holder(s) !== actor) throw new Error(`filemap_remove_folio(${f.name}) by actor ${actor}, which does not hold the folio lock`);
  const holders = s.get(f.pins) | s.get(f.refs), orphans = s.get(f.orphans) | holders;
  s = folio_detach_faults(zap(s, file, f.index, f.index), f)
    .set(f.orphans, orphans).set(f.pins, 0).set(f.refs, 0)
    .set(f.cached, false).set(f.uptodate, false).set(f.dirty, false).set(f.private, PRIVATE.none);
  if (f.orphanLock.holder(s) === NONE) s = f.orphanLock.setHolder(s, actor);
  return trace(f, 'removed', s, actor);
}

/** Each cached folio of `folios`, locked with its writeback waited out, then `body`, then unlocked. */
const eachLocked = (cur: Current, folios: readonly Folio[], body: (f: Folio) => Program): Program =>
  folios.map((f) => ifElse((s) => s.test(f.cached), [
    folio_lock(f, cur),
    ifElse((s) => s.test(f.cached), [folio_wait_writeback(f), body(f)]),
    folio_unlock(f, cur),
  ]));

/** `truncate_inode_pages_range()`: every folio of the range removed, dirty or not, referenced or not. */
export const truncate_inode_pages_range = (cur: Current, file: Inode, folios: readonly Folio[] = file.folios): Program =>
  eachLocked(cur, folios, (f) => step(`truncate_inode_folio(${f.name})`, {
    fn: 'mm/truncate.c: truncate_inode_folio',
    then: (s) => filemap_remove_folio(s, file, f, cur.id),
  }));

/** `truncate_pagecache_range()` (mm/truncate.c): unmap the range, then truncate its folios. */
export const truncate_pagecache_range = (cur: Current, file: Inode, first = 0, last = file.folios.length - 1): Program =>
  [unmap_mapping_range(file, first, last), truncate_inode_pages_range(cur, file, file.folios.slice(first, last + 1))];

/** The filesystem frees the blocks behind `folios` (a punched range is a hole afterwards). */
export const free_blocks = (cur: Current, file: Inode, folios: readonly Folio[] = file.folios): Program =>
  step(`free blocks of ${file.name}`, { fn: file.fs.freeBlocks.fn, then: (s) => folios.reduce((t: State, f) => trace(f, 'blocks_freed', t, cur.id), s) });

/**
 * `invalidate_inode_pages2_range()` (mm/truncate.c): the range's folios unmapped and removed
 * whatever their refcount; a dirty one, or one whose private data stays, is left and the
 * result (`cur.local('invalidate_ret')`) is -EBUSY.
 */
export function invalidate_inode_pages2_range(cur: Current, file: Inode, folios: readonly Folio[] = file.folios): Program {
  const result = cur.local('invalidate_ret', int(EBUSY, 0));
  return [
    step(`invalidate_inode_pages2_range(${file.name})`, { fn: 'mm/truncate.c: invalidate_inode_pages2_range', then: (s) => s.set(result, 0) }),
    eachLocked(cur, folios, (f) => step(`invalidate_complete_folio2(${f.name})`, {
      fn: 'mm/truncate.c: invalidate_complete_folio2',
      then: (s) => {
        // filemap_release_folio() (the filesystem's ->release_folio), then the folio's own dirty bit
        const busy = release_refused(s, f, file.fs.release_folio) || s.test(f.dirty), unmapped = zap(s, file, f.index, f.index);
        return busy ? unmapped.set(result, EBUSY) : filemap_remove_folio(unmapped, file, f, cur.id);
      },
    })),
  ];
}
