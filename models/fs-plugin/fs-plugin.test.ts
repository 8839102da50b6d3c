/** The known answers of fs-plugin, pinned: verdicts, state counts and the traces that show them. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { LOCK_ORDER } from '../../src/kernel/index.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);
// Faults and GUP take mm->mmap_lock for read (mm/memory.c lock_mm_and_find_vma, mm/gup.c
// __get_user_pages_locked), a step lockdep sees: the counts in comments are those of a library
// that elided the read acquisitions of an mm without a writer.

describe('fs-plugin', () => {
  it("a model's own ext4 record, handle before the folio lock (fs/ext4/super.c order): no deadlock with writepages, the commit and truncate", () => {
    const r = run('ext4_handle');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(5155);   // 5143 before ->page_mkwrite locked vmf->page (the removed folio once truncated), not the slot; 4046 before a fault released mmap_lock and retried (VM_FAULT_RETRY); 1748
  });

  it('the handle started under the folio lock: fault, commit (T_LOCKED) and writepages wait in a cycle of three', () => {
    const r = run('ext4_handle_inverted');
    expect(r.verdict).toMatchObject({ kind: 'deadlock' });
    expect(steps(r)).toEqual([
      'fault: mmap_read_lock', 'fault: filemap_invalidate_lock_shared(A)', 'fault: folio_lock(A)', 'fault: block_page_mkwrite(ext4_get_block)', 'fault: folio_wait_stable(A)',
      'writeback: jbd2__journal_start', 'writeback: writeback_iter(A)', 'commit: jbd2_journal_commit_transaction: T_LOCKED, wait for handles',
    ]);
    expect(r.stats.states).toBe(392);   // 388 before VM_FAULT_RETRY; 250
  });

  it('xfs: MMAPLOCK, folio, ILOCK against IOLOCK|MMAPLOCK, truncate, ILOCK: no deadlock, no lock-order report, no stale writable PTE', () => {
    const r = run('xfs_truncate');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(206);   // 173 before VM_FAULT_RETRY; 69
    expect(run('xfs_truncate', LOCK_ORDER).verdict).toEqual({ kind: 'ok' });
  });

  it('a folio re-created in its slot is another folio: ->page_mkwrite backs off (VM_FAULT_NOPAGE)', () => {
    const r = run('folio_identity');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(963);   // 959 before ->page_mkwrite locked vmf->page, not the slot; 707 before VM_FAULT_RETRY; 573
  });

  it('checking only that the slot is filled maps the new folio before it is read', () => {
    const r = run('folio_identity_slot_only', 'a PTE maps a folio that is not uptodate');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'a PTE maps a folio that is not uptodate' });
    expect(steps(r)?.slice(-8)).toEqual([
      'read: filemap_invalidate_lock_shared(A)', 'read: filemap_add_folio(A)',
      'fault: filemap_invalidate_lock_shared(A)', 'fault: folio_lock(A)', 'fault: ext4_page_mkwrite', 'fault: folio_wait_stable(A)',
      'fault: filemap_invalidate_unlock_shared(A)', 'fault: finish_fault(A): map writable',
    ]);
  });

  it('ext4 writeback of a folio without buffers: folio_clear_dirty, no folio_mkclean, the PTE stays writable', () => {
    const r = run('mpage_no_buffers');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'writeback leaves the folio clean and its PTE writable' });
    expect(steps(r)).toEqual([
      'writeback: writeback_iter(A)', 'writeback: folio_lock(A)', 'writeback: mpage_prepare_extent_to_map: no buffers, folio_clear_dirty(A) (W-b)', 'writeback: folio_unlock(A)',
    ]);
    expect(run('mpage_no_buffers_generic').verdict).toEqual({ kind: 'ok' });
  });

  it('gfs2: a DIO holding the glock DEFERRED faults its own file in (gfs2_fault wants SHARED): AA; with page faults disabled and a retry, none', () => {
    const r = run('gfs2_dio_fault');
    expect(r.verdict).toMatchObject({ kind: 'deadlock' });
    expect(steps(r)).toEqual(['dio: gfs2_glock_nq(ip->i_gl[A], LM_ST_DEFERRED)', 'dio: mmap_read_lock', 'dio: follow_page_pte(A)', 'dio: filemap_map_pages(A)']);
    const fixed = run('gfs2_dio_nofault');
    expect(fixed.verdict).toEqual({ kind: 'ok' });
    expect(fixed.stats.states).toBe(25);   // 23 before the prefault released mmap_lock for its read (page_not_uptodate); 17
  });
});
