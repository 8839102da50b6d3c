/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (outer frames left out), `#n` in
 * program order where positions share path and label (`FAULT`, `wbUnlock`).
 *
 * Each reason is declared under the parameters that make it true, checked on the scenario rows
 * that exhaust the space (S-2, S-3b, S-5, S-6 in models/scenarios.ts): in each of them the race
 * the row is about is in the explored runs — writeback's `folio_mkclean` runs while the pin is
 * held (S-3b, S-5, S-6), a user store finds its PTE write-protected again and faults into
 * `->page_mkwrite` a second time (all four), the pin is refused (S-2).
 */
import type { ParamValues } from '../../src/model/params.ts';
import { foll } from '../../src/kernel/gup.ts';
import type { params } from './params.ts';
import { retrySteps } from '../retry-steps.ts';

type Params = ParamValues<typeof params>;

/** check_vma_flags() refuses the pin: nothing the holder would do with it runs. */
const REFUSED = 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs';

/** No actor zaps the PTE: every write fault is do_wp_page. */
const NO_SHARED_FAULT = "the PTE is never absent: the mapping starts RO-clean and only unmap_mapping_range (punch) or try_to_unmap (reclaim) would zap it, neither of which runs here, so every write fault is do_wp_page → wp_page_shared (mm/memory.c), and do_shared_fault — filemap_fault's lookup, lock and read, its own ->page_mkwrite, finish_fault writable, fault_dirty_shared_page — never runs";

/** Nothing takes the folio out of the page cache: ->page_mkwrite never sees it truncated. */
const NOT_TRUNCATED = "nothing takes the folio out of the page cache (no punch, no reclaim): ->page_mkwrite never finds folio->mapping != mapping, so its truncation exit (folio_unlock, the filesystem's own lock dropped, VM_FAULT_NOPAGE and the fault retried) never runs";

/** faultin_page's -EFAULT exit: filemap_fault never fails here. */
const NO_SIGBUS = "faultin_page's -EFAULT exit after VM_FAULT_SIGBUS (mm/gup.c) never runs: the GUP faults go through do_wp_page, which does not call ->fault, and the family's ->fault is filemap_fault, which here always returns the folio locked (the folio is within i_size)";

/** No truncation: the pinned page never becomes an orphan. */
const NO_ORPHAN = "no punch: the pinned page never leaves the page cache, so unpin_user_pages_dirty_lock's dirtying of a page with no mapping (folio_mark_dirty → noop_dirty_folio: an orphan) never runs";

/** W1-ok: the folio is dirty whenever the pin is released. */
const DIRTY_AT_UNPIN = "the folio is dirty whenever the pin holder releases it, so unpin_user_pages_dirty_lock (mm/gup.c: `if (!folio_test_dirty(folio))`) never locks and dirties it: FOLL_WRITE pins only through a writable PTE (can_follow_write_pte), ->page_mkwrite made it writable after dirtying the folio, and W1-ok waits for the pins after folio_mkclean, before folio_clear_dirty_for_io (W0 runs it: S-1)";

/** folio_prepare_writeback's recheck under the folio lock always passes. */
const RECHECK_PASSES = "folio_prepare_writeback's recheck under the folio lock (mm/page-writeback.c: folio->mapping, folio_test_dirty, folio_test_writeback under WB_SYNC_NONE) always passes, so its unlock-and-skip never runs: nothing removes the folio (no punch, no reclaim), only this writeback clears PG_dirty, and it ends its own PG_writeback before it leaves the folio";

/** ext4: the folio keeps its buffers. */
const BUFFERS_KEPT = "the folio keeps its buffers: only reclaim's ->release_folio (try_to_free_buffers) or a new folio after a punch (filemap_add_folio) has none, and neither runs here, so mpage_prepare_extent_to_map's \"does not have buffers attached\" skip (fs/ext4/inode.c, the W-b report) never runs (reclaim without fix_reclaim_skip_pinned and passes=2 reach it)";

/** bcachefs: one pass sees only folios bch2_page_mkwrite dirtied. */
const BCH_ONE_PASS = "one writeback pass (passes=1): every folio it finds dirty was dirtied by bch2_page_mkwrite, which set its sectors dirty, and the dirtying without them — unpin_user_pages_dirty_lock's folio_mark_dirty after the pass cleaned the folio — only a second pass finds, so __bch2_writepage's \"no dirty sectors, nothing written\" (fs/bcachefs/fs-io-buffered.c) never runs here (passes=2 reaches it)";

/** A write fault: do_shared_fault's positions come first (#1), wp_page_shared's after (#2). */
const FAULT = 'handle_mm_fault > ';

/** A write fault's do_shared_fault steps on the family's filesystem. */
const sharedFaultSteps = (p: Params): string[] => [
  ...['filemap_add_folio(A)', 'filemap_read_folio(A)', 'folio_lock(A)', 'folio_unlock(A)'].map((l) => `filemap_fault > ${l}`),
  ...(p.fs === 'ext4' ? ['ext4_page_mkwrite#1'] : ['bch2_page_mkwrite#1', 'bch2_pagecache_add_get(A)#1', 'bch2_pagecache_add_put(A)#1', 'bch2_pagecache_add_put(A)#2']).map((l) => FAULT + l),
  // the unlock after ->fault (#1) and ->page_mkwrite's truncation exit (#2)
  ...['fault_dirty_shared_page(A): unlock#1', 'finish_fault(A): map writable', 'folio_lock(A)#1', 'folio_unlock(A)#1', 'folio_unlock(A)#2', 'folio_wait_stable(A)#1'].map((l) => FAULT + l),
];

/** `->page_mkwrite`'s truncation exits (folio_unlock #2, #3; bcachefs's unwind: add_put #1, #3). */
const truncationExits = (p: Params): string[] =>
  ['folio_unlock(A)#2', 'folio_unlock(A)#3', ...(p.fs === 'bcachefs' ? ['bch2_pagecache_add_put(A)#1', 'bch2_pagecache_add_put(A)#3'] : [])].map((l) => FAULT + l);

/** Each pass's folio_unlock(A) after the recheck (1) or the branch that writes nothing (2), of three. */
const wbUnlock = (p: Params, which: 1 | 2): string[] => Array.from({ length: p.passes }, (_, k) => `writeback: folio_unlock(A)#${which + 3 * k}`);

/** Each reason, with the steps it is about, when the parameters make it true. */
function causes(p: Params): [reason: string, steps: string[]][] {
  const flags = foll(p.pin_flags), holder = p.dev_mode === 'pin' ? ['pinner'] : [];
  const refused = flags.pin && flags.longterm && flags.write && p.fix_longterm_refuse;
  const faulters = [...(p.user ? ['user'] : []), ...(refused ? [] : holder)];
  const stays = p.truncate === 'none' && !p.reclaim;
  const of = (actors: readonly string[], labels: readonly string[]): string[] => actors.flatMap((a) => labels.map((l) => `${a}: ${l}`));
  // the pin holder's own steps are top-level (unpin_user_pages_dirty_lock: folio_mark_dirty #1 an orphan's, #2 the mapping's)
  return [
    [REFUSED, refused ? of(holder, ['folio_lock(A)', 'folio_mark_dirty(A)', 'folio_unlock(A)', 'kwrite(A)', 'unpin_user_page(A)']) : []],
    [NO_SHARED_FAULT, stays ? of(faulters, sharedFaultSteps(p)) : []],
    [NOT_TRUNCATED, stays ? of(faulters, truncationExits(p)) : []],
    [NO_SIGBUS, refused ? [] : of(holder, ['pin_user_pages > mmap_read_unlock#1'])],
    [NO_ORPHAN, p.truncate === 'none' && !refused ? of(holder, ['folio_mark_dirty(A)#1']) : []],
    [DIRTY_AT_UNPIN, p.wb === 'w1_ok' && flags.pin && flags.write && !refused && stays && p.unpin === 'dirty_lock' && p.gup_bounce === 'off'
      ? of(holder, ['folio_lock(A)', 'folio_mark_dirty(A)', 'folio_unlock(A)']) : []],
    [RECHECK_PASSES, stays ? wbUnlock(p, 1) : []],
    [BUFFERS_KEPT, p.fs === 'ext4' && stays ? ['writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)', ...wbUnlock(p, 2)] : []],
    [BCH_ONE_PASS, p.fs === 'bcachefs' && p.passes === 1 && stays ? ['writeback: __bch2_writepage: no dirty sectors, nothing written', ...wbUnlock(p, 2)] : []],
  ];
}

const audited = (p: Params): Record<string, string> => {
  const out: Record<string, string[]> = {};
  for (const [reason, steps] of causes(p)) for (const k of steps) (out[k] ??= []).push(reason);
  return Object.fromEntries(Object.entries(out).map(([k, rs]) => [k, rs.join('; ')]));
};

/** The audited steps, and the steps of VM_FAULT_RETRY that never fire here (`retrySteps`). */
export const mayBeUnreached = (p: Params): Record<string, string> => ({ ...retrySteps('A'), ...audited(p) });
