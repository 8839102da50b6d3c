/**
 * get_user_pages / pin_user_pages (mm/gup.c) on one folio of a shared file mapping, and the
 * release of what they took.
 *
 * - Flags: `FOLL_PIN` (a pin `folio_maybe_dma_pinned` sees) or `FOLL_GET` (a plain reference
 *   it does not), `FOLL_WRITE`, `FOLL_LONGTERM`: `foll('pin+longterm+write')`.
 * - Slow path (`__get_user_pages`): under `mmap_read_lock`, `check_vma_flags` (which refuses a
 *   long-term writable pin of a dirty-tracked file mapping when `writable_file_mapping_allowed`
 *   says so), then `follow_page_pte` — the PTE checked and the folio grabbed in one step under
 *   the PTL — and, when the PTE does not allow the access, `faultin_page` (a fault) and retry.
 *   `faultin_page` passes `FAULT_FLAG_ALLOW_RETRY` only with `FOLL_UNLOCKABLE` — set by
 *   `get_user_pages_unlocked`, `pin_user_pages_unlocked` and the GUP-fast fallback
 *   (`gup_fast_fallback` → `__gup_longterm_locked(…, &locked = 0, FOLL_UNLOCKABLE)`), not by
 *   `get_user_pages` / `pin_user_pages` (the caller's mmap_lock, `locked == NULL`). With it, a
 *   fault that released mmap_lock returns VM_FAULT_RETRY: `faultin_page` gives -EBUSY with
 *   `*locked = 0`, and `__get_user_pages_locked` takes `mmap_read_lock` again and redoes the
 *   page with `FOLL_TRIED` (`FAULT_FLAG_TRIED`: the retry waits holding mmap_lock). Each
 *   `__get_user_pages` call looks the VMA up first (`gup_vma_lookup`): a VMA unmapped
 *   (`munmap`) while the fault had released mmap_lock is -EFAULT.
 * - GUP-fast (`gup_fast_pte_range`), lockless, as three steps: read the PTE, grab the folio,
 *   re-check the PTE (and `gup_fast_folio_allowed`); a failure drops the reference and falls
 *   back to the slow path, or with `FOLL_FAST_ONLY` (`get_user_pages_fast_only`) gives up.
 * - `unpin_user_pages_dirty_lock`: a folio not dirty is locked, marked dirty (no
 *   `->page_mkwrite`: the filesystem is not told) and unlocked; then the pin is dropped. For a
 *   page the page cache no longer holds (truncated or invalidated while pinned: an orphan) the
 *   dirtying reaches nothing the filesystem will write.
 *
 * The result (0 or -EFAULT) goes to `cur.local('gup_ret')`.
 */
import { int, bool } from '../model/domain.ts';
import { call, goto, ifElse, label, ret, step, type Node, type Program } from '../model/program.ts';
import { add, folio_lock_held, folio_unlock_held, has, remove, trace, type Folio } from './folio.ts';
import { dirtyFolioOf } from './mapping.ts';
import { FAULT_FLAG, handle_mm_fault, retrying, set_fault_flags, type FaultHandler } from './fault.ts';
import { find_vma, mmap_read_lock, mmap_read_unlock, pteOf, PTE, type Vma } from './mm.ts';
import { VM_FAULT_SIGBUS, type Current } from './current.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { Mutex } from './mutex.ts';
import type { State } from '../model/state.ts';

export const EFAULT = -14;

export interface Foll { readonly pin: boolean; readonly write: boolean; readonly longterm: boolean }

/** `'pin+longterm+write'` → FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE; `get` is FOLL_GET. */
export const foll = (flags: string): Foll => {
  const f = new Set(flags.split('+'));
  return { pin: f.has('pin'), write: f.has('write'), longterm: f.has('longterm') };
};

export const follText = (f: Foll): string => [f.pin ? 'FOLL_PIN' : 'FOLL_GET', ...(f.longterm ? ['FOLL_LONGTERM'] : []), ...(f.write ? ['FOLL_WRITE'] : [])].join('|');

/** The set a grab of `flags` adds to: pins or plain references. */
const grabSet = (f: Folio, flags: Foll): Var => (flags.pin ? f.pins : f.refs);
/** `try_grab_folio()`: the caller now holds a pin (or reference) on the folio. */
export const grab = (s: State, f: Folio, flags: Foll, a: ActorRef): State => add(s, grabSet(f, flags), a);
/** `gup_put_folio()`. */
export const ungrab = (s: State, f: Folio, flags: Foll, a: ActorRef): State => remove(s, grabSet(f, flags), a);

/** The PTE allows the access without a fault (`can_follow_write_pte` for writes). */
const followable = (s: State, vma: Vma, f: Folio, flags: Foll): boolean => {
  const pte = s.get(pteOf(vma, f));
  return pte !== PTE.absent && (!flags.write || pte === PTE.rw);
};

export interface GupOptions {
  /** `slow` (`__get_user_pages`), `fast` (GUP-fast, falling back to the slow path) or `fast_only` (`FOLL_FAST_ONLY`). */
  readonly path?: 'slow' | 'fast' | 'fast_only';
  /** `vm_ops->fault` for `faultin_page` (default filemap_fault). */
  readonly fault?: FaultHandler;
  /** `FOLL_NOFAULT`: a PTE that needs a fault ends the call with -EFAULT instead. */
  readonly nofault?: boolean;
  /** `writable_file_mapping_allowed()` refuses FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE on a dirty-tracked file mapping (merged in 6.5). */
  readonly refuseLongtermWrite?: boolean;
  /**
   * `FOLL_UNLOCKABLE`: the fault may release mmap_lock and GUP re-takes it and retries (see the
   * header). Default: true on the GUP-fast fallback (`path: 'fast'`), false on `path: 'slow'`
   * (`pin_user_pages`); true there is `pin_user_pages_unlocked` / `get_user_pages_unlocked`.
   */
  readonly unlockable?: boolean;
  /** The frame name in traces (default `pin_user_pages` / `get_user_pages`, with `_fast` on the fast paths). */
  readonly frame?: string;
  /**
   * What a successful grab hands the caller, for schemes that change it (a bounce copy instead
   * of the folio); default `try_grab_folio` / `gup_put_folio` on the folio.
   */
  readonly grab?: { readonly take: (s: State) => State; readonly drop: (s: State) => State };
}

/**
 * GUP of folio `f` through `vma` with `flags`: on success the caller holds a pin (FOLL_PIN) or a
 * reference (FOLL_GET) and `cur.local('gup_ret')` is 0; otherwise it is -EFAULT.
 */
export function get_user_pages(cur: Current, vma: Vma, f: Folio, flags: Foll, opts: GupOptions = {}): Node {
  const result = cur.local('gup_ret', int(EFAULT, 0)), seen = cur.local('pte_seen', bool());
  const mm = vma.mm, follow = cur.label('follow_page'), lookup = cur.label('gup_vma_lookup');
  const refuse = flags.pin && flags.longterm && flags.write && opts.refuseLongtermWrite === true;
  const take = opts.grab?.take ?? ((s: State) => grab(s, f, flags, cur)), drop = opts.grab?.drop ?? ((s: State) => ungrab(s, f, flags, cur));
  const unlockable = opts.unlockable ?? opts.path === 'fast';
  // faultin_page: FOLL_UNLOCKABLE → FAULT_FLAG_ALLOW_RETRY (FOLL_TRIED → FAULT_FLAG_TRIED); vmf->flags back to 0 when GUP returns
  const unlock: Program = [mmap_read_unlock(mm, cur), unlockable ? set_fault_flags(cur, 0) : []];
  const slow: Program = [
    mmap_read_lock(mm, cur),
    refuse ? [step('check_vma_flags: writable_file_mapping_allowed() = false', { fn: 'mm/gup.c: check_vma_flags' }), mmap_read_unlock(mm, cur), ret(EFAULT)] : [],
    unlockable ? set_fault_flags(cur, FAULT_FLAG.ALLOW_RETRY) : [],
    label(lookup),
    // __get_user_pages: gup_vma_lookup() under mmap_lock (again after a retry re-took it); an unmapped VMA is -EFAULT
    vma.mapped === undefined ? [] : ifElse((s) => !find_vma(s, vma), [label(cur.label('no_vma')), step('gup_vma_lookup() = NULL: -EFAULT', { fn: 'mm/gup.c: gup_vma_lookup' }), unlock, ret(EFAULT)]),
    label(follow),
    step(`follow_page_pte(${f.name})`, {
      fn: 'mm/gup.c: follow_page_pte',
      sleeps: true,   // __get_user_pages: cond_resched(), and a fault may follow
      then: (s) => (followable(s, vma, f, flags) ? take(s).set(seen, true) : s.set(seen, false)),
    }),
    ifElse((s) => !s.test(seen), opts.nofault ? [unlock, ret(EFAULT)] : [
      handle_mm_fault(cur, vma, f, { write: flags.write, fault: opts.fault }),   // faultin_page()
      ifElse((s) => s.get(cur.vmret) === VM_FAULT_SIGBUS, [unlock, ret(EFAULT)]),
      // VM_FAULT_RETRY: -EBUSY, *locked = 0; __get_user_pages_locked: mmap_read_lock again, FOLL_TRIED
      unlockable ? ifElse(retrying(cur), [
        set_fault_flags(cur, FAULT_FLAG.ALLOW_RETRY | FAULT_FLAG.TRIED), call('vm_fault_t', [ret(0)], { result: cur.vmret }),
        mmap_read_lock(mm, cur), goto(lookup),
      ]) : [],
      goto(follow),
    ]),
    unlock,
    ret(0),
  ];
  const fast: Program = [
    step('gup_fast_pte_range: read PTE', { fn: 'mm/gup.c: gup_fast_pte_range', then: (s) => s.set(seen, followable(s, vma, f, flags)) }),
    ifElse((s) => s.test(seen), [
      step('try_grab_folio_fast', { fn: 'mm/gup.c: try_grab_folio_fast', then: take }),
      // the PTE changed under us, or gup_fast_folio_allowed() refuses a file-backed PIN|LONGTERM|WRITE: drop and fall back
      step('gup_fast: re-check PTE', {
        fn: 'mm/gup.c: gup_fast_pte_range',
        then: (s) => (followable(s, vma, f, flags) && !(flags.pin && flags.longterm && flags.write) ? s : drop(s).set(seen, false)),
      }),
    ]),
    ifElse((s) => !s.test(seen), opts.path === 'fast_only' ? [ret(EFAULT)] : slow, [ret(0)]),
  ];
  const viaFast = opts.path === 'fast' || opts.path === 'fast_only';
  const frame = opts.frame ?? `${flags.pin ? 'pin_user_pages' : 'get_user_pages'}${viaFast ? '_fast' : ''}`;
  return call(frame, viaFast ? fast : slow, { result });
}

/** `pin_user_pages()` (mm/gup.c): FOLL_PIN plus `flags` (`'write'`, `'longterm+write'`), the slow path. */
export const pin_user_pages = (cur: Current, vma: Vma, f: Folio, flags: string, opts: Omit<GupOptions, 'path'> = {}): Node =>
  get_user_pages(cur, vma, f, foll(`pin+${flags}`), { ...opts, path: 'slow' });

/** `pin_user_pages_fast()` (mm/gup.c): GUP-fast, falling back to the slow path. */
export const pin_user_pages_fast = (cur: Current, vma: Vma, f: Folio, flags: string, opts: Omit<GupOptions, 'path'> = {}): Node =>
  get_user_pages(cur, vma, f, foll(`pin+${flags}`), { ...opts, path: 'fast' });

/** `get_user_pages_fast()` (mm/gup.c): FOLL_GET, GUP-fast with the slow-path fallback. */
export const get_user_pages_fast = (cur: Current, vma: Vma, f: Folio, flags: string, opts: Omit<GupOptions, 'path'> = {}): Node =>
  get_user_pages(cur, vma, f, foll(`get+${flags}`), { ...opts, path: 'fast' });

/** `get_user_pages_fast_only()` (mm/gup.c): FOLL_FAST_ONLY, no fallback: -EFAULT if GUP-fast cannot take the page. */
export const get_user_pages_fast_only = (cur: Current, vma: Vma, f: Folio, flags: string, opts: Omit<GupOptions, 'path'> = {}): Node =>
  get_user_pages(cur, vma, f, foll(`get+${flags}`), { ...opts, path: 'fast_only' });

/** The caller holds a GUP reference to a page the page cache no longer holds. */
export const holdsOrphan = (s: State, f: Folio, a: ActorRef): boolean => has(s, f.orphans, a);

/**
 * `unpin_user_page()` / `put_page()`: the pin or reference (on the folio, or on an orphan) is
 * dropped; the last reference to an orphan frees it (its flags go with it).
 */
export const unpin_user_page = (f: Folio, cur: ActorRef, flags: Foll): Node =>
  step(`unpin_user_page(${f.name})`, {
    fn: flags.pin ? 'mm/gup.c: unpin_user_page' : 'include/linux/mm.h: folio_put',
    then: (s) => {
      if (!has(s, f.orphans, cur)) return ungrab(s, f, flags, cur);
      const t = remove(s, f.orphans, cur);
      return t.get(f.orphans) === 0 ? t.set(f.orphanDirty, false) : t;
    },
  });

/** The lock of the page the caller holds by GUP: the cached folio's, or the removed folio's own. */
const heldLock = (s: State, f: Folio, cur: ActorRef): Mutex => (holdsOrphan(s, f, cur) ? f.orphanLock : f.lock);

/** `folio_test_dirty()` of the page the caller holds by GUP (an orphan has its own PG_dirty). */
export const held_page_dirty = (s: State, f: Folio, cur: ActorRef): boolean => s.test(holdsOrphan(s, f, cur) ? f.orphanDirty : f.dirty);

/**
 * `folio_lock()` / `folio_unlock()` of the page the caller holds by GUP. Truncation removes the
 * folio from the page cache, not from its holders: an orphan is the same folio, locked by the
 * remover until its `folio_unlock` (mm/truncate.c: `truncate_inode_pages_range` unlocks after
 * `truncate_inode_folio`), so the holder waits for that; other holders of the orphan contend
 * with it too. A folio later created in the same slot has a lock of its own.
 */
export const lock_held_page = (f: Folio, cur: ActorRef): Node => folio_lock_held(f, cur, (s) => heldLock(s, f, cur));
export const unlock_held_page = (f: Folio, cur: ActorRef): Node => folio_unlock_held(f, cur);

/**
 * `folio_mark_dirty()` of the page the caller holds by GUP (no `->page_mkwrite`): the cached
 * folio dirtied, or — a folio without a mapping (`noop_dirty_folio`) — the orphan's PG_dirty
 * set, a dirtying committed to no file (`orphan_commit`).
 */
export const mark_held_page_dirty = (f: Folio, cur: ActorRef, label: string, fn: string): Node =>
  step(label, { fn, then: (s) => (holdsOrphan(s, f, cur) ? trace(f, 'orphan_commit', s.set(f.orphanDirty, true), cur.id) : s.set(f.dirty, true)) });

/**
 * `unpin_user_pages_dirty_lock(…, make_dirty)` (mm/gup.c): the page dirtied under its lock if it
 * is not dirty (no `->page_mkwrite`), then unpinned. The dirtying is `folio_mark_dirty()`: the
 * folio's mapping's `->dirty_folio` (the file's filesystem record: `ext4_dirty_folio`,
 * `filemap_dirty_folio`, a model's own); an orphan's (`noop_dirty_folio`, no mapping) reaches no
 * file. The folio lock held, truncation cannot orphan the page between the test and the call.
 */
export function unpin_user_pages_dirty_lock(f: Folio, cur: ActorRef, flags: Foll, makeDirty: boolean): Program {
  const fn = 'mm/gup.c: unpin_user_pages_dirty_lock';
  if (!makeDirty) return unpin_user_page(f, cur, flags);
  const held = mark_held_page_dirty(f, cur, `folio_mark_dirty(${f.name})`, fn), dirty_folio = dirtyFolioOf(f);
  return [
    ifElse((s) => !held_page_dirty(s, f, cur), [
      lock_held_page(f, cur),
      dirty_folio === undefined ? held : ifElse((s) => holdsOrphan(s, f, cur), [held], dirty_folio(f)),
      unlock_held_page(f, cur),
    ]),
    unpin_user_page(f, cur, flags),
  ];
}

/** A write into the page the caller holds by GUP — the CPU through the kernel mapping, or the device's DMA. */
export const write_pinned = (f: Folio, cur: ActorRef, label: string, fn: string, when?: (s: State) => boolean): Node =>
  step(`${label}(${f.name})`, {
    fn,
    ...(when ? { when } : {}),
    then: (s) => trace(f, has(s, f.orphans, cur) ? 'orphan_write' : 'write', s, cur.id),
  });
