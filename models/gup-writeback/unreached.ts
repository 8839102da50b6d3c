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
import { REFUSED, NO_SHARED_FAULT, NOT_TRUNCATED, NO_SIGBUS, NO_ORPHAN, DIRTY_AT_UNPIN, RECHECK_PASSES, BUFFERS_KEPT, BCH_ONE_PASS } from './reasons.ts';

type Params = ParamValues<typeof params>;

/** A write fault: do_shared_fault's positions come first (#1), wp_page_shared's after (#2). */
const FAULT = 'handle_mm_fault > ';

/** A write fault's do_shared_fault steps on the family's filesystem. */
const sharedFaultSteps = (p: Params): string[] => [
  ...['filemap_add_folio(A)', 'filemap_read_folio(A)', 'folio_lock(A)', 'folio_unlock(A)', 'lock_folio_maybe_drop_mmap(A): release_fault_lock', 'page_not_uptodate(A): release_fault_lock'].map((l) => `filemap_fault > ${l}`),
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

/** The audited steps (filemap_fault's VM_FAULT_RETRY positions among do_shared_fault's). */
export const mayBeUnreached = (p: Params): Record<string, string> => {
  const out: Record<string, string[]> = {};
  for (const [reason, steps] of causes(p)) for (const k of steps) (out[k] ??= []).push(reason);
  return Object.fromEntries(Object.entries(out).map(([k, rs]) => [k, rs.join('; ')]));
};

