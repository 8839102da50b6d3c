/** The switches of the DIO-coherence family; every value carries the doc `kmc list`, the matrix and docs/models.md print. */
import { param } from '../../src/index.ts';

export const params = {
  dio: param.enum({ doc: 'the DIO write path', default: 'd0', values: {
    d0: 'iomap DIO: invalidate, write, invalidate',
    d1_excl: 'DIO holding invalidate_lock exclusive: readers wait',
    d2: 'bcachefs pagecache block lock: readers take the add side',
  } }),
  reader: param.enum({ doc: 'how a reader fills the page cache', default: 'buffered', values: {
    buffered: 'a buffered read',
    fault: 'a page fault on a mapping',
    none: 'no reader',
  } }),
  pin: param.bool({ default: false, doc: 'a GUP user holds a reference to the cached folio for a while' }),
  store: param.bool({ default: false, doc: 'a user store through a mapping dirties the folio during the DIO' }),
  punch: param.bool({ default: false, doc: 'a punch hole on the same range' }),
};
