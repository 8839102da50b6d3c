/**
 * Page faults on a shared file mapping (mm/memory.c, mm/filemap.c), each step citing the
 * function it models:
 *
 * - `filemap_fault` — the generic `->fault`: a cached, uptodate folio is locked without
 *   `invalidate_lock`; otherwise `filemap_invalidate_lock_shared`, the folio is created
 *   (`__filemap_get_folio(FGP_CREAT)`) and read in. A folio truncated while the fault waited
 *   for its lock is dropped and looked up again. Returns with the folio locked.
 * - `handle_mm_fault` — what a fault on the PTE does: a read fault maps a cached uptodate folio
 *   by fault-around (`filemap_map_pages`, no `->fault`) or runs `->fault` and `finish_fault`
 *   (PTE read-only); a write fault on an absent PTE is `do_shared_fault` (`->fault`,
 *   `->page_mkwrite`, `finish_fault` writable, `fault_dirty_shared_page`); a write fault on a
 *   read-only PTE is `do_wp_page` → `wp_page_shared` (`->page_mkwrite`, `wp_page_reuse`).
 * - `user_fault` — a fault from user space: under the per-VMA lock if `lock_vma_under_rcu`
 *   gets it, else under `mmap_lock` for read.
 *
 * `->fault` is a parameter (`FaultHandler`): `filemap_fault`, or a filesystem's own (bcachefs
 * `bch2_page_fault`, see bcachefs.ts). A handler reports VM_FAULT_SIGBUS in `cur.vmret`.
 *
 * @example
 * [...user_fault(cur, buf, f, { write: true })]
 */
import { call, goto, ifElse, label, ret, step, type Program } from '../model/program.ts';
import { NONE } from '../model/domain.ts';
import { folio_lock, folio_unlock, folio_wait_stable, PRIVATE, trace } from './folio.ts';
import { notify } from './fs.ts';
import { filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared } from './inode.ts';
import { mmap_read_lock, mmap_read_unlock, pteOf, PTE, vma_end_read, vma_start_read, type Vma } from './mm.ts';
import { int } from '../model/domain.ts';
import { VM_FAULT_SIGBUS, type Current } from './current.ts';
import type { Folio } from './folio.ts';
import type { State } from '../model/state.ts';

/** A `vm_ops->fault`: a `call` whose result is `cur.vmret`: 0 with the folio locked, or VM_FAULT_SIGBUS. */
export type FaultHandler = (cur: Current, vma: Vma, f: Folio) => Program;

const cachedUptodate = (s: State, f: Folio): boolean => s.test(f.cached) && s.test(f.uptodate);

/** `filemap_add_folio()`: a new folio in the page cache, not uptodate, nothing attached. */
export const filemap_add_folio = (f: Folio): Program =>
  step(`filemap_add_folio(${f.name})`, {
    fn: 'mm/filemap.c: __filemap_get_folio',
    then: (s) => (s.test(f.cached) ? s : s.set(f.cached, true).set(f.uptodate, false).set(f.private, PRIVATE.none).set(f.dirty, false)),
  });

/** `filemap_read_folio()`: the folio read from disk, now uptodate. */
export const filemap_read_folio = (f: Folio): Program =>
  step(`filemap_read_folio(${f.name})`, { fn: 'mm/filemap.c: filemap_read_folio', then: (s) => trace(f, 'read_from_disk', s.set(f.uptodate, true), -1) });

export interface FilemapFaultOptions {
  /** false: the handler before `invalidate_lock` existed (before Linux 5.15), no lock against truncation. */
  readonly invalidateLock: boolean;
  /**
   * `folio_lock_first`: a new folio is created and locked before `invalidate_lock` is taken —
   * the inversion the kernel's order (`invalidate_lock`, then the folio lock) avoids.
   */
  readonly order?: 'invalidate_lock_first' | 'folio_lock_first';
  /** false: the folio is not checked again under its lock ("Did it get truncated?"), so a truncated one is mapped. */
  readonly recheckMapping?: boolean;
}

/** The generic `->fault` (mm/filemap.c: filemap_fault), or a variant of it (see the options). */
export const filemapFault = (opts: FilemapFaultOptions): FaultHandler => (cur, vma, f) => {
  const file = vma.file, fn = 'mm/filemap.c: filemap_fault', inverted = opts.order === 'folio_lock_first', recheck = opts.recheckMapping !== false;
  const lock = (p: Program): Program => (opts.invalidateLock ? p : []);
  const slow = cur.label(`filemap_fault(${f.name}): not cached`), retry = cur.label(`retry_find(${f.name})`), done = cur.label(`filemap_fault(${f.name}): locked`);
  return call('filemap_fault', [
    ifElse((s) => cachedUptodate(s, f), [
      folio_lock(f, cur),
      // truncated, or no longer uptodate, while we waited: drop it and take invalidate_lock
      recheck ? ifElse((s) => !cachedUptodate(s, f), [folio_unlock(f, cur), goto(slow)], [goto(done)]) : goto(done),
    ]),
    label(slow),
    inverted ? [] : lock(filemap_invalidate_lock_shared(file, cur, fn)),
    label(retry),
    filemap_add_folio(f),
    folio_lock(f, cur),
    recheck ? ifElse((s) => !s.test(f.cached), [folio_unlock(f, cur), goto(retry)]) : [],   // truncated: look it up again
    inverted ? lock(filemap_invalidate_lock_shared(file, cur, fn)) : [],
    ifElse((s) => !s.test(f.uptodate), [filemap_read_folio(f)]),
    lock(filemap_invalidate_unlock_shared(file, cur, fn)),
    label(done),
    ret(0),
  ], { result: cur.vmret });
};

/** `filemap_fault` as it is today. */
export const filemap_fault: FaultHandler = filemapFault({ invalidateLock: true });

/** `->page_mkwrite` (the filesystem's): returns with the folio locked, or — the folio was truncated meanwhile — unlocked, at `out`. */
const page_mkwrite = (cur: Current, vma: Vma, f: Folio, out: string): Program => {
  const fs = vma.file.fs, lock = fs.mkwriteLock(vma.file, cur);
  return [
    lock.take,
    folio_lock(f, cur),
    ifElse((s) => !s.test(f.cached), [folio_unlock(f, cur), lock.drop, goto(out)]),   // VM_FAULT_NOPAGE: the caller retries
    notify(fs, f),
    folio_wait_stable(f, vma.file.stableWrites),
    lock.drop,
  ];
};

const setPte = (vma: Vma, f: Folio, to: 'ro' | 'rw', label: string, fn: string): Program =>
  step(label, { fn, then: (s) => s.set(pteOf(vma, f), PTE[to]) });

/** `fault_dirty_shared_page()`: the folio marked dirty (again, under its lock) and unlocked, as one step. */
const fault_dirty_shared_page = (cur: Current, f: Folio): Program =>
  step(`fault_dirty_shared_page(${f.name}): unlock`, {
    fn: 'mm/memory.c: fault_dirty_shared_page',
    then: (s) => {
      if (f.lock.holder(s) !== cur.id) throw new Error(`fault_dirty_shared_page(${f.name}) by ${cur.name}, which does not hold the folio lock`);
      return f.lock.setHolder(s.set(f.dirty, true), NONE);
    },
  });

export interface FaultOptions {
  readonly write: boolean;
  /** `vm_ops->fault` (default `filemap_fault`). */
  readonly fault?: FaultHandler;
}

/**
 * `handle_mm_fault()` for `f` in `vma`, the caller holding mmap_lock or the VMA lock.
 * On return `cur.vmret` is VM_FAULT_SIGBUS if `->fault` failed; otherwise the PTE is mapped
 * (writable for a write fault), unless a truncation raced with it (the caller retries).
 */
export function handle_mm_fault(cur: Current, vma: Vma, f: Folio, opts: FaultOptions): Program {
  const fault = opts.fault ?? filemap_fault, pte = pteOf(vma, f), out = cur.label(`handle_mm_fault(${f.name}): out`);
  const sigbus = (s: State): boolean => s.get(cur.vmret) === VM_FAULT_SIGBUS;
  const readFault: Program = [
    // do_read_fault → do_fault_around: a cached, uptodate, unlocked folio is mapped without ->fault
    label(cur.label('faultin')),
    step(`filemap_map_pages(${f.name})`, {
      fn: 'mm/filemap.c: filemap_map_pages',
      then: (s) => (cachedUptodate(s, f) && f.lock.holder(s) === NONE ? s.set(pte, PTE.ro) : s),
    }),
    ifElse((s) => s.get(pte) === PTE.absent, [
      fault(cur, vma, f),
      ifElse(sigbus, [goto(out)]),
      setPte(vma, f, 'ro', `finish_fault(${f.name}): map read-only`, 'mm/memory.c: finish_fault'),
      folio_unlock(f, cur),
    ]),
  ];
  const sharedFault: Program = [
    fault(cur, vma, f),
    ifElse(sigbus, [goto(out)]),
    folio_unlock(f, cur),
    page_mkwrite(cur, vma, f, out),
    setPte(vma, f, 'rw', `finish_fault(${f.name}): map writable`, 'mm/memory.c: finish_fault'),
    fault_dirty_shared_page(cur, f),
  ];
  const wpFault: Program = [
    page_mkwrite(cur, vma, f, out),
    setPte(vma, f, 'rw', 'wp_page_reuse: PTE RW-dirty', 'mm/memory.c: wp_page_reuse'),
    fault_dirty_shared_page(cur, f),
  ];
  return call('handle_mm_fault', [
    ifElse((s) => s.get(pte) === PTE.absent, opts.write ? sharedFault : readFault, opts.write ? wpFault : []),
    label(out),
  ]);
}

/**
 * A fault from user space: `lock_vma_under_rcu` (mm/memory.c) tries the per-VMA lock; if the
 * VMA has none, or it is write-locked, the fault runs under `mmap_read_lock`.
 */
export function user_fault(cur: Current, vma: Vma, f: Folio, opts: FaultOptions): Program {
  const underMmap: Program = [mmap_read_lock(vma.mm, cur), handle_mm_fault(cur, vma, f, opts), mmap_read_unlock(vma.mm, cur)];
  if (vma.vm_lock === undefined) return underMmap;
  const got = cur.local('vma_locked', int(0, 1));
  return [
    vma_start_read(vma, cur, got),
    ifElse((s) => s.get(got) === 1, [handle_mm_fault(cur, vma, f, opts), vma_end_read(vma, cur)],
      [label(cur.label('vma_lock_failed')), step('lock_vma_under_rcu failed: retry under mmap_lock', { fn: 'mm/memory.c: lock_vma_under_rcu' }), underMmap]),
  ];
}
