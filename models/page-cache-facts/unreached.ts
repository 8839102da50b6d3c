/**
 * The steps of this model a complete search may never fire, per configuration, with the reason
 * (step coverage: `kmc test` fails on any other step that never fired, and on a key that also
 * names a step that fires). Keys name a step by its call path (`actor: frame > … > label`, outer
 * frames left out), numbered in program order where positions share the path and label: GUP's
 * write fault (`handle_mm_fault`) is do_shared_fault (#1) then do_wp_page → wp_page_shared (#2);
 * filemap_fault's are listed in models/retry-steps.ts; shrink_folio_list unlocks
 * the folio when it is not cached (#1), under writeback (#2), pinned or dirty (#3), not released
 * (#4), and after __remove_mapping (#5).
 */
import type { ParamValues } from '../../src/model/params.ts';
import type { params } from './params.ts';
import { filemapFaultSteps, noAllowRetry, releasing } from '../retry-steps.ts';

/** orphan_lock: GUP's fault on a PTE the truncation zapped is always do_shared_fault. */
const WP_NEVER =
  'the PTE starts writable and only the truncation\'s unmap_mapping_range changes it (to absent): follow_page_pte fails only on ' +
  'an absent PTE, so faultin_page → handle_mm_fault always takes do_shared_fault, never do_wp_page → wp_page_shared';
const NO_WP = `the do_wp_page copy of GUP's write fault (its ext4_page_mkwrite, wp_page_reuse, fault_dirty_shared_page): ${WP_NEVER}; do_shared_fault's copies of the same steps fire`;

const ONE_REMOVAL =
  'the truncation removes A\'s folio once (one truncate_pagecache_range pass) and filemap_fault creates a folio only in the slot ' +
  'that removal emptied, after it: nothing removes the new folio before the fault\'s folio_lock, so the "Did it get truncated?" ' +
  'recheck after the creation (retry_find) never fails';

/** orphan_lock: the holder's "Did it get truncated?" retry after filemap_fault created the folio. */
const RETRY_AFTER_CREATE = `the folio_unlock of the "Did it get truncated?" retry after filemap_fault created the folio: ${ONE_REMOVAL}`;

/** orphan_lock: GUP's exit on VM_FAULT_SIGBUS. */
const NO_SIGBUS =
  'the mmap_read_unlock of GUP\'s VM_FAULT_SIGBUS exit (mm/gup.c: faultin_page → -EFAULT): ext4\'s ->fault (filemap_fault) keeps ' +
  'no i_size and never returns VM_FAULT_SIGBUS — a fault on the range truncate_pagecache_range emptied creates and reads the ' +
  'folio, as after a hole punch; the mmap_read_unlock after the pin fires';

/** write_short_copy: the source's refault after MADV_DONTNEED. */
const FAULT_AROUND =
  'the source\'s refault after the zap is served by fault-around: B\'s folio stays cached, uptodate and unlocked (the zap takes ' +
  'only the PTE; nobody locks or removes B), so do_read_fault maps it with filemap_map_pages and ->fault (filemap_fault: ' +
  'filemap_add_folio, folio_lock, filemap_read_folio, finish_fault, folio_unlock of B) never runs';

/** reclaim_locked: kswapd's folio_unlock(A)s. */
const RECLAIM_CLEAN_FOLIO =
  'shrink_folio_list\'s early exits after folio_trylock (not cached, under writeback, pinned or dirty, filemap_release_folio ' +
  'failing) each unlock the folio: A\'s folio stays cached, clean, unpinned and never under writeback, its buffers clean (the ' +
  'holder only locks it, nobody else touches it), so when the trylock succeeds kswapd frees it (__remove_mapping, then the ' +
  'folio_unlock that fires) and when it fails the folio is skipped (goto keep)';

/** reclaim_writeback: memcg reclaim's folio_unlock(A)s. */
const RECLAIM_AFTER_WRITEBACK =
  'shrink_folio_list\'s early exits other than case 3\'s: A\'s folio stays cached (only this reclaim removes it), is never ' +
  'dirty or pinned (the flusher only sets and ends PG_writeback), and when reclaim tries it again after folio_wait_writeback the ' +
  'writeback is over and its buffers are clean, so filemap_release_folio (try_to_free_buffers) succeeds; the folio_unlock before ' +
  'folio_wait_writeback and the one after __remove_mapping fire';


/** orphan_lock: the holder's filemap_fault. */
const HOLDER = filemapFaultSteps('A');

export const mayBeUnreached = (p: ParamValues<typeof params>): Record<string, string> =>
  ({ ...(p.case === 'orphan_lock' ? Object.fromEntries(releasing(HOLDER).map((k) => [`holder: ${k}`, noAllowRetry('holder', 'A', 'pin_user_pages')])) : {}), ...(({
    "orphan_lock": {
        "holder: handle_mm_fault > ext4_page_mkwrite#2": NO_WP,
        "holder: handle_mm_fault > fault_dirty_shared_page(A): unlock#2": NO_WP,
        "holder: handle_mm_fault > folio_lock(A)#2": NO_WP,
        "holder: handle_mm_fault > folio_unlock(A)#3": `ext4_page_mkwrite's back-off ("Page got truncated") in the do_wp_page copy: ${WP_NEVER}`,
        [`holder: ${HOLDER.missRecheck!}`]: RETRY_AFTER_CREATE,
        "holder: handle_mm_fault > folio_wait_stable(A)#2": NO_WP,
        "holder: pin_user_pages > mmap_read_unlock#1": NO_SIGBUS,
        "holder: wp_page_reuse: PTE RW-dirty": NO_WP,
      },
    "write_short_copy": {
        "write: filemap_add_folio(B)": FAULT_AROUND,
        "write: filemap_read_folio(B)": FAULT_AROUND,
        "write: finish_fault(B): map read-only": FAULT_AROUND,
        "write: folio_lock(B)": FAULT_AROUND,
        "write: lock_folio_maybe_drop_mmap(B): release_fault_lock": FAULT_AROUND,
        "write: page_not_uptodate(B): release_fault_lock": FAULT_AROUND,
        "write: generic_perform_write > folio_unlock(A)#1": 'the folio_unlock of generic_perform_write\'s "truncated while we waited" recheck after it locks A\'s folio: nothing removes A\'s folio in this case; the folio_unlock after ->write_end fires',
        "write: folio_unlock(B)": FAULT_AROUND,
      },
    "reclaim_locked": {
        "kswapd: shrink_folio_list > folio_unlock(A)#1": RECLAIM_CLEAN_FOLIO,
        "kswapd: shrink_folio_list > folio_unlock(A)#2": RECLAIM_CLEAN_FOLIO,
        "kswapd: shrink_folio_list > folio_unlock(A)#3": RECLAIM_CLEAN_FOLIO,
        "kswapd: shrink_folio_list > folio_unlock(A)#4": RECLAIM_CLEAN_FOLIO,
      },
    "reclaim_writeback": {
        "memcg_reclaim: shrink_folio_list > folio_unlock(A)#1": RECLAIM_AFTER_WRITEBACK,
        "memcg_reclaim: shrink_folio_list > folio_unlock(A)#3": RECLAIM_AFTER_WRITEBACK,
        "memcg_reclaim: shrink_folio_list > folio_unlock(A)#4": RECLAIM_AFTER_WRITEBACK,
      },
  } as Partial<Record<string, Record<string, string>>>)[p.case] ?? {}) });
