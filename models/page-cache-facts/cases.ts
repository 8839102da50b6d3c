/**
 * The known-answer cases, one named record each: the actors they declare and the properties
 * whose verdicts are the kernel's (see index.ts for the source each one follows).
 */
import { always, bool, never, NONE, sometimes, step, type Property, type System } from '../../src/index.ts';
import {
  complete, completion, current, file, folio_end_writeback, folio_start_writeback, pteOf, PTE, folio_lock, folio_unlock, generic_perform_write, lock_held_page,
  mark_held_page_dirty, mm_struct, mmap, onTrace, pin_user_pages, shrink_folio_list, truncate_pagecache_range, unlock_held_page,
  unpin_user_page, foll, wait_for_completion, zap,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => readonly Property[];

/**
 * mm/truncate.c: truncate_inode_pages_range locks each folio, `truncate_inode_folio` removes it
 * (`filemap_remove_folio`: `folio->mapping = NULL`) and only then `folio_unlock`s it. A GUP
 * holder's `folio_lock` of the page it holds is a lock of that same folio.
 */
const orphanLock: Case = (sys) => {
  const A = file(sys, 'A'), vma = mmap(sys, mm_struct(sys), A, { name: 'vma', pte: 'rw' }), f = A.folios[0]!;
  const inside = sys.var('holder.in_folio_lock', bool()), pin = foll('pin+write');
  const holder = sys.task('holder', (self) => {
    const cur = current(self);
    return [
      pin_user_pages(cur, vma, f, 'write'),
      lock_held_page(f, cur), step('holder: locked', { then: (s) => s.set(inside, true) }),
      mark_held_page_dirty(f, cur, `folio_mark_dirty(${f.name})`, 'mm/gup.c: unpin_user_pages_dirty_lock'),
      step('holder: unlocking', { then: (s) => s.set(inside, false) }), unlock_held_page(f, cur),
      unpin_user_page(f, cur, pin),
    ];
  });
  const truncator = sys.task('truncate', (self) => truncate_pagecache_range(current(self), A));
  return [
    never('the holder and the truncating task hold the folio lock at once', (s) => s.test(inside) && f.lock.holder(s) === truncator.id),
    sometimes('the holder locks the page truncation removed', (s) => s.test(inside) && !s.test(f.cached) && s.get(f.orphans) === 1 << holder.id),
  ];
};

/**
 * mm/filemap.c: generic_perform_write: `->write_begin`, `copy_folio_from_iter_atomic`,
 * `->write_end(…, copied, …)`; fs/buffer.c: block_write_end commits only the copied range
 * (`__block_commit_write` → `mark_buffer_dirty`), "This could be a short (even 0-length)
 * commit"; a 0-byte commit makes generic_perform_write fault the source in and retry.
 */
const writeShortCopy: Case = (sys) => {
  const A = file(sys, 'A'), B = file(sys, 'B'), mm = mm_struct(sys), src = mmap(sys, mm, B, { name: 'src', pte: 'ro' });
  const f = A.folios[0]!, copiedAny = sys.var('A.copied_into', bool());
  onTrace(f, 'write', (s) => s.set(copiedAny, true));
  const writer = sys.task('write', (self) => generic_perform_write(current(self), f, A, src, B.folios[0]!));
  // madvise(MADV_DONTNEED) of the source range between the prefault and the copy
  // (mm/madvise.c: madvise_dontneed_single_vma → zap_page_range_single): the PTE goes, the VMA
  // stays, so the retry faults the source in again (after a munmap the fault-in would fail and
  // generic_perform_write return -EFAULT)
  sys.task('madvise', () => [step('zap_page_range_single(src)', { fn: 'mm/memory.c: zap_page_range_single', then: (s) => zap(s, B) })]);
  return [
    never('the folio is dirty with nothing copied into it', (s) => s.test(f.dirty) && !s.test(copiedAny)),
    sometimes('the source is unmapped while the writer holds the folio', (s) => f.lock.holder(s) === writer.id && s.get(pteOf(src, B.folios[0]!)) === PTE.absent && !s.test(copiedAny)),
    sometimes('the write completes, its data copied and dirty', (s) => s.done(writer) && s.test(copiedAny) && s.test(f.dirty)),
  ];
};

/**
 * mm/vmscan.c: shrink_folio_list: `if (!folio_trylock(folio)) goto keep;` — reclaim never sleeps
 * on a folio lock. Here the lock holder waits for kswapd (as a task allocating under a folio
 * lock waits for reclaim to make progress).
 */
const reclaimLocked: Case = (sys) => {
  const A = file(sys, 'A'), f = A.folios[0]!, progress = completion(sys, 'kswapd progress');
  const holder = sys.task('holder', (self) => [folio_lock(f, self), wait_for_completion(progress), folio_unlock(f, self)]);
  const kswapd = sys.task('kswapd', (self) => [shrink_folio_list(current(self), A, f, { skipPinned: true }), complete(progress, self)]);
  return [sometimes('kswapd skips the folio the holder has locked', (s) => s.done(kswapd) && s.test(f.cached) && f.lock.holder(s) === holder.id)];
};

/**
 * mm/vmscan.c: shrink_folio_list, a folio under writeback, case 3: legacy memcg reclaim
 * (`!writeback_throttling_sane(sc)`) of a folio already marked `PG_reclaim`, with `__GFP_FS`:
 * `folio_unlock(folio); folio_wait_writeback(folio);` and the same folio is tried again; clean,
 * with clean buffers, `filemap_release_folio` succeeds and `__remove_mapping` frees it.
 */
const reclaimWriteback: Case = (sys) => {
  const A = file(sys, 'A'), f = A.folios[0]!;
  const flusher = sys.task('flusher', (self) => [
    folio_lock(f, self), folio_start_writeback(A.fs, f, self, false),
    folio_unlock(f, self), folio_end_writeback(f, self),
  ]);
  const saw = sys.var('memcg_reclaim.saw_writeback', bool());
  const memcg = sys.task('memcg_reclaim', (self) => [
    step('isolate A from the LRU', { fn: 'mm/vmscan.c: isolate_lru_folios', when: (s) => (s.get(f.writeback) !== NONE && f.lock.holder(s) === NONE) || s.done(flusher), then: (s) => s.set(saw, s.get(f.writeback) !== NONE) }),
    shrink_folio_list(current(self), A, f, { skipPinned: true, writeback: 'wait' }),
  ]);
  return [
    always('a folio found under writeback is freed once the writeback is done', (s) => !s.done(memcg) || !s.test(saw) || !s.test(f.cached)),
    sometimes('reclaim meets the folio under writeback', (s) => s.test(saw)),
  ];
};

export const cases: Record<Params['case'], Case> = {
  orphan_lock: orphanLock,
  write_short_copy: writeShortCopy,
  reclaim_locked: reclaimLocked,
  reclaim_writeback: reclaimWriteback,
};
