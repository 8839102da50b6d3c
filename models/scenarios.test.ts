/** Every row of the brief's scenario table (§5), reproduced by exhaustive exploration. */
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
      'pinner: follow_page_pte(f)', 'pinner: folio_lock(f)', 'pinner: ext4_page_mkwrite', 'pinner: folio_wait_stable(f)',
      'pinner: wp_page_reuse: PTE RW-dirty', 'pinner: folio_unlock(f)', 'pinner: follow_page_pte(f)',
      'writeback: folio_lock(f)', 'writeback: folio_mkclean(f)', 'writeback: folio_clear_dirty_for_io(f)',
      'writeback: folio_start_writeback(f): submit', 'writeback: folio_unlock(f)',
      'pinner: kwrite(f)', 'pinner: folio_lock(f)', 'pinner: folio_mark_dirty(f)',
    ]));

  it('S-1: P1 breaks at the write (step 3 of the four)', async () =>
    expect((await steps('S-1', 'P1'))?.at(-1)).toBe('pinner: kwrite(f)'));

  it('S-3: the device writes during the I/O of a folio pinned through a writable PTE', async () =>
    expect(await steps('S-3', 'P2')).toEqual([
      'user: folio_lock(f)', 'user: ext4_page_mkwrite', 'user: folio_wait_stable(f)', 'user: wp_page_reuse: PTE RW-dirty', 'user: folio_unlock(f)',
      'pinner: follow_page_pte(f)',
      'writeback: folio_lock(f)', 'writeback: folio_mkclean(f)', 'writeback: folio_clear_dirty_for_io(f)', 'writeback: folio_start_writeback(f): submit',
      'pinner: kwrite(f)',
    ]));

  it('S-10: AA on the pagecache lock without faults_disabled_mapping', async () =>
    expect(await steps('S-10', 'deadlock')).toEqual([
      'dio0: inode_lock(A)', 'dio0: inode_dio_begin(A)', 'dio0: bch2_pagecache_block_get(A)', 'dio0: inode_unlock(A)',
      'dio0: invalidate_inode_pages2_range(A)', 'dio0: current->faults_disabled_mapping = A', 'dio0: faultin_page(A)',
    ]));

  it('S-11: AA on invalidate_lock held across GUP', async () =>
    expect(await steps('S-11', 'deadlock')).toEqual([
      'dio0: inode_lock_shared(A)', 'dio0: inode_dio_begin(A)', 'dio0: filemap_invalidate_lock(A)',
      'dio0: invalidate_inode_pages2_range(A)', 'dio0: faultin_page(A)',
    ]));

  it("S-12: Jan's AB-BA with the naive fdm check", async () =>
    expect(await steps('S-12', 'deadlock')).toEqual([
      'dio0: inode_lock(A)', 'dio0: inode_dio_begin(A)', 'dio0: bch2_pagecache_block_get(A)', 'dio0: inode_unlock(A)',
      'dio0: invalidate_inode_pages2_range(A)', 'dio0: current->faults_disabled_mapping = A', 'dio0: faultin_page(B)',
      'dio1: inode_lock(B)', 'dio1: inode_dio_begin(B)', 'dio1: bch2_pagecache_block_get(B)', 'dio1: inode_unlock(B)',
      'dio1: invalidate_inode_pages2_range(B)', 'dio1: current->faults_disabled_mapping = B', 'dio1: faultin_page(A)',
    ]));
});

describe('state counts of the rows that hold', () => {
  it('S-2: 84 states', async () => expect(await states('S-2', 'P1')).toBe(84));
  it('S-13: 456 states', async () => expect(await states('S-13', 'deadlock')).toBe(456));
  it('S-14: 11 states', async () => expect(await states('S-14', 'deadlock')).toBe(11));
});
