/**
 * A direct write (fs/iomap/direct-io.c: __iomap_dio_rw, iomap_dio_complete) of a file range from
 * a user buffer that may be a shared mapping of a file: `kiocb_invalidate_pages` (the range
 * written back and invalidated: -EBUSY makes the filesystem fall back to buffered I/O),
 * `inode_dio_begin`, the buffer pinned for read (`bio_iov_iter_get_pages`: GUP, which faults
 * the buffer in), the bio submitted and completed (the device reads the pinned page; the block
 * on disk is replaced; `cur.local('dio_written')` records it), the pages released, `kiocb_invalidate_post_direct_write` (a failure is
 * `dio_warn_stale_pagecache`: "Possible data corruption due to collision with buffered I/O"),
 * `inode_dio_end`.
 *
 * The caller holds the inode lock the filesystem takes (`inode_lock_shared` for ext4's
 * overwrites); `hold` is what a scheme holds around the whole of it besides (an
 * `invalidate_lock` in the "hold it across GUP" variants), from before the invalidation.
 *
 * @example
 * [inode_lock_shared(A, t), iomap_dio_write(cur, A, { vma: buf, folio: B.folios[0]! }), inode_unlock_shared(A, t)]
 */
import { bool, int } from '../model/domain.ts';
import { call, goto, ifElse, label, step, type Program } from '../model/program.ts';
import { has, trace, type Folio } from './folio.ts';
import { foll, get_user_pages, unpin_user_page, type GupOptions } from './gup.ts';
import { inode_dio_begin, inode_dio_end, type Inode } from './inode.ts';
import { EBUSY, invalidate_inode_pages2_range } from './truncate.ts';
import { filemap_write_and_wait_range } from './writeback.ts';
import type { Current } from './current.ts';
import type { Vma } from './mm.ts';
import type { State } from '../model/state.ts';
import type { Var } from '../model/vars.ts';

export interface DioOptions extends GupOptions {
  /** The folios of the file the write covers (default: all of them). */
  readonly range?: readonly Folio[];
  /** What the scheme holds across the I/O, inside `inode_dio_begin` / `inode_dio_end`. */
  readonly hold?: { readonly take: Program; readonly drop: Program };
}

/** The pinned buffer page, as the device reads it: `bio_release_pages` after completion. */
const READ_PIN = foll('pin');

/** `submit_bio()` and its completion: the device copies the buffer to the blocks behind `range`. */
export const submit_bio = (file: Inode, range: readonly Folio[], cur: Current, written: Var): Program =>
  step(`submit_bio(${file.name})`, {
    fn: 'block/blk-core.c: submit_bio',
    then: (s) => range.reduce((t: State, f) => trace(f, 'disk_write', t, cur.id), s.set(written, true)),
  });

/**
 * A direct write of `range` of `file` from a user buffer: `buf` (a shared mapping, whose page
 * `bufFolio` is pinned for read), or `undefined` for anonymous memory (always present: the pin
 * is one step and cannot fail).
 */
export function iomap_dio_write(cur: Current, file: Inode, buf: { readonly vma: Vma; readonly folio: Folio } | undefined, opts: DioOptions = {}): Program {
  const range = opts.range ?? file.folios, out = cur.label('dio_out'), written = cur.local('dio_written', bool());
  const result = (s: State): number => s.get(cur.local('invalidate_ret', int(EBUSY, 0)));
  return call('iomap_dio_rw', [
    opts.hold?.take ?? [],
    call('kiocb_invalidate_pages', [filemap_write_and_wait_range(cur, file, range), invalidate_inode_pages2_range(cur, file, range)]),
    ifElse((s) => result(s) === EBUSY, [step('-ENOTBLK: fall back to buffered I/O', { fn: 'fs/iomap/direct-io.c: __iomap_dio_rw' }), goto(out)]),
    inode_dio_begin(file, cur),
    buf ? get_user_pages(cur, buf.vma, buf.folio, READ_PIN, { path: 'fast', ...opts, frame: opts.frame ?? 'bio_iov_iter_get_pages' })
      : step('bio_iov_iter_get_pages: anonymous buffer', { fn: 'block/bio.c: bio_iov_iter_get_pages' }),
    ifElse((s) => buf === undefined || has(s, buf.folio.pins, cur) || has(s, buf.folio.orphans, cur), [
      submit_bio(file, range, cur, written),
      buf ? unpin_user_page(buf.folio, cur, READ_PIN) : [],
      call('kiocb_invalidate_post_direct_write', [
        invalidate_inode_pages2_range(cur, file, range),
        ifElse((s) => result(s) === EBUSY, [step(`dio_warn_stale_pagecache(${file.name})`, {
          fn: 'mm/filemap.c: dio_warn_stale_pagecache',
          then: (s) => range.reduce((t: State, f) => trace(f, 'stale_after_dio', t, cur.id), s),
        })]),
      ]),
    ]),
    inode_dio_end(file, cur),
    label(out),
    opts.hold?.drop ?? [],
  ]);
}
