/**
 * Page faults on a shared file mapping (mm/memory.c, mm/filemap.c), each step citing the
 * function it models:
 *
 * - `filemap_fault` — the generic `->fault`: a cached, uptodate folio is locked without
 *   `invalidate_lock`; otherwise `filemap_invalidate_lock_shared`, the folio is created
 *   (`__filemap_get_folio(FGP_CREAT)`) and read in. A folio truncated while the fault waited
 *   for its lock is dropped and looked up again. Returns with the folio locked, or — the fault
 *   lock dropped to wait for the folio lock or for the read (`lock_folio_maybe_drop_mmap`,
 *   `maybe_unlock_mmap_for_io`) — with VM_FAULT_RETRY and the folio unlocked.
 * - The retry protocol: `vmf->flags` (`faultFlags`, a local of the faulting actor) says
 *   whether the fault may drop its lock (`FAULT_FLAG_ALLOW_RETRY`), whether it is a retry
 *   (`FAULT_FLAG_TRIED`) and which lock it holds (`FAULT_FLAG_VMA_LOCK`: the per-VMA lock, else
 *   mmap_lock); a handler that dropped it returns VM_FAULT_RETRY in `cur.vmret` and the caller
 *   redoes the fault from the top (`user_fault`; gup.ts for GUP).
 * - `handle_mm_fault` — what a fault on the PTE does: a read fault maps a cached uptodate folio
 *   by fault-around (`filemap_map_pages`, no `->fault`) or runs `->fault` and `finish_fault`
 *   (PTE read-only); a write fault on an absent PTE is `do_shared_fault` (`->fault`,
 *   `->page_mkwrite`, `finish_fault` writable, `fault_dirty_shared_page`); a write fault on a
 *   read-only PTE is `do_wp_page` → `wp_page_shared` (`->page_mkwrite`, `wp_page_reuse`).
 * - `user_fault` — a CPU fault (arch/x86/mm/fault.c: do_user_addr_fault, `FAULT_FLAG_DEFAULT`:
 *   ALLOW_RETRY): under the per-VMA lock if `lock_vma_under_rcu` gets it, else under
 *   `mmap_lock` for read; after VM_FAULT_RETRY it is redone under `mmap_lock`.
 *
 * `->fault` and `->page_mkwrite` are the file's filesystem's (`vma.file.fs`, fs.ts); a fault may
 * pass another `->fault` (`FaultHandler`: a variant of `filemap_fault`, bcachefs's
 * `bch2_page_fault`). A handler reports VM_FAULT_SIGBUS in `cur.vmret`. The pieces are exported
 * for composing other paths: `vmf_folio_get`, `do_page_mkwrite`, `block_page_mkwrite`,
 * `filemap_page_mkwrite`, `finish_fault`, `set_pte_at`, `wp_page_reuse`, `fault_dirty_shared_page`.
 *
 * @example
 * [...user_fault(cur, buf, f, { write: true })]
 */
import { call, choice, goto, ifElse, label, ret, step, type Node, type Program } from '../model/program.ts';
import { NONE } from '../model/domain.ts';
import { folio_lock, folio_lock_held, folio_unlock, folio_unlock_held, folio_wait_stable, has, PRIVATE, trace } from './folio.ts';
import { filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared } from './inode.ts';
import { find_vma, mmap_read_lock, mmap_read_unlock, pteOf, PTE, vma_end_read, vma_start_read, type Vma } from './mm.ts';
import { bool, int } from '../model/domain.ts';
import { VM_FAULT_MAJOR, VM_FAULT_RETRY, VM_FAULT_SIGBUS, type Current } from './current.ts';
import type { Folio } from './folio.ts';
import type { State } from '../model/state.ts';
import type { Var } from '../model/vars.ts';
import { systemKey } from '../model/system.ts';

/**
 * A `vm_ops->fault`: a `call` whose result is `cur.vmret`: 0 with the folio locked,
 * VM_FAULT_SIGBUS, or VM_FAULT_RETRY (the fault lock released, the folio unlocked). A handler
 * wrapping `filemap_fault` in locks of its own passes its result on (`ret()`).
 */
export type FaultHandler = (cur: Current, vma: Vma, f: Folio) => Program;

/**
 * The `vmf->flags` bits kmc models (include/linux/mm_types.h, `enum fault_flag`):
 * `ALLOW_RETRY` — the handler may release the fault lock and return VM_FAULT_RETRY (CPU faults:
 * `FAULT_FLAG_DEFAULT`; GUP with `FOLL_UNLOCKABLE`, mm/gup.c faultin_page); `TRIED` — a retry;
 * `VMA_LOCK` — the fault holds the per-VMA lock, not mmap_lock (mm/memory.c
 * `release_fault_lock` releases whichever it is). Not modelled: `FAULT_FLAG_RETRY_NOWAIT`
 * (FOLL_NOWAIT), `FAULT_FLAG_KILLABLE`'s signals.
 */
export const FAULT_FLAG = { ALLOW_RETRY: 1, TRIED: 2, VMA_LOCK: 4 } as const;

/** `vmf->flags` of `cur`'s fault (see `FAULT_FLAG`): set by the caller of `handle_mm_fault`, 0 when no fault runs. */
export const faultFlags = (cur: Current): Var => cur.local('vmf->flags', int(0, FAULT_FLAG.ALLOW_RETRY | FAULT_FLAG.TRIED | FAULT_FLAG.VMA_LOCK));

/** `vmf->flags = flags`, as the step before it ends (no step of its own). */
export const set_fault_flags = (cur: Current, flags: number): Program => call('vmf->flags', [ret(flags)], { result: faultFlags(cur) });

/** The fault lock `cur`'s fault holds now (mmap_lock for read, or the VMA lock when `FAULT_FLAG_VMA_LOCK`). */
const holdsFaultLock = (cur: Current, vma: Vma): ((s: State) => boolean) => {
  const flags = faultFlags(cur);
  return (s) => ((s.get(flags) & FAULT_FLAG.VMA_LOCK) !== 0 ? vma.vm_lock !== undefined && has(s, vma.vm_lock.readers, cur) : has(s, vma.mm.mmap_lock.readers, cur));
};

/**
 * `fpin != NULL` in filemap_fault (mm/filemap.c): the fault released its lock (it may only
 * with `FAULT_FLAG_ALLOW_RETRY`) and must return VM_FAULT_RETRY. Read from the lock's holders.
 */
export const fault_lock_dropped = (cur: Current, vma: Vma): ((s: State) => boolean) => {
  const flags = faultFlags(cur), holds = holdsFaultLock(cur, vma);
  return (s) => (s.get(flags) & FAULT_FLAG.ALLOW_RETRY) !== 0 && !holds(s);
};

/**
 * `maybe_unlock_mmap_for_io()` (mm/internal.h) may release the fault lock now: not yet released,
 * and `fault_flag_allow_retry_first(flags)` (include/linux/mm.h: ALLOW_RETRY and not TRIED —
 * a retry waits holding its lock).
 */
const mayDropFaultLock = (cur: Current, vma: Vma): ((s: State) => boolean) => {
  const flags = faultFlags(cur), holds = holdsFaultLock(cur, vma);
  return (s) => (s.get(flags) & (FAULT_FLAG.ALLOW_RETRY | FAULT_FLAG.TRIED)) === FAULT_FLAG.ALLOW_RETRY && holds(s);
};

/**
 * `release_fault_lock(vmf)` (include/linux/mm.h) as one step labelled `what: release_fault_lock`:
 * `vma_end_read` when the fault holds the VMA lock (`FAULT_FLAG_VMA_LOCK`), else
 * `mmap_read_unlock` (the state change shows which). Enabled when `when` holds.
 */
function releaseFaultLock(cur: Current, vma: Vma, what: string, fn: string, when?: (s: State) => boolean, blocksOn?: Folio['lock']): Node {
  const thenOf = (n: Program): ((s: State) => State) => {
    const node = n as Node;
    if (node.kind !== 'step' || node.spec.then === undefined) throw new Error('release_fault_lock: the unlock is not one step');
    return node.spec.then;
  };
  const mmapUp = thenOf(mmap_read_unlock(vma.mm, cur)), vmaUp = vma.vm_lock ? thenOf(vma_end_read(vma, cur)) : undefined, flags = faultFlags(cur);
  return step(`${what}: release_fault_lock`, {
    fn, ...(when ? { when } : {}), ...(blocksOn ? { blocksOn } : {}),
    then: (s) => ((s.get(flags) & FAULT_FLAG.VMA_LOCK) !== 0 && vmaUp !== undefined ? vmaUp(s) : mmapUp(s)),
  });
}

/**
 * `lock_folio_maybe_drop_mmap()` (mm/filemap.c): `folio_trylock`; if that fails and the fault
 * may drop its lock (`maybe_unlock_mmap_for_io`: ALLOW_RETRY, first attempt, "mm: Make
 * lock_folio_maybe_drop_mmap() VMA lock aware" for the VMA lock), `release_fault_lock` first,
 * then `__folio_lock_killable`: the fault never sleeps on the folio lock holding a lock it may
 * drop. Otherwise (no ALLOW_RETRY, or FAULT_FLAG_TRIED) it sleeps holding it. A choice of the
 * lock (enabled when the folio is free) and the release (enabled when it is not and the fault
 * may drop), so a fault that cannot drop takes exactly the steps `folio_lock` takes.
 */
export function lock_folio_maybe_drop_mmap(cur: Current, vma: Vma, f: Folio): Program {
  const again = cur.label(`lock_folio_maybe_drop_mmap(${f.name})`), may = mayDropFaultLock(cur, vma);
  const release = releaseFaultLock(cur, vma, `lock_folio_maybe_drop_mmap(${f.name})`, 'mm/filemap.c: lock_folio_maybe_drop_mmap', (s) => f.lock.holder(s) !== NONE && may(s), f.lock);
  return [label(again), choice([folio_lock(f, cur)], [release, goto(again)])];
}

/**
 * `fpin = maybe_unlock_mmap_for_io(vmf, fpin)` (mm/internal.h) before I/O: the fault lock
 * released if the fault may (ALLOW_RETRY, first attempt, not released yet). No step otherwise.
 */
export const maybe_unlock_mmap_for_io = (cur: Current, vma: Vma, what: string): Program =>
  ifElse(mayDropFaultLock(cur, vma), [releaseFaultLock(cur, vma, what, 'mm/internal.h: maybe_unlock_mmap_for_io')]);

const cachedUptodate = (s: State, f: Folio): boolean => s.test(f.cached) && s.test(f.uptodate);

/**
 * `filemap_add_folio()`: a new folio in the page cache, not uptodate, nothing attached. It is
 * not the folio the slot held before: a fault still holding that one sees its
 * `folio->mapping` NULL (`vmf_folio_get`).
 */
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

/**
 * The generic `->fault` (mm/filemap.c: filemap_fault), or a variant of it (see the options).
 * The folio is locked by `lock_folio_maybe_drop_mmap`; a not-uptodate folio is read at
 * `page_not_uptodate` after `maybe_unlock_mmap_for_io`. Once the fault lock is released
 * (`fpin`), the fault finishes what it waits for, unlocks the folio, and at `out_retry` drops
 * `invalidate_lock` if it holds it and returns VM_FAULT_RETRY (with VM_FAULT_MAJOR if the
 * folio was not cached). Not modelled: readahead (`do_sync_mmap_readahead` /
 * `do_async_mmap_readahead` may release the lock for readahead I/O too).
 */
export const filemapFault = (opts: FilemapFaultOptions): FaultHandler => (cur, vma, f) => {
  const file = vma.file, fn = 'mm/filemap.c: filemap_fault', inverted = opts.order === 'folio_lock_first', recheck = opts.recheckMapping !== false;
  const lock = (p: Program): Program => (opts.invalidateLock ? p : []);
  const slow = cur.label(`filemap_fault(${f.name}): not cached`), retry = cur.label(`retry_find(${f.name})`), done = cur.label(`filemap_fault(${f.name}): locked`);
  const outRetry = cur.label(`filemap_fault(${f.name}): out_retry`), outRetryLocked = cur.label(`filemap_fault(${f.name}): out_retry, invalidate_lock held`);
  // VM_FAULT_MAJOR is read only after a VMA-lock attempt: recorded only where the VMA has that lock
  const dropped = fault_lock_dropped(cur, vma), may = mayDropFaultLock(cur, vma), major = vma.vm_lock ? cur.local('vmf_major', bool()) : undefined;
  const setMajor = (v: boolean): Program => (major ? call('VM_FAULT_MAJOR', [ret(v)], { result: major }) : []);
  return call('filemap_fault', [
    ifElse((s) => cachedUptodate(s, f), [
      lock_folio_maybe_drop_mmap(cur, vma, f),
      // truncated, or no longer uptodate, while we waited: drop it and take invalidate_lock
      recheck ? ifElse((s) => !cachedUptodate(s, f), [folio_unlock(f, cur), goto(slow)]) : [],
      // "if (fpin) { folio_unlock(folio); goto out_retry; }"
      ifElse(dropped, [folio_unlock(f, cur), goto(outRetry)]),
      goto(done),
    ], [ifElse((s) => !s.test(f.cached), [setMajor(true)])]),   // ret = VM_FAULT_MAJOR
    label(slow),
    inverted ? [] : lock(filemap_invalidate_lock_shared(file, cur, fn)),
    label(retry),
    filemap_add_folio(f),
    lock_folio_maybe_drop_mmap(cur, vma, f),
    recheck ? ifElse((s) => !s.test(f.cached), [folio_unlock(f, cur), goto(retry)]) : [],   // truncated: look it up again
    inverted ? lock(filemap_invalidate_lock_shared(file, cur, fn)) : [],
    ifElse((s) => !s.test(f.uptodate), [
      // page_not_uptodate: fpin = maybe_unlock_mmap_for_io(); filemap_read_folio(); if (fpin) goto out_retry
      ifElse((s) => dropped(s) || may(s), [
        maybe_unlock_mmap_for_io(cur, vma, `page_not_uptodate(${f.name})`),
        filemap_read_folio(f),
        folio_unlock(f, cur),   // the read's completion unlocks the folio
        goto(outRetryLocked),
      ], [filemap_read_folio(f)]),
    ]),
    ifElse(dropped, [folio_unlock(f, cur), goto(outRetryLocked)]),
    lock(filemap_invalidate_unlock_shared(file, cur, fn)),
    label(done),
    setMajor(false),
    ret(0),
    label(outRetryLocked),
    lock(filemap_invalidate_unlock_shared(file, cur, fn)),
    label(outRetry),
    ifElse((s) => major !== undefined && s.test(major), [setMajor(false), ret(VM_FAULT_RETRY | VM_FAULT_MAJOR)], [ret(VM_FAULT_RETRY)]),
  ], { result: cur.vmret });
};

/** `filemap_fault` as it is today. */
export const filemap_fault: FaultHandler = filemapFault({ invalidateLock: true });

/**
 * The folio a fault works on, `vmf->page` (mm/memory.c), as the fault sees it: none, the folio
 * in `f`'s slot with a reference held (`mapped`: `folio->mapping` is the file's), or that folio
 * after truncation or reclaim took it out of the page cache (`detached`: `page_cache_delete`
 * set `folio->mapping = NULL`). A folio created later in the slot is another folio: the fault's
 * stays detached. One local per actor and slot.
 */
export const VMF = { none: 0, mapped: 1, detached: 2 } as const;

/** Per folio, the locals `vmf->page` of the faults that may hold it (an entry in `sys.registry`). */
const VMF_HOLDERS = systemKey<Map<Folio, Var[]>>('fault', () => new Map());

/** The local `vmf->page` of `cur`'s fault on `f` (see `VMF`). */
export function vmfFolio(cur: Current, f: Folio): Var {
  const v = cur.local(`vmf->page(${f.name})`, int(VMF.none, VMF.detached));
  const all = f.sys.registry.get(VMF_HOLDERS), holders = all.get(f) ?? [];
  if (!holders.includes(v)) all.set(f, [...holders, v]);
  return v;
}

/**
 * `vmf->page = folio; folio_get(folio)`: the fault holds the folio now in `f`'s slot (found by
 * `->fault`, or in the PTE for `do_wp_page`). No step of its own: it is taken as the step before
 * it ends, under the folio lock or the PTE lock the kernel holds there.
 */
export const vmf_folio_get = (cur: Current, f: Folio): Program => call('vmf_folio_get', [ret(VMF.mapped)], { result: vmfFolio(cur, f) });

/** `folio_put(vmf->page)`: the fault's reference dropped (no step: as the step before ends). */
export const vmf_folio_put = (cur: Current, f: Folio): Program => call('vmf_folio_put', [ret(VMF.none)], { result: vmfFolio(cur, f) });

/** `page_cache_delete()` (mm/filemap.c), for the faults holding `f`: `folio->mapping = NULL`. Called by `filemap_remove_folio`. */
export function folio_detach_faults(s: State, f: Folio): State {
  for (const v of f.sys.registry.peek(VMF_HOLDERS)?.get(f) ?? []) if (s.get(v) === VMF.mapped) s = s.set(v, VMF.detached);
  return s;
}

/**
 * "Page got truncated from under us?" — `folio->mapping != mapping` for the folio the fault
 * holds (ext4_page_mkwrite; `folio_mkwrite_check_truncate`, include/linux/pagemap.h;
 * filemap_page_mkwrite): it left the page cache, even if another folio fills the slot now.
 * A caller that took no `vmf_folio_get` is judged by the slot alone.
 */
export const folio_mkwrite_truncated = (cur: Current, f: Folio): ((s: State) => boolean) => {
  const vmf = vmfFolio(cur, f);
  return (s) => !s.test(f.cached) || s.get(vmf) === VMF.detached;
};

/**
 * `folio_lock(page_folio(vmf->page))` in `->page_mkwrite` (fs/buffer.c: block_page_mkwrite,
 * mm/filemap.c: filemap_page_mkwrite, fs/iomap/buffered-io.c: iomap_page_mkwrite): the folio
 * the fault holds — the cached one, or, truncated meanwhile (`VMF.detached`), the removed folio,
 * whose lock is its own (the remover's until its `folio_unlock`), not the lock of a folio created
 * later in the same slot. `folio_unlock_vmf` unlocks whichever it took.
 */
export const folio_lock_vmf = (cur: Current, f: Folio): Node => {
  const vmf = vmfFolio(cur, f);
  return folio_lock_held(f, cur, (s) => (s.get(vmf) === VMF.detached ? f.orphanLock : f.lock));
};
export const folio_unlock_vmf = (cur: Current, f: Folio): Node => folio_unlock_held(f, cur);

export interface MkwriteBody {
  /** The filesystem's own step, told of the write under the folio lock (`private` dirty, the folio dirty). */
  readonly label: string;
  readonly fn: string;
  /** What the filesystem drops before returning VM_FAULT_NOPAGE (the locks it took before the folio lock). */
  readonly unwind?: Program;
}

/**
 * The body most `->page_mkwrite`s share (`block_page_mkwrite`, fs/buffer.c;
 * `iomap_page_mkwrite`, fs/iomap/buffered-io.c): the folio locked and checked against
 * truncation (`folio_mkwrite_truncated`: unlock, `unwind`, VM_FAULT_NOPAGE at `out`), the
 * filesystem told, `folio_wait_stable`. Returns with the folio locked.
 */
export const block_page_mkwrite = (cur: Current, vma: Vma, f: Folio, out: string, body: MkwriteBody): Program => [
  folio_lock_vmf(cur, f),
  ifElse(folio_mkwrite_truncated(cur, f), [folio_unlock_vmf(cur, f), body.unwind ?? [], goto(out)]),   // VM_FAULT_NOPAGE: the caller retries
  step(body.label, { fn: body.fn, then: (s) => s.set(f.private, PRIVATE.dirty).set(f.dirty, true) }),
  folio_wait_stable(f, vma.file.stableWrites),
];

/**
 * `filemap_page_mkwrite()` (mm/filemap.c), the generic `->page_mkwrite`: the folio locked and
 * checked against truncation, dirtied through the mapping's `->dirty_folio` (the filesystem
 * reserves nothing), `folio_wait_stable`. Returns with the folio locked (VM_FAULT_LOCKED).
 */
export const filemap_page_mkwrite = (cur: Current, vma: Vma, f: Folio, out: string): Program => [
  folio_lock_vmf(cur, f),
  ifElse(folio_mkwrite_truncated(cur, f), [folio_unlock_vmf(cur, f), goto(out)]),
  vma.file.fs.dirty_folio(f),
  folio_wait_stable(f, vma.file.stableWrites),
];

/**
 * `do_page_mkwrite()` (mm/memory.c): the filesystem's `->page_mkwrite` (`vma.file.fs`) for the
 * folio the fault holds (`vmf_folio_get` first). Returns with the folio locked, or — the folio
 * was truncated meanwhile — unlocked, at label `out` (VM_FAULT_NOPAGE: the caller retries).
 */
export const do_page_mkwrite = (cur: Current, vma: Vma, f: Folio, out: string): Program => vma.file.fs.page_mkwrite(cur, vma, f, out);

/** `set_pte_at()` (include/linux/pgtable.h): the PTE of `f` in `vma` becomes `to`, a step labelled `label` citing `fn`. */
export const set_pte_at = (vma: Vma, f: Folio, to: keyof typeof PTE, label: string, fn = 'include/linux/pgtable.h: set_pte_at'): Program =>
  step(label, { fn, then: (s) => s.set(pteOf(vma, f), PTE[to]) });

/** `wp_page_reuse()` (mm/memory.c): the write-protected PTE made writable and dirty, the same folio kept. */
export const wp_page_reuse = (vma: Vma, f: Folio): Program => set_pte_at(vma, f, 'rw', 'wp_page_reuse: PTE RW-dirty', 'mm/memory.c: wp_page_reuse');

/** `finish_fault()` (mm/memory.c): the PTE installed, read-only or writable. */
export const finish_fault = (vma: Vma, f: Folio, to: 'ro' | 'rw'): Program =>
  set_pte_at(vma, f, to, `finish_fault(${f.name}): map ${to === 'ro' ? 'read-only' : 'writable'}`, 'mm/memory.c: finish_fault');

/** `filemap_map_pages()` (mm/filemap.c, fault-around): a cached, uptodate, unlocked folio mapped read-only without `->fault`. */
export const filemap_map_pages = (vma: Vma, f: Folio): Program =>
  step(`filemap_map_pages(${f.name})`, {
    fn: 'mm/filemap.c: filemap_map_pages',
    then: (s) => (cachedUptodate(s, f) && f.lock.holder(s) === NONE ? s.set(pteOf(vma, f), PTE.ro) : s),
  });

/** `fault_dirty_shared_page()` (mm/memory.c): the folio marked dirty (again, under its lock) and unlocked, as one step. */
export const fault_dirty_shared_page = (cur: Current, f: Folio): Program =>
  step(`fault_dirty_shared_page(${f.name}): unlock`, {
    fn: 'mm/memory.c: fault_dirty_shared_page',
    then: (s) => {
      if (f.lock.holder(s) !== cur.id) throw new Error(`fault_dirty_shared_page(${f.name}) by ${cur.name}, which does not hold the folio lock`);
      return f.lock.setHolder(s.set(f.dirty, true), NONE);
    },
  });

export interface FaultOptions {
  readonly write: boolean;
  /** `vm_ops->fault` (default: the file's filesystem's, `vma.file.fs.fault`). */
  readonly fault?: FaultHandler;
  /**
   * A fault taken in kernel mode on a user address (a uaccess: `fault_in_iov_iter_readable` →
   * `fault_in_readable`'s `__get_user`, a `copy_from_user`): no FAULT_FLAG_USER, so
   * arch/x86/mm/fault.c `do_user_addr_fault` does not try the per-VMA lock
   * ("if (!(flags & FAULT_FLAG_USER)) goto lock_mmap;") and faults under `mmap_read_lock`.
   */
  readonly kernelMode?: boolean;
}

/**
 * `handle_mm_fault()` for `f` in `vma`, the caller holding mmap_lock or the VMA lock.
 * On return `cur.vmret` is VM_FAULT_SIGBUS if `->fault` failed; otherwise the PTE is mapped
 * (writable for a write fault), unless a truncation raced with it (the caller retries).
 */
/**
 * `do_read_fault()` (mm/memory.c): fault-around, else `->fault` and `finish_fault` read-only.
 * Jumps to `out` on VM_FAULT_SIGBUS or VM_FAULT_RETRY (`__do_fault` returns them as they are).
 */
export const do_read_fault = (cur: Current, vma: Vma, f: Folio, fault: FaultHandler, out: string, retry = retrying(cur)): Program => [
  label(cur.label('faultin')),
  filemap_map_pages(vma, f),
  ifElse((s) => s.get(pteOf(vma, f)) === PTE.absent, [
    fault(cur, vma, f),
    ifElse((s) => sigbus(cur, s) || retry(s), [goto(out)]),
    finish_fault(vma, f, 'ro'),
    folio_unlock(f, cur),
  ]),
];

/**
 * `do_shared_fault()` (mm/memory.c): `->fault`, `do_page_mkwrite`, `finish_fault` writable,
 * `fault_dirty_shared_page`. Jumps to `out` on VM_FAULT_SIGBUS or VM_FAULT_RETRY.
 */
export const do_shared_fault = (cur: Current, vma: Vma, f: Folio, fault: FaultHandler, out: string, retry = retrying(cur)): Program => [
  fault(cur, vma, f),
  ifElse((s) => sigbus(cur, s) || retry(s), [goto(out)]),
  vmf_folio_get(cur, f),
  folio_unlock(f, cur),
  do_page_mkwrite(cur, vma, f, out),
  finish_fault(vma, f, 'rw'),
  fault_dirty_shared_page(cur, f),
];

/**
 * `do_wp_page()` → `wp_page_shared()` (mm/memory.c): a write to a read-only PTE: the folio the
 * PTE maps taken (`vmf_folio_get`), `do_page_mkwrite`, `wp_page_reuse`, `fault_dirty_shared_page`.
 */
export const wp_page_shared = (cur: Current, vma: Vma, f: Folio, out: string): Program => [
  vmf_folio_get(cur, f),
  do_page_mkwrite(cur, vma, f, out),
  wp_page_reuse(vma, f),
  fault_dirty_shared_page(cur, f),
];

const sigbus = (cur: Current, s: State): boolean => s.get(cur.vmret) === VM_FAULT_SIGBUS;
/** `fault & VM_FAULT_RETRY`: the handler released the fault lock; the caller redoes the fault. */
export const retrying = (cur: Current): ((s: State) => boolean) => {
  const vmret = cur.vmret;
  return (s) => (s.get(vmret) & VM_FAULT_RETRY) !== 0;
};

/**
 * `handle_mm_fault()` for `f` in `vma`, the caller holding mmap_lock or the VMA lock (which
 * one, and whether the handler may drop it, is `faultFlags(cur)`: 0 — no ALLOW_RETRY, the
 * fault keeps its lock — unless the caller sets them). On return `cur.vmret` is
 * VM_FAULT_SIGBUS if `->fault` failed; VM_FAULT_RETRY if it released the fault lock (the
 * caller retries from the top); otherwise the PTE is mapped (writable for a write fault),
 * unless a truncation raced with it (the caller retries).
 */
export function handle_mm_fault(cur: Current, vma: Vma, f: Folio, opts: FaultOptions): Program {
  const fault = opts.fault ?? vma.file.fs.fault, out = cur.label(`handle_mm_fault(${f.name}): out`);
  const absent = (s: State): boolean => s.get(pteOf(vma, f)) === PTE.absent;
  return call('handle_mm_fault', [
    opts.write ? ifElse(absent, do_shared_fault(cur, vma, f, fault, out), wp_page_shared(cur, vma, f, out))
      : ifElse(absent, do_read_fault(cur, vma, f, fault, out), []),
    label(out),
    vmf_folio_put(cur, f),
  ]);
}

/**
 * Set when a user fault found no VMA (`munmap`: `lock_mm_and_find_vma` fails, `bad_area`): a
 * user access gets SIGSEGV, a kernel access (`fault_in_iov_iter_readable`, a uaccess) its
 * exception fixup, the bytes not faulted in. Only faults on a VMA declared `unmappable` set it.
 */
export const bad_area = (cur: Current): Var => cur.local('fault_bad_area', bool());

/**
 * A CPU fault on `f` (arch/x86/mm/fault.c: do_user_addr_fault, with `FAULT_FLAG_DEFAULT`:
 * ALLOW_RETRY): `lock_vma_under_rcu` around `handle_mm_fault`.
 */
export const user_fault = (cur: Current, vma: Vma, f: Folio, opts: FaultOptions): Program =>
  lock_vma_under_rcu(cur, vma, () => handle_mm_fault(cur, vma, f, opts), { vmaLock: opts.kernelMode !== true });

/** `vmf->flags = flags` and a fresh `vm_fault_t` for the next attempt (no step of its own). */
const retryWith = (cur: Current, flags: number): Program => [set_fault_flags(cur, flags), call('vm_fault_t', [ret(0)], { result: cur.vmret })];

/**
 * do_user_addr_fault (arch/x86/mm/fault.c) around `body` (the fault: `handle_mm_fault`):
 * `lock_vma_under_rcu()` (mm/memory.c) tries the per-VMA lock (the VMA has one and it is not
 * write-locked) and runs `body` with `FAULT_FLAG_VMA_LOCK`; without VM_FAULT_RETRY it ends with
 * `vma_end_read`. Otherwise — no VMA lock, or the fault released it and asked for a retry
 * (`FAULT_FLAG_TRIED` only `if (fault & VM_FAULT_MAJOR)`) — `lock_mm_and_find_vma`
 * (`mmap_read_lock`) and `body` again, redone with `FAULT_FLAG_TRIED` while it returns
 * VM_FAULT_RETRY ("flags |= FAULT_FLAG_TRIED; goto retry;"), then `mmap_read_unlock`.
 * `body` is built once per path (each copy has its own labels). `vmf->flags` (`faultFlags`)
 * records the held lock for the handler; 0 once the fault is done. A VMA declared `unmappable`
 * may be gone: `mas_walk` misses it (or it is found detached once read-locked: `vma_end_read`)
 * and the fault goes to `lock_mmap`, where `lock_mm_and_find_vma` misses it too: a bad area
 * (`bad_area`), no fault.
 */
export function lock_vma_under_rcu(cur: Current, vma: Vma, body: () => Program, opts: { readonly vmaLock?: boolean } = {}): Program {
  const { ALLOW_RETRY, TRIED, VMA_LOCK } = FAULT_FLAG, again = cur.label('lock_mmap'), done = cur.label('user_fault: done');
  const retry = retrying(cur), vmret = cur.vmret, unmappable = vma.mapped !== undefined, bad = unmappable ? bad_area(cur) : undefined;
  // lock_mm_and_find_vma: no VMA (munmap'ed) is a bad area: mmap_lock released, no fault (bad_area_nosemaphore)
  const noVma: Program = unmappable ? ifElse((s) => !find_vma(s, vma), [
    label(cur.label('bad_area')),
    step('lock_mm_and_find_vma: no VMA (bad_area_nosemaphore)', { fn: 'mm/memory.c: lock_mm_and_find_vma', then: (s) => s.set(bad!, true) }),
    mmap_read_unlock(vma.mm, cur), set_fault_flags(cur, 0), goto(done),
  ]) : [];
  const underMmap: Program = [
    label(again),
    mmap_read_lock(vma.mm, cur),
    noVma,
    body(),
    ifElse(retry, [retryWith(cur, ALLOW_RETRY | TRIED), goto(again)]),   // the handler released mmap_lock
    mmap_read_unlock(vma.mm, cur),
    set_fault_flags(cur, 0),
  ];
  // no VMA lock, or a fault from kernel mode (`vmaLock: false`): straight to lock_mmap
  if (vma.vm_lock === undefined || opts.vmaLock === false) return [set_fault_flags(cur, ALLOW_RETRY), underMmap, unmappable ? label(done) : []];
  const got = cur.local('vma_locked', int(0, 1)), failed = cur.label('vma_lock_failed');
  return [
    // mas_walk() finds no VMA (munmap'ed): lock_mmap
    unmappable ? ifElse((s) => !find_vma(s, vma), [goto(failed)]) : [],
    vma_start_read(vma, cur, got),
    // "Check if the VMA got isolated after we found it": detached meanwhile, vma_end_read and lock_mmap
    unmappable ? ifElse((s) => s.get(got) === 1 && !find_vma(s, vma), [vma_end_read(vma, cur), goto(failed)]) : [],
    ifElse((s) => s.get(got) === 1, [
      set_fault_flags(cur, ALLOW_RETRY | VMA_LOCK),
      body(),
      ifElse((s) => !retry(s), [vma_end_read(vma, cur), set_fault_flags(cur, 0), goto(done)]),
      // VM_FAULT_RETRY: the handler released the VMA lock
      ifElse((s) => (s.get(vmret) & VM_FAULT_MAJOR) !== 0, [retryWith(cur, ALLOW_RETRY | TRIED)], [retryWith(cur, ALLOW_RETRY)]),
    ], [label(failed), step('lock_vma_under_rcu failed: retry under mmap_lock', { fn: 'mm/memory.c: lock_vma_under_rcu' }), set_fault_flags(cur, ALLOW_RETRY)]),
    underMmap,
    label(done),
  ];
}
