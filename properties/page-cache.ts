/**
 * Page-cache properties of one folio: the write-notify contract between the page cache, GUP
 * users and the filesystem, and the data it is meant to protect.
 *
 * - P1: the folio's memory changes only while it is dirty and the filesystem was told
 *   (`->page_mkwrite` / `->write_begin` since the last clean): no write to a clean,
 *   write-protected folio.
 * - P2 (stable pages): a folio under writeback keeps the contents that were submitted, unless
 *   the I/O writes a copy (a bounce buffer): checksums and DIF stay valid.
 * - P3: nothing dirties the folio unless the filesystem was told for this dirty epoch; W-a and
 *   W-a' are ext4's own WARN_ON_ONCEs in `ext4_dirty_folio` (fs/ext4/inode.c).
 * - P4: no committed write is silently dropped — by writeback that cleans a folio without
 *   writing it (ext4 without buffers, bcachefs without dirty sectors), or by an unpin-dirty that
 *   commits a write to a page truncation or invalidation already took out of the file (a write
 *   committed after the range was truncated never reaches it). Data a truncation discards
 *   before its commit is not lost: the range was asked to go.
 *
 * Content versions are ghost state (`contentOf`), kept beside the properties and updated by
 * probes on the folio's tracepoints, never by kernel code.
 */
import { bool, int, NONE, never, sometimes, transition, type Property, type System, type Var } from '../src/index.ts';
import { folio_maybe_dma_pinned, folio_gup_referenced, onTrace, PRIVATE, type Folio } from '../src/kernel/folio.ts';

/** Ghost state of a folio's data. */
export interface Content {
  readonly folio: Folio;
  /** Version of the folio's memory, bumped by every write (mod 3). */
  readonly version: Var;
  /** The version writeback submitted. */
  readonly submitted: Var;
  /** The I/O in flight writes a copy (bounce buffer). */
  readonly bounced: Var;
  /** Writeback cleaned dirty data without writing it. */
  readonly discarded: Var;
  /** An orphaned page was written since it left the page cache. */
  readonly orphanWritten: Var;
  /** A write to an orphan was committed (unpin-dirty): it reaches no file. */
  readonly orphanCommitted: Var;
}

/** Declares the ghost state of `f` and attaches its probes. */
export function contentOf(sys: System, f: Folio): Content {
  const c: Content = {
    folio: f,
    version: sys.var(`${f.name}.content`, int(0, 2)),
    submitted: sys.var(`${f.name}.wb_snap`, int(0, 2)),
    bounced: sys.var(`${f.name}.bounced`, bool()),
    discarded: sys.var(`${f.name}.discarded`, bool()),
    orphanWritten: sys.var(`${f.name}.orphan_written`, bool()),
    orphanCommitted: sys.var(`${f.name}.orphan_committed`, bool()),
  };
  onTrace(f, 'write', (s) => s.set(c.version, (s.get(c.version) + 1) % 3));
  onTrace(f, 'writeback_submit', (s) => s.set(c.submitted, s.get(c.version)).set(c.bounced, false));
  onTrace(f, 'writeback_submit_bounce', (s) => s.set(c.submitted, s.get(c.version)).set(c.bounced, true));
  onTrace(f, 'writeback_end', (s) => s.set(c.bounced, false));
  onTrace(f, 'writeback_discard', (s) => s.set(c.discarded, true));
  onTrace(f, 'orphan_write', (s) => s.set(c.orphanWritten, true));
  onTrace(f, 'orphan_commit', (s) => (s.test(c.orphanWritten) ? s.set(c.orphanCommitted, true) : s));
  return c;
}

/** P1: the folio's memory changes only while it is dirty and the filesystem was told. */
export const p1 = (c: Content): Property =>
  transition('P1 no write to a clean write-protected folio', ({ before, after }) =>
    before.get(c.version) === after.get(c.version) || (before.test(c.folio.dirty) && before.get(c.folio.private) === PRIVATE.dirty));

/** P2: a folio under writeback keeps the contents that were submitted (checksums, DIF). */
export const p2 = (c: Content): Property =>
  never('P2 stable pages: modified under writeback', (s) =>
    s.get(c.folio.writeback) !== NONE && !s.test(c.bounced) && s.get(c.version) !== s.get(c.submitted));

/** P3: nothing dirties the folio unless the filesystem was told for this dirty epoch. */
export const p3 = (f: Folio): Property =>
  transition('P3 folio dirtied without the filesystem being notified', ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || after.get(f.private) === PRIVATE.dirty);

/** ext4_dirty_folio(): `WARN_ON_ONCE(!folio_test_locked(folio) && !folio_test_dirty(folio))`. */
export const wa = (f: Folio): Property =>
  transition('W-a ext4_dirty_folio WARN: clean folio dirtied unlocked', ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || f.lock.holder(before) !== NONE);

/** ext4_dirty_folio(): `WARN_ON_ONCE(!folio_buffers(folio))`. */
export const waPrime = (f: Folio): Property =>
  transition("W-a' ext4_dirty_folio WARN: dirtied without buffers", ({ before, after }) =>
    before.test(f.dirty) || !after.test(f.dirty) || after.get(f.private) !== PRIVATE.none);

/** P4: no committed write is silently dropped (by writeback, or into a page no file owns). */
export const p4 = (c: Content): Property =>
  never('P4 a committed write was dropped', (s) => s.test(c.discarded) || s.test(c.orphanCommitted));

/** Witness: writeback runs while someone holds a GUP reference to the folio. */
export const pinnedUnderWriteback = (f: Folio): Property =>
  sometimes('a pinned folio is under writeback', (s) => folio_gup_referenced(s, f) && s.get(f.writeback) !== NONE);

/** Witness: the folio is clean while someone holds a GUP reference to it. */
export const cleanedWhilePinned = (f: Folio): Property =>
  sometimes('a pinned folio is clean', (s) => (folio_maybe_dma_pinned(s, f) || s.get(f.refs) !== 0) && !s.test(f.dirty));
