/** The cases of the page-cache-facts model; each value's doc says what it shows. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the page-cache situation', default: 'orphan_lock', values: {
    orphan_lock: 'a GUP holder locks the folio truncation removed: it waits for the truncating task\'s folio_unlock',
    write_short_copy: 'a buffered write whose source is unmapped before the copy: a 0-byte copy dirties nothing and retries',
    reclaim_locked: 'kswapd meets a folio whose lock holder waits for kswapd: folio_trylock fails, the folio is skipped',
    reclaim_writeback: 'legacy memcg reclaim of a folio under writeback: it waits for the I/O, then frees the folio',
  } }),
};
