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
import { mayBeUnreached } from './unreached.ts';
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
  mayBeUnreached,
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
