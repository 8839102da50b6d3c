/**
 * A buffered write of one folio from a user buffer (mm/filemap.c: generic_perform_write): the
 * source page is faulted in first (`fault_in_iov_iter_readable`), then the destination folio
 * is looked up or created and locked by `->write_begin` (which waits out stable writeback and
 * attaches the filesystem's private state — buffers, `bch_folio` — without dirtying anything),
 * the data is copied with page faults disabled (`copy_folio_from_iter_atomic`: if the source
 * was unmapped meanwhile nothing is copied), and `->write_end` dirties what was copied and
 * unlocks the folio: `block_write_end` → `__block_commit_write` → `mark_buffer_dirty` (the
 * buffers and, through it, the folio), bcachefs `bch2_set_folio_dirty` of the copied sectors.
 * A copy of 0 bytes dirties nothing ("This could be a short (even 0-length) commit",
 * fs/buffer.c: block_write_end) and goes round again (mm/filemap.c: generic_perform_write,
 * `status == 0`: fault the source in and retry).
 *
 * `->write_begin` and `->write_end` are the file's filesystem record's (`fs.ts`: ext4's
 * `ext4_da_write_begin`/`block_write_end`, bcachefs's `__bch2_buffered_write`, by default
 * `block_write_begin`/`block_write_end`).
 *
 * The caller holds what the filesystem holds around it (`inode_lock` in
 * `generic_file_write_iter`, bcachefs's pagecache add lock in `bch2_buffered_write`).
 *
 * @example
 * [...inode_lock(A, t), generic_perform_write(cur, A.folios[0]!, A, buf, B.folios[0]!), inode_unlock(A, t)]
 */
import { bool } from '../model/domain.ts';
import { call, goto, ifElse, label, step, type Program } from '../model/program.ts';
import { folio_lock, folio_unlock, folio_wait_stable, trace, type Folio } from './folio.ts';
import { filemap_add_folio, filemap_read_folio, user_fault, type FaultHandler } from './fault.ts';
import { filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared } from './inode.ts';
import { pteOf, PTE, type Vma } from './mm.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';

export function generic_perform_write(cur: Current, dst: Folio, file: Inode, src: Vma, srcFolio: Folio, opts: { readonly fault?: FaultHandler } = {}): Program {
  const copied = cur.local('copied', bool()), again = cur.label('write_retry');
  return call('generic_perform_write', [
    label(again),
    call('fault_in_iov_iter_readable', [ifElse((s) => s.get(pteOf(src, srcFolio)) === PTE.absent, [user_fault(cur, src, srcFolio, { write: false, fault: opts.fault, kernelMode: true })])]),
    filemap_add_folio(dst),
    folio_lock(dst, cur),
    ifElse((s) => !s.test(dst.cached), [folio_unlock(dst, cur), goto(again)]),   // truncated while we waited
    folio_wait_stable(dst, file.stableWrites),
    file.fs.write_begin(cur, file, dst),
    step(`copy_folio_from_iter_atomic(${dst.name})`, {
      fn: 'lib/iov_iter.c: copy_folio_from_iter_atomic',
      then: (s) => (s.get(pteOf(src, srcFolio)) === PTE.absent ? s.set(copied, false) : trace(dst, 'write', s.set(copied, true).set(dst.uptodate, true), cur.id)),
    }),
    file.fs.write_end(cur, file, dst, copied),
    folio_unlock(dst, cur),
    ifElse((s) => !s.test(copied), [goto(again)]),
  ]);
}

/**
 * A buffered read of one folio (mm/filemap.c: filemap_read → filemap_get_pages): a folio not in
 * the page cache is created under `invalidate_lock` shared (`filemap_create_folio`) and read in;
 * then the data is copied out.
 */
export function filemap_read(cur: Current, file: Inode, f: Folio): Program {
  const fn = 'mm/filemap.c: filemap_create_folio';
  return call('filemap_read', [
    ifElse((s) => !s.test(f.cached) || !s.test(f.uptodate), [
      filemap_invalidate_lock_shared(file, cur, fn),
      filemap_add_folio(f),
      folio_lock(f, cur),
      ifElse((s) => s.test(f.cached) && !s.test(f.uptodate), [filemap_read_folio(f)]),
      folio_unlock(f, cur),
      filemap_invalidate_unlock_shared(file, cur, fn),
    ]),
    step(`copy_folio_to_iter(${f.name})`, { fn: 'mm/filemap.c: filemap_read' }),
  ]);
}
