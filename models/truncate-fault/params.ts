/** The switches of the truncate-vs-fault model; every value carries its doc. */
import { param } from '../../src/index.ts';

export const params = {
  fault_order: param.enum({ doc: 'the lock order of the fault path', default: 'invalidate_lock_first', values: {
    invalidate_lock_first: 'filemap_fault order: invalidate_lock shared, then the folio lock',
    folio_lock_first: 'folio lock first: the folio created and locked before invalidate_lock (AB-BA)',
  } }),
  mapping_check: param.bool({ default: true, doc: 'filemap_fault checks again, under the folio lock, that the folio was not truncated' }),
  cached: param.bool({ default: false, doc: 'the folio starts in the page cache, uptodate' }),
  write: param.bool({ default: false, doc: 'a buffered write to the file takes part' }),
};
