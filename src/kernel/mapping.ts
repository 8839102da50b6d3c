/**
 * `folio->mapping` as `folio_mark_dirty()` uses it: the `->dirty_folio` of the mapping a
 * page-cache folio belongs to (`file()` records its filesystem record's for each of its folios).
 * Internal to the library: GUP's `unpin_user_pages_dirty_lock` dirties through it.
 */
import type { Program } from '../model/program.ts';
import { systemKey } from '../model/system.ts';
import type { Folio } from './folio.ts';

/** Each page-cache folio's `->dirty_folio` (its entry in `sys.registry`). */
const MAPPINGS = systemKey<Map<Folio, (f: Folio) => Program>>('mapping', () => new Map());

/** `folio->mapping->a_ops->dirty_folio`; `undefined` for a folio declared outside any file. */
export const dirtyFolioOf = (f: Folio): ((f: Folio) => Program) | undefined => f.sys.registry.peek(MAPPINGS)?.get(f);

/** The folio belongs to a mapping whose `->dirty_folio` is `dirty` (`file()`). */
export const setMapping = (f: Folio, dirty: (f: Folio) => Program): void => { f.sys.registry.get(MAPPINGS).set(f, dirty); };
