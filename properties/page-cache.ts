/**
 * Page-cache properties of the brief §4 over one folio: P1 write-notify, P2 stable pages,
 * P3 dirtying without the filesystem (with ext4's own WARNs), P4 no data dropped by writeback,
 * plus the witnesses that keep a "holds" from being hollow.
 */
import { NONE, never, sometimes, transition, type Property } from '../src/index.ts';
import { folio_maybe_dma_pinned, type Folio } from '../src/kernel/folio.ts';

/** P1: the folio's memory only changes while it is dirty and the fs was notified (mkwrite/write_begin). */
export const p1 = (f: Folio): Property =>
  transition('P1 no write to a clean write-protected folio', ({ before, after }) =>
    before.get(f.content) === after.get(f.content) || (before.test(f.dirty) && before.test(f.prepared)));

/** P2: a folio under writeback keeps the content that was submitted (checksums, DIF). */
export const p2 = (f: Folio): Property =>
  never('P2 stable pages: modified under writeback', (s) =>
    s.test(f.writeback) && !s.test(f.bounced) && s.get(f.content) !== s.get(f.wbSnap));

/** P3: nothing dirties the folio unless the fs was notified for this dirty epoch. */
export const p3 = (f: Folio): Property =>
  transition('P3 folio dirtied without the filesystem being notified', ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || (after.test(f.prepared) && after.test(f.hasBuffers)));

/** ext4_dirty_folio(): `WARN_ON_ONCE(!folio_test_locked(folio) && !folio_test_dirty(folio))`. */
export const wa = (f: Folio): Property =>
  transition('W-a ext4_dirty_folio WARN: clean folio dirtied unlocked', ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || f.lock.holder(before) !== NONE);

/** ext4_dirty_folio(): `WARN_ON_ONCE(!folio_buffers(folio))`. */
export const waPrime = (f: Folio): Property =>
  transition("W-a' ext4_dirty_folio WARN: dirtied without buffers", ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || after.test(f.hasBuffers));

/** P4 (safety approximation): writeback never throws away dirty data (ext4 W-b, bcachefs no SECTOR_dirty). */
export const p4 = (f: Folio): Property => never('P4 writeback dropped dirty data', (s) => s.test(f.dropped));

/** Witness: the racy window exists. */
export const pinnedUnderWriteback = (f: Folio): Property =>
  sometimes('a pinned folio is under writeback', (s) => (folio_maybe_dma_pinned(s, f) || s.get(f.refs) > 0) && s.test(f.writeback));

/** Witness: writeback gets to clean a folio that someone holds pinned. */
export const cleanedWhilePinned = (f: Folio): Property =>
  sometimes('a pinned folio is clean', (s) => (folio_maybe_dma_pinned(s, f) || s.get(f.refs) > 0) && !s.test(f.dirty));
