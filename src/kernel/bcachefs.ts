/**
 * bcachefs's page-cache coherency scheme for direct I/O (fs/bcachefs/fs-io-pagecache.c,
 * fs/bcachefs/fs-io-direct.c, fs/bcachefs/fs-io.h): DIO holds the *block* side of the file's
 * `ei_pagecache_lock` (two_state_lock.ts) while page-cache adders — faults, buffered I/O — take
 * the *add* side. A DIO whose user buffer is a mapping of a file would then fault on itself, so
 * `current->faults_disabled_mapping` (fdm) tells the fault handler which mapping the task's DIO
 * blocks:
 *
 * - `bch2_page_fault`: on the fdm mapping itself, SIGBUS (the DIO gets -EFAULT); on a mapping
 *   ordered *below* fdm, out of lock order, `add_tryget` — and if that fails, drop fdm's block
 *   lock, wait for the add lock and let it go, retake the block lock, set "dropped locks" and
 *   SIGBUS, so the DIO re-invalidates and retries (Kent Overstreet's answer to the AB-BA);
 *   otherwise a blocking `add_get`, then `filemap_fault`.
 * - Variants for the history of that handler: `nofdm` (the handler before the fdm checks: a
 *   blocking add_get always), `naive_fdm` (only the same-mapping SIGBUS), `kent` (the real one).
 *
 * The filesystem record `bcachefs` (fs.ts): `bch2_page_mkwrite` (fs/bcachefs/fs-io-pagecache.c)
 * takes the add side around `block_page_mkwrite`'s work; `__bch2_writepage`
 * (fs/bcachefs/fs-io-buffered.c) writes only sectors in `SECTOR_dirty`, so a folio dirtied
 * without them writes nothing; checksummed writes bounce (`bch2_write_extent`,
 * fs/bcachefs/io_write.c); `->fault` stays `filemap_fault` unless a model passes
 * `bch2_page_fault` (its variants need the files a fault may hit).
 *
 * @example
 * const fault = bch2_page_fault([A, B], 'kent');
 * sys.task('dio0', (self) => bch2_direct_write(current(self), A, { vma: buf, folio: B.folios[0]! }, { fault, files: [A, B] }));
 */
import { bool, enumOf, int } from '../model/domain.ts';
import { call, goto, ifElse, label, ret, step, type Program } from '../model/program.ts';
import { bch2_pagecache_add_get, bch2_pagecache_add_put, bch2_pagecache_add_tryget, bch2_pagecache_block_get, bch2_pagecache_block_put, type TwoStateLock } from './two-state-lock.ts';
import { block_page_mkwrite, filemap_fault, type FaultHandler } from './fault.ts';
import { filesystem, block_write_begin, block_write_end, type Filesystem } from './fs.ts';
import { PRIVATE } from './folio.ts';
import { foll, get_user_pages, unpin_user_page, EFAULT } from './gup.ts';
import { has, type Folio } from './folio.ts';
import { inode_dio_begin, inode_dio_end, inode_lock, inode_unlock, type Inode } from './inode.ts';
import { EBUSY, invalidate_inode_pages2_range } from './truncate.ts';
import { filemap_write_and_wait_range } from './writeback.ts';
import { submit_bio } from './dio.ts';
import { VM_FAULT_SIGBUS, type Current } from './current.ts';
import type { Vma } from './mm.ts';
import type { Var } from '../model/vars.ts';

export type FdmVariant = 'nofdm' | 'naive_fdm' | 'kent';

const pagecacheOf = (f: Inode): TwoStateLock => {
  if (f.pagecache === undefined) throw new Error(`Assertion failed: ${f.name} is not a bcachefs file`);
  return f.pagecache;
};

/** `current->faults_disabled_mapping` over `files` (0 = NULL, i + 1 = files[i]), and its "dropped locks" bit. */
export const fdmOf = (cur: Current, files: readonly Inode[]): { fdm: Var; dropped: Var } => ({
  fdm: cur.local('faults_disabled_mapping', enumOf('NULL', ...files.map((f) => f.name)), 0),
  dropped: cur.local('fdm_dropped_locks', bool()),
});

/** `bch2_page_fault` (in the chosen variant) as `vm_ops->fault`, for mappings of `files`. */
export const bch2_page_fault = (files: readonly Inode[], variant: FdmVariant): FaultHandler => (cur, vma, f) => {
  const mapping = vma.file, pc = pagecacheOf(mapping), { fdm, dropped } = fdmOf(cur, files);
  const me = files.indexOf(mapping) + 1, gotLock = cur.label(`got_lock(${mapping.name})`);
  const got = cur.local('got', int(0, 1));
  const body: Program[] = [];
  if (variant !== 'nofdm') body.push(ifElse((s) => s.get(fdm) === me, [ret(VM_FAULT_SIGBUS)]));
  if (variant === 'kent')
    for (const [i, held] of files.entries()) {
      if (held.addr <= mapping.addr) continue;
      // fdm's address is above the faulting mapping's: taking the add lock would be out of order
      body.push(ifElse((s) => s.get(fdm) === i + 1, [
        bch2_pagecache_add_tryget(pc, cur, got),
        ifElse((s) => s.get(got) === 1, [goto(gotLock)]),
        bch2_pagecache_block_put(pagecacheOf(held), cur),
        bch2_pagecache_add_get(pc, cur),
        bch2_pagecache_add_put(pc, cur),
        bch2_pagecache_block_get(pagecacheOf(held), cur),
        step('set_fdm_dropped_locks()', { fn: 'fs/bcachefs/fs-io.h: set_fdm_dropped_locks', then: (s) => s.set(dropped, true) }),
        ret(VM_FAULT_SIGBUS),
      ]));
    }
  // ret = filemap_fault(vmf); bch2_pagecache_add_put(inode); return ret; — the add lock is held while
  // filemap_fault waits for the folio (it releases only the fault lock) and dropped on VM_FAULT_RETRY too
  body.push(bch2_pagecache_add_get(pc, cur), label(gotLock), filemap_fault(cur, vma, f), bch2_pagecache_add_put(pc, cur), ret());
  return call('bch2_page_fault', body, { result: cur.vmret });
};

/**
 * `bch2_write_invalidate_inode_pages_range`: write back and invalidate until invalidation
 * stops returning -EBUSY ("we can spin if a process is continually redirtying a specific page").
 */
export function bch2_write_invalidate_inode_pages_range(cur: Current, file: Inode, range: readonly Folio[] = file.folios): Program {
  const again = cur.label(`invalidate_again(${file.name})`), result = cur.local('invalidate_ret', int(EBUSY, 0));
  return call('bch2_write_invalidate_inode_pages_range', [
    label(again),
    ifElse((s) => range.some((f) => s.test(f.cached)), [
      filemap_write_and_wait_range(cur, file, range),
      invalidate_inode_pages2_range(cur, file, range),
      ifElse((s) => s.get(result) === EBUSY, [goto(again)]),
    ]),
  ]);
}

export interface Bch2DioOptions {
  readonly fault?: FaultHandler;
  /** Every file a fault may hit (for fdm), in address order. */
  readonly files: readonly Inode[];
  readonly range?: readonly Folio[];
}

/**
 * `bch2_direct_write` → `bch2_dio_write_loop` → `bch2_dio_write_done`: the block lock taken under
 * `inode_lock` (dropped early for a non-extending write), the range invalidated, then — with
 * fdm set to the file — the buffer pinned; a fault that dropped locks makes the loop
 * re-invalidate and try again; `op.error` (-EFAULT from a SIGBUS) ends the write.
 */
export function bch2_direct_write(cur: Current, file: Inode, buf: { readonly vma: Vma; readonly folio: Folio } | undefined, opts: Bch2DioOptions): Program {
  const pc = pagecacheOf(file), { fdm, dropped } = fdmOf(cur, opts.files), me = opts.files.indexOf(file) + 1;
  const wasDropped = cur.local('dropped', bool()), err = cur.local('gup_ret', int(EFAULT, 0));
  const again = cur.label('again'), done = cur.label('done'), fn = 'fs/bcachefs/fs-io-direct.c: bch2_dio_write_loop';
  const range = opts.range ?? file.folios, READ_PIN = foll('pin');
  const pinned = (s: Parameters<typeof has>[0]): boolean => buf === undefined || has(s, buf.folio.pins, cur) || has(s, buf.folio.orphans, cur);
  return call('bch2_direct_write', [
    ...inode_lock(file, cur),
    inode_dio_begin(file, cur),
    bch2_pagecache_block_get(pc, cur),
    inode_unlock(file, cur),
    bch2_write_invalidate_inode_pages_range(cur, file, range),
    label(again),
    step(`current->faults_disabled_mapping = ${file.name}`, { fn, then: (s) => s.set(fdm, me) }),
    buf ? get_user_pages(cur, buf.vma, buf.folio, READ_PIN, { path: 'fast', fault: opts.fault, frame: 'bio_iov_iter_get_pages' })
      : step('bio_iov_iter_get_pages: anonymous buffer', { fn: 'block/bio.c: bio_iov_iter_get_pages' }),
    step('dropped = fdm_dropped_locks(); fdm = NULL', {
      fn,
      then: (s) => {
        const d = s.test(dropped), t = s.set(wasDropped, d).set(fdm, 0).set(dropped, false);
        return d && s.get(err) !== 0 ? t.set(err, 0) : t;
      },
    }),
    ifElse((s) => s.get(err) < 0, [goto(done)]),
    ifElse((s) => s.test(wasDropped), [bch2_write_invalidate_inode_pages_range(cur, file, range), ifElse((s) => !pinned(s), [goto(again)])]),
    ifElse(pinned, [submit_bio(file, range, cur, cur.local('dio_written', bool())), buf ? unpin_user_page(buf.folio, cur, READ_PIN) : []]),
    label(done),
    bch2_pagecache_block_put(pc, cur),
    inode_dio_end(file, cur),
  ]);
}

/** What bcachefs holds around buffered I/O and faulting the user buffer in: the add side (`bch2_buffered_write`). */
export const bch2_buffered_write_locked = (cur: Current, file: Inode, body: Program): Program =>
  [bch2_pagecache_add_get(pagecacheOf(file), cur), body, bch2_pagecache_add_put(pagecacheOf(file), cur)];

/** What bcachefs truncation and fallocate hold around changing the page cache: the block side. */
export const bch2_pagecache_block = (cur: Current, file: Inode, body: Program): Program =>
  [bch2_pagecache_block_get(pagecacheOf(file), cur), body, bch2_pagecache_block_put(pagecacheOf(file), cur)];

const MKWRITE = 'fs/bcachefs/fs-io-pagecache.c: bch2_page_mkwrite', BUFFERED = 'fs/bcachefs/fs-io-buffered.c: __bch2_buffered_write';

/** bcachefs, with each file's `ei_pagecache_lock` (declared by `file()` for a bcachefs file). */
export const bcachefs: Filesystem = filesystem('bcachefs', {
  page_mkwrite: (cur, vma, f, out) => {
    const pc = pagecacheOf(vma.file);
    return [
      bch2_pagecache_add_get(pc, cur),
      block_page_mkwrite(cur, vma, f, out, { label: 'bch2_page_mkwrite', fn: MKWRITE, unwind: bch2_pagecache_add_put(pc, cur) }),
      bch2_pagecache_add_put(pc, cur),
    ];
  },
  // __bch2_buffered_write: bch2_folio_create and the reservation before the copy, bch2_set_folio_dirty
  // of the copied sectors after it
  write_begin: (_cur, _file, f) => block_write_begin(f, `bcachefs_write_begin(${f.name})`, BUFFERED),
  write_end: (_cur, _file, f, copied) => block_write_end(f, copied, BUFFERED),
  discards: (s, f) => s.get(f.private) !== PRIVATE.dirty,
  discard: { label: '__bch2_writepage: no dirty sectors, nothing written', fn: 'fs/bcachefs/fs-io-buffered.c: __bch2_writepage' },
  submit: { fn: 'fs/bcachefs/io_write.c: bch2_write_extent' },
  bouncesChecksums: true,
  freeBlocks: { fn: 'fs/bcachefs/io_misc.c: bch2_fpunch' },
});
