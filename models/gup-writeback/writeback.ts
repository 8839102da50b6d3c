/**
 * The writeback task: `passes` passes of `write_cache_pages` with the scheme for pinned folios,
 * then done (L1: it must get there). Each scheme is a named record of hooks into the pass:
 *
 * - W0 (mainline): none.
 * - W1 ("wait for unpinning", https://lore.kernel.org/all/20180103100430.GE4911@quack2.suse.cz/):
 *   wait until the folio is unpinned, after `folio_mkclean` (W1-ok) or before it (W1-bad: a pin
 *   taken through the still-writable PTE in between is missed).
 * - W2 (https://lore.kernel.org/all/20230209121046.25360-1-jack@suse.cz/, patch 3/5): after
 *   `folio_mkclean`, a maybe-pinned folio is skipped under WB_SYNC_NONE (it stays dirty) and
 *   written through a bounce copy under WB_SYNC_ALL (and stays dirty: it may change any time).
 * - With a revocable device, writeback first asks the device to drop its pin and waits.
 */
import { goto, ifElse, label, step, type Program, type Self } from '../../src/index.ts';
import { current } from '../../src/kernel/current.ts';
import { bits } from '../../src/kernel/bits.ts';
import { folio_maybe_dma_pinned, folio_unlock, trace } from '../../src/kernel/folio.ts';
import { folio_end_writeback } from '../../src/kernel/fs.ts';
import { wait_for_pins, write_cache_pages, type WritebackHooks } from '../../src/kernel/writeback.ts';
import type { Params, World } from './world.ts';

const JAN_RFC = 'proposed: folio_clear_dirty_for_io skips pinned folios (RFC 2023, 3/5)';

export const schemes: Record<Params['wb'], WritebackHooks> = {
  w0: { name: 'W0' },
  w1_ok: { name: 'W1-ok', afterMkclean: (c) => [label(c.cur.label('wait_pins')), wait_for_pins(c.folio, 'after folio_mkclean')] },
  w1_bad: { name: 'W1-bad', beforeMkclean: (c) => [label(c.cur.label('wait_pins')), wait_for_pins(c.folio, 'before folio_mkclean')] },
  w2: {
    name: 'W2',
    afterMkclean: (c) => ifElse((s) => folio_maybe_dma_pinned(s, c.folio), c.sync === 'none'
      ? [label(c.cur.label('skip')), folio_unlock(c.folio, c.cur), goto(c.next)]
      : [
        label(c.cur.label('bounce')),
        step(`bounce ${c.folio.name}: submit a copy, stay dirty`, {
          fn: JAN_RFC,
          then: (s) => trace(c.folio, 'writeback_submit_bounce', s.set(c.folio.writeback, c.cur.id), c.cur.id),
        }),
        folio_unlock(c.folio, c.cur), folio_end_writeback(c.folio, c.cur), goto(c.next),
      ]),
  },
};

/** A revocable pin: writeback asks the holder to drop it, and waits. */
const revoke = (w: World): WritebackHooks => ({
  name: 'revoke',
  afterMkclean: (c) => ifElse((s) => folio_maybe_dma_pinned(s, c.folio), [
    label(c.cur.label('revoke')),
    step('request revoke', { fn: 'proposed: revocable long-term pin', then: (s) => s.set(w.revoke, true) }),
    step('wait for the revoke', {
      fn: 'proposed: revocable long-term pin',
      when: (s) => !folio_maybe_dma_pinned(s, c.folio),
      blocksOn: { name: `pins of ${c.folio.name}`, lockClass: 'FOLL_PIN', waitsFor: (s) => bits(s.get(c.folio.pins)) },
    }),
  ]),
});

export const writeback = (w: World) => (self: Self): Program => {
  const cur = current(self), hooks = [...(w.p.dev_mode === 'revocable' ? [revoke(w)] : []), schemes[w.p.wb]];
  return [
    Array.from({ length: w.p.passes }, () => write_cache_pages(cur, w.file, { sync: w.p.wb_sync, hooks })),
    step('writeback done'),
  ];
};
