/**
 * Writeback (mm/page-writeback.c): `write_cache_pages` over a file's folios — each folio
 * locked, skipped unless dirty, then handed to the filesystem's `->writepages` (`fs.ts`). The
 * generic one (`write_folio`) write-protects it (`folio_mkclean`), cleans it
 * (`folio_clear_dirty_for_io`) and submits it (PG_writeback set by the writer, who is then what
 * `folio_wait_writeback` waits for) or, if the filesystem was never told about the data, drops
 * it. The I/O completes in the same actor (`folio_end_writeback`).
 *
 * Schemes proposed for pinned folios hook into the pass as records, not splices:
 * `beforeMkclean` and `afterMkclean` programs run with the folio locked (a hook may skip the
 * folio: unlock it and `goto(c.next)`). Mainline has none.
 *
 * @example
 * const waitForPins: WritebackHooks = { name: 'W1', afterMkclean: (c) => [wait_for_pins(c.folio)] };
 * sys.task('writeback', (self) => [write_cache_pages(current(self), A, { sync: 'none', hooks: [waitForPins] })]);
 */
import { goto, ifElse, label, step, type Program } from '../model/program.ts';
import { NONE } from '../model/domain.ts';
import { folio_lock, folio_unlock, folio_wait_writeback, trace, type Folio } from './folio.ts';
import { bits } from './bits.ts';
import { folio_end_writeback, folio_start_writeback } from './fs.ts';
import { folio_mkclean } from './mm.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';

export type SyncMode = 'none' | 'all';

/** What a hook sees: the folio being written, locked by `cur`, and the label that ends its turn. */
export interface PassCtx {
  readonly cur: Current;
  readonly file: Inode;
  readonly folio: Folio;
  readonly sync: SyncMode;
  /** `goto(next)` (with the folio unlocked) leaves the folio for the next one. */
  readonly next: string;
}

/** What `->writepages` sees of one folio: the pass's, the hooks to run around `folio_mkclean`, and whether checksummed I/O bounces. */
export interface WritepageCtx extends PassCtx {
  readonly hooks: readonly WritebackHooks[];
  readonly bounce: boolean;
}

export interface WritebackHooks {
  readonly name: string;
  readonly beforeMkclean?: (c: PassCtx) => Program;
  readonly afterMkclean?: (c: PassCtx) => Program;
}

export interface PassOptions {
  /** WB_SYNC_NONE (background writeback skips folios under writeback) or WB_SYNC_ALL (fsync waits for them). */
  readonly sync: SyncMode;
  readonly hooks?: readonly WritebackHooks[];
  /** Folios of the file to visit (default: all). */
  readonly folios?: readonly Folio[];
}

/** `folio_clear_dirty_for_io()`'s test-and-clear of PG_dirty (after `folio_mkclean`). */
export const folio_clear_dirty_for_io = (f: Folio): Program =>
  step(`folio_clear_dirty_for_io(${f.name})`, { fn: 'mm/page-writeback.c: folio_clear_dirty_for_io', then: (s) => s.set(f.dirty, false) });

/** The hooks of the pass at one point (`beforeMkclean` or `afterMkclean`). */
const each = (c: WritepageCtx, h: 'beforeMkclean' | 'afterMkclean'): Program => c.hooks.map((x) => x[h]?.(c) ?? []);

/**
 * The generic write of one locked dirty folio (`->writepages` default; the kernel's
 * `writeback_iter` → `folio_clear_dirty_for_io` → `->writepage`/`__mpage_writepage`): hooks,
 * `folio_mkclean`, hooks, `folio_clear_dirty_for_io`, then the filesystem submits it — or drops
 * it when it was never told of the data (`fs.discards`) — and the folio is unlocked.
 */
export const write_folio = (c: WritepageCtx): Program => {
  const { cur, file, folio: f, next } = c, fs = file.fs;
  return [
    each(c, 'beforeMkclean'),
    folio_mkclean(file, f),
    each(c, 'afterMkclean'),
    folio_clear_dirty_for_io(f),
    fs.discard === null ? [] : ifElse((s) => fs.discards(s, f), [
      step(fs.discard.label, { fn: fs.discard.fn, then: (s) => trace(f, 'writeback_discard', s, cur.id) }),
      folio_unlock(f, cur), goto(next),
    ]),
    folio_start_writeback(fs, f, cur, c.bounce),
    folio_unlock(f, cur),
    folio_end_writeback(f, cur),
  ];
};

/** One pass of `write_cache_pages` over the file (or some of its folios), each dirty folio handed to `file.fs.writepages`. */
export function write_cache_pages(cur: Current, file: Inode, opts: PassOptions): Program {
  const fs = file.fs, bounce = fs.bouncesChecksums && file.stableWrites;
  // the batch of folios tagged dirty is looked up once (filemap_get_folios_tag), then each is locked and checked again
  return [step(`writeback_iter(${file.name})`, { fn: 'mm/page-writeback.c: writeback_iter' }), (opts.folios ?? file.folios).map((f) => {
    const next = cur.label(`next(${f.name})`);
    const c: WritepageCtx = { cur, file, folio: f, sync: opts.sync, next, hooks: opts.hooks ?? [], bounce };
    return ifElse((s) => s.test(f.dirty) && s.test(f.cached), [
      folio_lock(f, cur),
      ifElse((s) => !s.test(f.dirty) || !s.test(f.cached) || (opts.sync === 'none' && s.get(f.writeback) !== NONE), [folio_unlock(f, cur), goto(next)]),
      opts.sync === 'all' ? folio_wait_writeback(f) : [],
      fs.writepages(c),
      label(next),
    ]);
  })];
}

/** `filemap_write_and_wait_range()` (mm/filemap.c): WB_SYNC_ALL writeback of the folios, then waiting for their I/O. */
export const filemap_write_and_wait_range = (cur: Current, file: Inode, folios: readonly Folio[] = file.folios): Program =>
  [write_cache_pages(cur, file, { sync: 'all', folios }), folios.map((f) => ifElse((s) => s.get(f.writeback) !== NONE, [folio_wait_writeback(f)]))];

/**
 * Wait until nobody holds a FOLL_PIN on the folio (`folio_maybe_dma_pinned` false) — the
 * "wait for unpinning" proposal (https://lore.kernel.org/all/20180103100430.GE4911@quack2.suse.cz/);
 * the pin holders are whom it waits for.
 */
export const wait_for_pins = (f: Folio, where: string): Program =>
  step(`wait for pins ${where}`, {
    fn: 'proposed: writeback waits for unpinning',
    when: (s) => s.get(f.pins) === 0,
    blocksOn: { name: `pins of ${f.name}`, lockClass: 'FOLL_PIN', waitsFor: (s) => bits(s.get(f.pins)) },
  });
