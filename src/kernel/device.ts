/**
 * A DMA-capable device writing into user pages of a file mapping, the two ways the kernel lets
 * it (Documentation/core-api/pin_user_pages.rst):
 *
 * - through a GUP pin (CASE 1/2: a NIC, an RDMA MR registered with `ib_umem_get`): `dma_write`
 *   after `pin_user_pages`, into the page it pinned, whatever happened to its PTE since;
 * - without a pin, on demand (CASE 3: ODP, `ib_umem_odp_map_dma_and_lock`): each write needs a
 *   writable PTE, taken by `hmm_range_fault`; an MMU notifier (writeback's `folio_mkclean`,
 *   an unmap) invalidates the range and the device retries.
 *
 * @example
 * sys.kthread('device', (self) => { const cur = current(self);
 *   return [pin_user_pages(cur, vma, f, 'longterm+write'), dma_write(f, cur), unpin_user_pages_dirty_lock(f, cur, foll('pin+write'), true)]; });
 */
import { choice, goto, ifElse, label, step, type Program } from '../model/program.ts';
import type { ActorRef } from '../model/vars.ts';
import type { State } from '../model/state.ts';
import type { Current } from './current.ts';
import { handle_mm_fault } from './fault.ts';
import type { Folio } from './folio.ts';
import { write_pinned } from './gup.ts';
import { mmap_read_lock, mmap_read_unlock, pteOf, PTE, type Vma } from './mm.ts';

const ODP = 'drivers/infiniband/core/umem_odp.c: ib_umem_odp_map_dma_and_lock';

/** One DMA write into the page the device holds by GUP (an orphan's, once truncation removed it). */
export const dma_write = (f: Folio, cur: ActorRef, fn = 'DMA to a pinned page (pin_user_pages.rst CASE 1)', when?: (s: State) => boolean): Program =>
  write_pinned(f, cur, 'dma_write', fn, when);

/**
 * One on-demand-paging DMA write (CASE 3): fault the PTE writable (`hmm_range_fault` under
 * `mmap_read_lock`), then write while it stays writable, or — an MMU notifier invalidated the
 * range — retry.
 */
export function odp_dma_write(cur: Current, vma: Vma, f: Folio): Program {
  const again = cur.label('odp'), rw = (s: State): boolean => s.get(pteOf(vma, f)) === PTE.rw;
  return [
    label(again),
    ifElse((s) => !rw(s), [step('hmm_range_fault', { fn: 'mm/hmm.c: hmm_range_fault' }), mmap_read_lock(vma.mm, cur), handle_mm_fault(cur, vma, f, { write: true }), mmap_read_unlock(vma.mm, cur)]),
    label(cur.label('dma')),
    choice([dma_write(f, cur, ODP, rw)], [step('mmu notifier invalidated the range: retry', { fn: ODP, when: (s) => !rw(s) }), goto(again)]),
  ];
}
