import { goto, ifElse, never, NONE, sometimes, step, type Var } from '../../src/index.ts';
import {
  current, ext4_writepages, file, filemap_invalidate_lock_shared, filemap_invalidate_unlock_shared, filemap_read, filesystem, folio_lock, folio_unlock,
  folio_wait_stable, mm_struct, mmap, notify, pteOf, PTE, user_fault, vmfFolio, VMF, write_cache_pages,
} from '../../src/kernel/index.ts';
import { mapped, truncate, type Case } from './shared.ts';

/**
 * Folio identity is not the slot (mm/memory.c: do_page_mkwrite; fs/ext4/inode.c:
 * ext4_page_mkwrite, "if (folio->mapping != mapping ...) { folio_unlock(folio); ret =
 * VM_FAULT_NOPAGE; goto out; }"): a write fault gets the folio from `->fault` and unlocks it;
 * truncation removes it; a read creates a new folio in the slot (not uptodate until read in,
 * locked while it is read); `->page_mkwrite` locks the folio it holds, `page_folio(vmf->page)`:
 * the removed one, whose lock is its own — it does not wait for the read's lock on the new
 * folio. The folio the fault holds has `folio->mapping == NULL`: VM_FAULT_NOPAGE. `slotOnly`: a
 * `->page_mkwrite` that asks only whether the slot is filled locks and takes the new folio for
 * the fault's and maps a folio that is not uptodate.
 */
export const folioIdentity = (slotOnly: boolean): Case => (sys) => {
  const MK = 'fs/ext4/inode.c: ext4_page_mkwrite';
  const fs = slotOnly ? filesystem('ext4-slot-only', {
    page_mkwrite: (cur, vma, f, out) => [
      filemap_invalidate_lock_shared(vma.file, cur, MK), folio_lock(f, cur),
      ifElse((s) => !s.test(f.cached), [folio_unlock(f, cur), filemap_invalidate_unlock_shared(vma.file, cur, MK), goto(out)]),
      notify(f, 'ext4_page_mkwrite', MK), folio_wait_stable(f, vma.file.stableWrites), filemap_invalidate_unlock_shared(vma.file, cur, MK),
    ],
    writepages: ext4_writepages,
  }) : 'ext4';
  const A = file(sys, 'A', { fs, invalidate_lock: 'contended' });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map' }), f = A.folios[0]!;
  let vmf: Var | undefined;   // the fault's vmf->page
  sys.task('fault', (self) => { const cur = current(self); vmf = vmfFolio(cur, f); return user_fault(cur, map, f, { write: true }); });
  sys.task('truncate', (self) => truncate(current(self), A, []));
  // the read looks the folio up after its entry step (filemap_get_pages), not in the initial state
  sys.task('read', (self) => [step('ext4_file_read_iter', { fn: 'fs/ext4/file.c: ext4_file_read_iter' }), filemap_read(current(self), A, f)]);
  return [
    never('a PTE maps a folio that is not uptodate', (s) => mapped(map, f)(s) && !s.test(f.uptodate)),
    sometimes('the fault holds a truncated folio while a new one fills its slot', (s) => s.get(vmf!) === VMF.detached && s.test(f.cached)),
    ...(slotOnly ? [] : [sometimes('->page_mkwrite locks the removed folio while the new one is locked', (s) => {
      const removed = f.orphanLock.holder(s), slot = f.lock.holder(s);
      return removed !== NONE && slot !== NONE && removed !== slot;
    })]),
  ];
};

/**
 * fs/ext4/inode.c: mpage_prepare_extent_to_map, on a dirty folio without buffers:
 *
 *   if (!folio_buffers(folio)) {
 *           ext4_warning_inode(mpd->inode, "page %lu does not have buffers attached", folio->index);
 *           folio_clear_dirty(folio);
 *           folio_unlock(folio);
 *           continue;
 *   }
 *
 * — before `mpage_submit_folio`'s `folio_clear_dirty_for_io`: no `folio_mkclean`, the PTE stays
 * writable, and the next store through it dirties nothing the filesystem sees. `generic`: the
 * generic write (`write_folio`: `folio_mkclean` first) write-protects it.
 */
export const mpageNoBuffers = (generic: boolean): Case => (sys) => {
  const fs = generic ? filesystem('ext4-generic-writeback', { discard: { label: 'no buffers: nothing written', fn: 'mm/page-writeback.c: write_cache_pages' } }) : 'ext4';
  const A = file(sys, 'A', { fs, init: { dirty: true, private: 'none' } });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map', pte: 'rw' }), f = A.folios[0]!;
  const wb = sys.task('writeback', (self) => write_cache_pages(current(self), A, { sync: 'none' }));
  return [
    // the kernel's answer is 'violated': the hazard of the W-b report is real
    never('writeback leaves the folio clean and its PTE writable', (s) => s.done(wb) && !s.test(f.dirty) && s.get(pteOf(map, f)) === PTE.rw),
  ];
};

