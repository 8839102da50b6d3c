/**
 * `filemap_release_folio()` (mm/filemap.c): asks the filesystem to drop a locked folio's private
 * data (`->release_folio`) before the folio can leave the page cache. It can fail, and whether it
 * does is a function of the folio's state — no callback decides it:
 *
 * - nothing attached (`!folio_needs_release`): succeeds, nothing to do;
 * - under writeback (`folio_test_writeback`): fails;
 * - otherwise the mapping's `->release_folio`, or `try_to_free_buffers` (fs/buffer.c) when it
 *   has none.
 *
 * `try_to_free_buffers` fails while any buffer is busy (`buffer_busy`: dirty or locked, or
 * referenced): in this model the buffers are dirty when `private` is `dirty`, or when the folio
 * is dirty (`block_dirty_folio` dirties every buffer); they are locked only under writeback.
 * On success the buffers are freed (`private` none) and `folio_cancel_dirty` runs.
 *
 * A filesystem record plugs its own `->release_folio` in as a {@link ReleaseFolio}: a name, the
 * function it cites, and when it refuses.
 *
 * @example
 * const released = cur.local('released', bool());
 * [folio_lock(f, t), filemap_release_folio(f, t, released), folio_unlock(f, t)]
 */
import { NONE } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import { PRIVATE, type Folio } from './folio.ts';
import type { State } from '../model/state.ts';
import type { ActorRef, Var } from '../model/vars.ts';

/** A filesystem's `->release_folio`: when it refuses, as a function of the locked folio's state. */
export interface ReleaseFolio {
  /** The function it models, e.g. `fs/buffer.c: try_to_free_buffers`. */
  readonly fn: string;
  /** It refuses to drop the private data (the folio stays in the page cache). */
  busy(s: State, f: Folio): boolean;
}

/** `try_to_free_buffers()` (fs/buffer.c): fails on a dirty or locked buffer (`drop_buffers` → `buffer_busy`). */
export const try_to_free_buffers: ReleaseFolio = {
  fn: 'fs/buffer.c: try_to_free_buffers',
  busy: (s, f) => s.get(f.writeback) !== NONE || s.get(f.private) === PRIVATE.dirty || s.test(f.dirty),
};

/**
 * `filemap_release_folio(folio, gfp)` on a folio `self` has locked (the kernel's
 * `BUG_ON(!folio_test_locked(folio))`): 1 in `result` if the private data is gone (or there was
 * none), 0 if the folio must stay.
 */
export const filemap_release_folio = (f: Folio, self: ActorRef, result: Var, release: ReleaseFolio = try_to_free_buffers): Node =>
  step(`filemap_release_folio(${f.name})`, {
    fn: 'mm/filemap.c: filemap_release_folio',
    then: (s) => {
      if (f.lock.holder(s) !== self.id) throw new Error(`filemap_release_folio(${f.name}) by ${self.name}, which does not hold the folio lock`);
      if (s.get(f.private) === PRIVATE.none) return s.set(result, 1);
      if (release_refused(s, f, release)) return s.set(result, 0);
      return s.set(f.private, PRIVATE.none).set(f.dirty, false).set(result, 1);
    },
  });

/** `!filemap_release_folio(folio)` as a predicate, for a step that releases in passing: private data attached, and under writeback or refused. */
export const release_refused = (s: State, f: Folio, release: ReleaseFolio): boolean =>
  s.get(f.private) !== PRIVATE.none && (s.get(f.writeback) !== NONE || release.busy(s, f));
