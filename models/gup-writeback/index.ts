/**
 * GUP vs writeback: a GUP pin holder writes a file folio behind writeback's back (Lorenzo
 * Stoakes' four steps; the stable-pages and ext4-warning reports; the fixes proposed).
 *
 * One file of one folio, cached, uptodate, clean, buffers attached, mapped MAP_SHARED
 * read-only. Actors (one file each): `user` stores through the mapping; the pin holder
 * (`pinner`, or `device` for ODP and revocable pins) takes a GUP reference, writes the page and
 * releases it; `writeback` runs the chosen scheme; optionally `application` (deregisters a
 * long-term pin, whenever it likes), `mprotect` (an mmap_lock writer), `reclaim`, `punch`.
 * The switches are in params.ts, each value with its doc.
 */
import { defineModel, NONE, sometimes, terminates, type Property, type State } from '../../src/index.ts';
import { EFAULT } from '../../src/kernel/gup.ts';
import { folio_maybe_dma_pinned } from '../../src/kernel/folio.ts';
import { pteOf, PTE } from '../../src/kernel/mm.ts';
import { cleanedWhilePinned, p1, p2, p3, p4, pinnedUnderWriteback, wa, waPrime } from '../../properties/page-cache.ts';
import { params } from './params.ts';
import { world } from './world.ts';
import { user } from './user.ts';
import { pinner } from './pinner.ts';
import { writeback } from './writeback.ts';
import { application, mprotect, punch, reclaim } from './others.ts';
import { bounceGhosts, lostUpdate } from './bounce.ts';

export default defineModel({
  name: 'gup-writeback',
  doc: 'a GUP pin holder writes a file folio behind writeback (S-1..S-6)',
  params,
  // the scenario rows S-2, S-3b, S-5 and S-6 (models/scenarios.ts), by their parameters
  mayBeUnreached: (p): Record<string, string> => (p.pin_flags === 'pin+longterm+write' && p.fix_longterm_refuse && p.wb === 'w0' ? {
      "pinner: folio_lock(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: folio_mark_dirty(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: folio_unlock(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: kwrite(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "pinner: unpin_user_page(A)": 'check_vma_flags() refuses FOLL_LONGTERM|FOLL_WRITE with -EFAULT (fix_longterm_refuse): the pin is never taken, so nothing the pin holder does with it runs',
      "user: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
    }
    : p.fs === 'bcachefs' && p.wb === 'w0' ? {
      "pinner: bch2_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: bch2_pagecache_add_get(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: bch2_pagecache_add_put(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: mmap_read_unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: bch2_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: bch2_pagecache_add_get(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: bch2_pagecache_add_put(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: __bch2_writepage: no dirty sectors, nothing written": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
    }
    : p.wb === 'w1_ok' && p.pin_lifetime === 'short' && p.pin_flags === 'pin+write' ? {
      "pinner: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_mark_dirty(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: mmap_read_unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
    }
    : p.wb === 'w1_ok' && p.pin_lifetime === 'long' ? {
      "pinner: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_mark_dirty(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "pinner: mmap_read_unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: ext4_page_mkwrite": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: fault_dirty_shared_page(A): unlock": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_add_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: filemap_read_folio(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: finish_fault(A): map writable": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_lock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "user: folio_wait_stable(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: folio_unlock(A)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, data dropped (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
      "writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)": 'not yet audited: never fires in this configuration (listed by step coverage; to be removed, made reachable or explained)',
    }
    : {}),
  setup(p, sys) {
    const w = world(sys, p), f = w.f;
    const bounce = w.bounces ? bounceGhosts(sys, w) : undefined;

    const storer = p.user ? sys.task('user', user(w)) : undefined;
    const pin = pinner(w, bounce);
    const holder = sys.task(p.dev_mode === 'pin' ? 'pinner' : 'device', pin.build);
    if (p.pin_lifetime === 'long') sys.task('application', application(w), { fairness: 'none' });
    const wb = sys.task('writeback', writeback(w));
    if (p.mm_writer === 'present') sys.task('mprotect', mprotect(w));
    if (p.reclaim) sys.task('reclaim', reclaim(w));
    if (p.truncate === 'punch') sys.task('punch', punch(w));

    const properties: Property[] = [
      p1(w.content), ...(p.stable_writes ? [p2(w.content)] : []), p3(f), p4(w.content),
      terminates(wb, 'L1 writeback eventually completes'),
      ...(bounce ? [lostUpdate(bounce)] : []),
      ...(p.fs === 'ext4' ? [wa(f), waPrime(f)] : []),
    ];

    // the racy window each variant must reach, so that a "holds" is not hollow: the first that applies
    const at = (label: string) => (s: State): boolean => s.at(wb, label);
    const windows: (Property | undefined)[] = [
      w.flags.pin && w.flags.longterm && w.flags.write && p.fix_longterm_refuse
        ? sometimes('the long-term writable pin is refused', (s) => s.done(holder) && s.get(pin.result()) === EFAULT) : undefined,
      bounce ? sometimes('writeback runs while the pinner holds a bounce copy', (s) => s.test(w.copy) && s.get(f.writeback) !== NONE) : undefined,
      p.dev_mode === 'revocable' && w.flags.longterm ? sometimes('writeback revokes a pin', at('revoke')) : undefined,
      p.wb === 'w2' ? sometimes(`writeback ${p.wb_sync === 'none' ? 'skips' : 'bounces'} a pinned folio`, at(p.wb_sync === 'none' ? 'skip' : 'bounce')) : undefined,
      p.wb === 'w1_ok' || p.wb === 'w1_bad' ? sometimes('writeback waits for a pinned folio', (s) => s.at(wb, 'wait_pins') && folio_maybe_dma_pinned(s, f)) : undefined,
      p.dev_mode === 'odp' ? sometimes('writeback write-protects the page under an ODP device about to write', (s) => s.at(holder, 'dma') && s.get(pteOf(w.vma, f)) === PTE.ro) : undefined,
    ];
    const window = windows.find((x) => x !== undefined);
    return [
      ...properties,
      ...(window ? [window] : [pinnedUnderWriteback(f), cleanedWhilePinned(f)]),
      ...(p.truncate === 'punch' ? [sometimes('the punch orphans a pinned page', (s) => s.get(f.orphans) !== 0)] : []),
      ...(storer && w.vma.vm_lock ? [sometimes("a user fault falls back to mmap_lock (the VMA is write-locked)", (s) => s.at(storer, 'vma_lock_failed'))] : []),
    ];
  },
});
