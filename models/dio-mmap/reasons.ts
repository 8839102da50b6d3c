/**
 * Why a step of Kent's scheme (fault_lock=pagecache_kent, dio=d2) never fires: one cause per
 * function, worded for the task and files it is about (unreached.ts assigns them).
 */

/** The write of a dirty folio inside `filemap_write_and_wait_range` (write_cache_pages → `__bch2_writepage`). */
export const dirty = (x: string): string =>
  `nothing dirties ${x}: the DIOs take read pins on their buffers (a DIO write reads user memory), their faults map read-only (do_read_fault) and no buffered write runs, so write_cache_pages finds ${x} clean and never writes it (folio_lock, folio_mkclean, folio_clear_dirty_for_io, folio_start_writeback or __bch2_writepage's no-dirty-sectors discard, folio_unlock, folio_end_writeback, then filemap_write_and_wait_range's folio_wait_writeback)`;

/** `bch2_dio_write_loop`'s second invalidation, after `fdm_dropped_locks()`. */
export const noDrop = (task: string, x: string, y: string): string =>
  `${task} never drops ${x}'s block lock: its buffer maps ${y}, ${y === x
    ? `its own file, and bch2_page_fault answers a fault on faults_disabled_mapping itself with VM_FAULT_SIGBUS without dropping anything`
    : `above ${x} in address order, so bch2_page_fault takes ${y}'s add lock in order (blocking) and never the trylock-and-drop branch`}: fdm_dropped_locks() stays false and bch2_dio_write_loop's re-invalidation after dropped locks (writeback_iter, invalidate_inode_pages2_range, folio_lock, folio_wait_writeback, invalidate_complete_folio2, folio_unlock) never runs`;

/** The first invalidation, in `bch2_direct_write`, when the folio is never in the page cache. */
export const neverCached = (x: string, mapped: boolean): string =>
  `${x} is never in the page cache: it starts uncached (cached=false) and no fault adds it (${mapped
    ? `the only buffers mapping ${x} are those of DIOs to ${x} itself, and bch2_page_fault refuses their faults with VM_FAULT_SIGBUS, faults_disabled_mapping being ${x}`
    : `no buffer maps ${x}`}), so bch2_write_invalidate_inode_pages_range finds no page (mapping->nrpages == 0) and neither writes back nor invalidates: writeback_iter, invalidate_inode_pages2_range and their folio steps never run`;

/** The in-order, blocking `bch2_pagecache_add_get` of a task whose buffer's file is below its own. */
export const outOfOrderOnly = (task: string, x: string, y: string): string =>
  `${task} faults on ${y} only from its DIO, with faults_disabled_mapping = ${x}, above ${y}: bch2_page_fault always takes the lock-ordering branch (bch2_pagecache_add_tryget, and when it fails the drop-and-wait bch2_pagecache_add_get / bch2_pagecache_add_put, which do fire) and never the in-order blocking bch2_pagecache_add_get before filemap_fault`;

/** GUP's exit after a SIGBUS, for a task whose fault never gets one. */
export const noSigbus = (task: string, x: string, y: string): string =>
  `${task}'s fault on ${y} never returns VM_FAULT_SIGBUS (faults_disabled_mapping is ${x}: not ${y}, and below it, so no trylock-and-drop): get_user_pages never leaves by its SIGBUS exit (mmap_read_unlock, -EFAULT); the exit after a successful follow_page_pte fires`;

/** A DIO from a mapping of its own file (the same-mapping fdm check): the fault is refused, the write fails. */
export const ownSigbus = (x: string): string =>
  `bch2_page_fault returns VM_FAULT_SIGBUS at once on the DIO's own mapping (faults_disabled_mapping == ${x}), before taking the add lock: bch2_pagecache_add_get/put, filemap_fault (filemap_add_folio, folio_lock, filemap_read_folio, folio_unlock), finish_fault and the unlock after it never run`;
export const ownGupExit = (x: string): string =>
  `the fault on ${x}'s own mapping always returns VM_FAULT_SIGBUS: get_user_pages always leaves by its SIGBUS exit (mmap_read_unlock, -EFAULT), never by the one after a successful follow_page_pte`;
export const ownEfault = (x: string): string =>
  `GUP of the DIO's own mapping of ${x} returns -EFAULT with nothing pinned (bch2_page_fault's SIGBUS), so bch2_dio_write_loop ends the write with op.error: no bio is submitted and no page unpinned (what the row asserts: the DIO returns -EFAULT)`;

export const inodeSleep = (task: string, x: string): string =>
  `no other actor takes inode_lock(${x}) here: ${task} is the only DIO to ${x}, and there is no buffered write or punch hole: inode_lock never sleeps (rwsem_down_write_slowpath)`;
