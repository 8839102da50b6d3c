/** Every row of the scenario table, reproduced by exhaustive exploration. */
import { describe, expect, it } from 'vitest';
import { scenarios } from './scenarios.ts';
import { findScenario, runScenario } from '../src/cli/scenario.ts';

const steps = async (id: string, property: string) => {
  const r = (await runScenario(await findScenario(id))).find((x) => x.property === property)!;
  return r.report.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);
};
const states = async (id: string, property: string) =>
  (await runScenario(await findScenario(id))).find((x) => x.property === property)!.report.stats.states;

describe('scenario table verdicts', () => {
  for (const s of scenarios)
    it(`${s.id}: ${s.title}`, async () => {
      const results = await runScenario(s);
      expect(results.filter((r) => r.surprise).map((r) => `${r.property}: ${r.report.verdict.kind}`)).toEqual([]);
      expect(results.map((r) => r.property)).toEqual(Object.keys(s.expect));
    });
});

describe('shortest counterexamples', () => {
  it("S-1: Lorenzo's four steps (pin through a write fault, writeback cleans, write, unpin dirties)", async () =>
    expect(await steps('S-1', 'P3')).toEqual([
      'pinner: mmap_read_lock', 'pinner: follow_page_pte(A)', 'pinner: folio_lock(A)', 'pinner: ext4_page_mkwrite', 'pinner: folio_wait_stable(A)',
      'pinner: wp_page_reuse: PTE RW-dirty', 'pinner: fault_dirty_shared_page(A): unlock', 'pinner: follow_page_pte(A)', 'pinner: mmap_read_unlock',
      'writeback: writeback_iter(A)', 'writeback: folio_lock(A)', 'writeback: folio_mkclean(A)', 'writeback: folio_clear_dirty_for_io(A)',
      'writeback: folio_start_writeback(A): submit', 'writeback: folio_unlock(A)',
      'pinner: kwrite(A)', 'pinner: folio_lock(A)', 'pinner: folio_mark_dirty(A)',
    ]));

  it('S-1: P1 breaks at the write (step 3 of the four)', async () =>
    expect((await steps('S-1', 'P1'))?.at(-1)).toBe('pinner: kwrite(A)'));

  it('S-3: the device writes during the I/O of a folio pinned through a writable PTE', async () =>
    expect(await steps('S-3', 'P2')).toEqual([
      'user: mmap_read_lock', 'user: folio_lock(A)', 'user: ext4_page_mkwrite', 'user: folio_wait_stable(A)', 'user: wp_page_reuse: PTE RW-dirty', 'user: fault_dirty_shared_page(A): unlock',
      'pinner: mmap_read_lock', 'pinner: follow_page_pte(A)', 'pinner: mmap_read_unlock',
      'writeback: writeback_iter(A)', 'writeback: folio_lock(A)', 'writeback: folio_mkclean(A)', 'writeback: folio_clear_dirty_for_io(A)', 'writeback: folio_start_writeback(A): submit',
      'pinner: kwrite(A)',
    ]));

  it('S-10: AA on the pagecache lock without faults_disabled_mapping', async () =>
    expect(await steps('S-10', 'deadlock')).toEqual([
      'dio0: inode_lock(A)', 'dio0: inode_dio_begin(A)', 'dio0: bch2_pagecache_block_get(A)', 'dio0: inode_unlock(A)',
      'dio0: current->faults_disabled_mapping = A', 'dio0: gup_fast_pte_range: read PTE', 'dio0: mmap_read_lock', 'dio0: follow_page_pte(A)', 'dio0: filemap_map_pages(A)',
    ]));

  it('S-11: AA on invalidate_lock held across GUP', async () =>
    expect(await steps('S-11', 'deadlock')).toEqual([
      'dio0: inode_lock_shared(A)', 'dio0: filemap_invalidate_lock(A)', 'dio0: writeback_iter(A)', 'dio0: invalidate_inode_pages2_range(A)',
      'dio0: inode_dio_begin(A)', 'dio0: gup_fast_pte_range: read PTE', 'dio0: mmap_read_lock', 'dio0: follow_page_pte(A)', 'dio0: filemap_map_pages(A)',
    ]));

  it("S-12: Jan's AB-BA with the naive fdm check", async () =>
    expect(await steps('S-12', 'deadlock')).toEqual([
      'dio0: inode_lock(A)', 'dio0: inode_dio_begin(A)', 'dio0: bch2_pagecache_block_get(A)', 'dio0: inode_unlock(A)',
      'dio0: current->faults_disabled_mapping = A', 'dio0: gup_fast_pte_range: read PTE', 'dio0: mmap_read_lock', 'dio0: follow_page_pte(B)', 'dio0: filemap_map_pages(B)',
      'dio1: inode_lock(B)', 'dio1: inode_dio_begin(B)', 'dio1: bch2_pagecache_block_get(B)', 'dio1: inode_unlock(B)',
      'dio1: current->faults_disabled_mapping = B', 'dio1: gup_fast_pte_range: read PTE', 'dio1: mmap_read_lock', 'dio1: follow_page_pte(A)', 'dio1: filemap_map_pages(A)',
    ]));
});

describe('state counts of the rows that hold', () => {
  // GUP's slow path and the fault fallback take mmap_read_lock (mm/gup.c __get_user_pages_locked,
  // mm/memory.c lock_mm_and_find_vma): a step even in an mm without a writer, since lockdep records
  // its dependencies (92, 531 and 11 when those read acquisitions were elided)
  it('S-2: 256 states', async () => expect(await states('S-2', 'P1')).toBe(256));
  // the DIO's bio_iov_iter_get_pages is pin_user_pages_fast (lib/iov_iter.c iov_iter_extract_user_pages):
  // GUP-fast first, then the slow path with FOLL_UNLOCKABLE (620 and 13 when it was the slow path alone)
  it('S-13: 758 states', async () => expect(await states('S-13', 'deadlock')).toBe(758));
  it('S-14: 14 states', async () => expect(await states('S-14', 'deadlock')).toBe(14));
});
