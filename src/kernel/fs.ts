/**
 * A filesystem as the page cache sees it: an open record of handlers, as `struct
 * address_space_operations` and `struct vm_operations_struct` are in the kernel. Each handler is
 * a program builder over the library's primitives; `filesystem(name, ops)` fills what a record
 * leaves out with the generic kernel helpers:
 *
 * | handler          | kernel                                     | default                                   |
 * |------------------|--------------------------------------------|-------------------------------------------|
 * | `fault`          | `vm_ops->fault`                            | `filemap_fault` (mm/filemap.c)            |
 * | `page_mkwrite`   | `vm_ops->page_mkwrite`                     | `filemap_page_mkwrite` (mm/filemap.c)     |
 * | `writepages`     | `a_ops->writepages`, for one folio         | `write_folio`: mkclean, clear dirty, submit (mm/page-writeback.c) |
 * | `release_folio`  | `a_ops->release_folio` (a `ReleaseFolio`)  | `try_to_free_buffers` (fs/buffer.c): fails on a dirty or locked buffer |
 * | `dirty_folio`    | `a_ops->dirty_folio` (`folio_mark_dirty`: `do_shared_fault`, `unpin_user_pages_dirty_lock`) | `filemap_dirty_folio` (mm/page-writeback.c): PG_dirty, the filesystem not told |
 * | `write_begin`    | `a_ops->write_begin`, folio locked (`generic_perform_write`) | `block_write_begin` (fs/buffer.c): buffers attached and mapped, nothing dirtied |
 * | `write_end`      | `a_ops->write_end`, folio locked           | `block_write_end` (fs/buffer.c): buffers and folio dirty when bytes were copied |
 *
 * A handler that waits records whom it waits for in the state, as every primitive does; the
 * locks a record takes are lockdep's like any other. Records declare per-file state (a glock,
 * `XFS_ILOCK`) in `setup`, which `file()` calls for each file of the filesystem.
 *
 * Shipped records: `ext4` (ext4.ts), `bcachefs` (bcachefs.ts), `xfs` (xfs.ts), `gfs2` (gfs2.ts).
 *
 * @example
 * const myfs = filesystem('myfs', {
 *   page_mkwrite: (cur, vma, f, out) => [
 *     mutex_lock(m, cur),
 *     block_page_mkwrite(cur, vma, f, out, { label: 'myfs_page_mkwrite', fn: 'fs/myfs/file.c: myfs_page_mkwrite', unwind: mutex_unlock(m, cur) }),
 *     mutex_unlock(m, cur),
 *   ],
 * });
 * const A = file(sys, 'A', { fs: myfs });
 */
import { ModelError } from '../util/errors.ts';
import { NONE } from '../model/domain.ts';
import { step, type Program } from '../model/program.ts';
import { folio_mark_dirty, PRIVATE, trace, type Folio } from './folio.ts';
import { filemap_fault, filemap_page_mkwrite, type FaultHandler } from './fault.ts';
import { write_folio, type WritepageCtx } from './writeback.ts';
import { try_to_free_buffers, type ReleaseFolio } from './release-folio.ts';
import type { Current } from './current.ts';
import type { Inode } from './inode.ts';
import type { Vma } from './mm.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';

/**
 * `vm_ops->page_mkwrite`, called by `do_page_mkwrite` with the folio unlocked and a reference to
 * it (`vmf_folio_get`): returns with the folio locked and the filesystem told, or — the folio was
 * truncated meanwhile (`folio_mkwrite_truncated`) — with it unlocked and everything dropped, at
 * label `out` (VM_FAULT_NOPAGE: the fault is retried).
 */
export type PageMkwrite = (cur: Current, vma: Vma, f: Folio, out: string) => Program;

/** `->write_begin`/`->write_end` around a buffered write's copy, folio locked by `cur`; `copied`: the copy's result (`write_end`). */
export type WriteBegin = (cur: Current, file: Inode, f: Folio) => Program;
export type WriteEnd = (cur: Current, file: Inode, f: Folio, copied: Var) => Program;

export interface Filesystem {
  readonly name: string;
  readonly fault: FaultHandler;
  readonly page_mkwrite: PageMkwrite;
  /** One folio of `->writepages`: locked, dirty and cached (WB_SYNC_ALL: its writeback waited out); ends unlocked, at `c.next`. */
  readonly writepages: (c: WritepageCtx) => Program;
  /** `->release_folio`: when it refuses to free the folio's private data (a state predicate: it takes no step). */
  readonly release_folio: ReleaseFolio;
  readonly dirty_folio: (f: Folio) => Program;
  readonly write_begin: WriteBegin;
  readonly write_end: WriteEnd;
  /** Writeback finds a folio it cleaned for I/O that the filesystem was never told about: it writes nothing (`write_folio`). */
  discards(s: State, f: Folio): boolean;
  /** The step that writes nothing; null: `write_folio` never meets such a folio (the filesystem's `writepages` diverts it first), so it has no such step. */
  readonly discard: { readonly label: string; readonly fn: string } | null;
  /** The filesystem's submission of a cleaned folio. */
  readonly submit: { readonly fn: string };
  /** Checksummed writes go through a bounce buffer (the device writes a copy). */
  readonly bouncesChecksums: boolean;
  /** Freeing the blocks of a punched range. */
  readonly freeBlocks: { readonly fn: string };
  /** Per-file state of the filesystem (locks, glocks), declared when `file()` declares the inode. */
  readonly setup?: (sys: System, file: Inode) => void;
}

/** What a record gives; the rest comes from the generic helpers. */
export type FilesystemOps = Partial<Omit<Filesystem, 'name'>>;

/** A filesystem record: `ops`, and for each handler left out the generic kernel helper (see the table above). */
export function filesystem(name: string, ops: FilesystemOps = {}): Filesystem {
  if (name === '') throw new ModelError('KMC013', 'filesystem: name is empty');
  return {
    name,
    fault: ops.fault ?? filemap_fault,
    page_mkwrite: ops.page_mkwrite ?? ((cur, vma, f, out) => filemap_page_mkwrite(cur, vma, f, out)),
    writepages: ops.writepages ?? write_folio,
    release_folio: ops.release_folio ?? try_to_free_buffers,
    dirty_folio: ops.dirty_folio ?? ((f) => folio_mark_dirty(f, 'mm/page-writeback.c: filemap_dirty_folio')),
    write_begin: ops.write_begin ?? ((_cur, _file, f) => block_write_begin(f)),
    write_end: ops.write_end ?? ((_cur, _file, f, copied) => block_write_end(f, copied)),
    discards: ops.discards ?? ((s, f) => s.get(f.private) === PRIVATE.none),
    discard: ops.discard !== undefined ? ops.discard : { label: `${name}: no private data, nothing written`, fn: 'mm/page-writeback.c: write_cache_pages' },
    submit: ops.submit ?? { fn: 'mm/page-writeback.c: write_cache_pages' },
    bouncesChecksums: ops.bouncesChecksums ?? false,
    freeBlocks: ops.freeBlocks ?? { fn: 'fs/inode.c: truncate' },
    setup: ops.setup,
  };
}

/**
 * The filesystem is notified of a write to `f` (`->page_mkwrite`, the folio
 * locked by the caller): space reserved, `private` dirty, the folio dirty. The step is labelled
 * `label` (or, given the filesystem, `<name>_page_mkwrite`) and cites `fn`.
 */
export function notify(f: Folio, label: string, fn: string): Program;
export function notify(fs: Filesystem, f: Folio, label?: string, fn?: string): Program;
export function notify(a: Filesystem | Folio, b: Folio | string, c?: string, d?: string): Program {
  if ('lock' in a) return step(b as string, { fn: c, then: (s) => s.set(a.private, PRIVATE.dirty).set(a.dirty, true) });
  const f = b as Folio, label = c ?? `${a.name}_page_mkwrite`, fn = d ?? label;
  return step(label, { fn, then: (s) => s.set(f.private, PRIVATE.dirty).set(f.dirty, true) });
}

/**
 * `block_write_begin()` (fs/buffer.c) on the locked folio: buffers attached (`__block_write_begin_int`
 * → `create_empty_buffers`) and mapped, nothing dirtied — a write that copies nothing leaves the
 * folio as it was. Labelled `label` (a filesystem's own `->write_begin`: `ext4_write_begin(A)`).
 */
export const block_write_begin = (f: Folio, label = `block_write_begin(${f.name})`, fn = 'fs/buffer.c: block_write_begin'): Program =>
  step(label, { fn, then: (s) => (s.get(f.private) === PRIVATE.none ? s.set(f.private, PRIVATE.clean) : s) });

/**
 * `block_write_end()` (fs/buffer.c): if anything was copied, the buffers marked dirty
 * (`__block_commit_write` → `mark_buffer_dirty`) and the folio with them; "This could be a short
 * (even 0-length) commit": a 0-byte copy dirties nothing.
 */
export const block_write_end = (f: Folio, copied: Var, fn = 'fs/buffer.c: block_write_end'): Program =>
  step(`write_end(${f.name})`, { fn, then: (s) => (s.test(copied) ? s.set(f.private, PRIVATE.dirty).set(f.dirty, true) : s) });

/**
 * `folio_start_writeback` and the filesystem's submission, folio locked: the folio is under
 * writeback by `self`; its reservation is used up. `bounce`: the I/O writes a copy.
 */
export const folio_start_writeback = (fs: Filesystem, f: Folio, self: ActorRef, bounce: boolean): Program =>
  step(`folio_start_writeback(${f.name}): submit`, {
    fn: fs.submit.fn,
    then: (s) => trace(f, bounce ? 'writeback_submit_bounce' : 'writeback_submit',
      s.set(f.writeback, self.id).set(f.private, s.get(f.private) === PRIVATE.none ? PRIVATE.none : PRIVATE.clean), self.id),
  });

/** `folio_end_writeback()` (mm/filemap.c): the I/O completed; waiters on PG_writeback wake. */
export const folio_end_writeback = (f: Folio, self: ActorRef): Program =>
  step(`folio_end_writeback(${f.name})`, {
    fn: 'mm/filemap.c: folio_end_writeback',
    then: (s) => trace(f, 'writeback_end', s.set(f.writeback, NONE), self.id),
  });
