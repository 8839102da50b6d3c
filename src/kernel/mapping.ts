/**
 * `folio->mapping` as `folio_mark_dirty()` uses it: the `->dirty_folio` of the mapping a
 * page-cache folio belongs to (`file()` records its filesystem record's for each of its folios).
 * Internal to the library: GUP's `unpin_user_pages_dirty_lock` dirties through it.
 */
import type { Program } from '../model/program.ts';
import type { Folio } from './folio.ts';

const dirtyFolios = new WeakMap<Folio, (f: Folio) => Program>();

/** `folio->mapping->a_ops->dirty_folio`; `undefined` for a folio declared outside any file. */
export const dirtyFolioOf = (f: Folio): ((f: Folio) => Program) | undefined => dirtyFolios.get(f);

/** The folio belongs to a mapping whose `->dirty_folio` is `dirty` (`file()`). */
export const setMapping = (f: Folio, dirty: (f: Folio) => Program): void => { dirtyFolios.set(f, dirty); };
