import { never, sometimes, step, type Var } from '../../src/index.ts';
import { current, file, filemap_read, mm_struct, mmap, pteOf, PTE, user_fault, vmfFolio, VMF, write_cache_pages } from '../../src/kernel/index.ts';
import { mapped, truncate, type Case } from './shared.ts';

/**
 * Folio identity is not the slot (mm/memory.c: do_page_mkwrite; fs/ext4/inode.c:
 * ext4_page_mkwrite, "if (folio->mapping != mapping ...) { folio_unlock(folio); ret =
 * VM_FAULT_NOPAGE; goto out; }"): a write fault gets the folio from `->fault` and unlocks it;
 * truncation removes it; a read creates a new folio in the slot (not uptodate until read in,
 * its lock not yet taken); `->page_mkwrite` locks the new folio. The folio the fault holds has
 * `folio->mapping == NULL`: VM_FAULT_NOPAGE. Treating the new folio as the fault's maps a folio
 * that is not uptodate.
 */
export const folioIdentity: Case = (sys) => {
  const A = file(sys, 'A', { invalidate_lock: 'contended' });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map' }), f = A.folios[0]!;
  let vmf: Var | undefined;   // the fault's vmf->page
  sys.task('fault', (self) => { const cur = current(self); vmf = vmfFolio(cur, f); return user_fault(cur, map, f, { write: true }); });
  sys.task('truncate', (self) => truncate(current(self), A, []));
  // the read looks the folio up after its entry step (filemap_get_pages), not in the initial state
  sys.task('read', (self) => [step('ext4_file_read_iter', { fn: 'fs/ext4/file.c: ext4_file_read_iter' }), filemap_read(current(self), A, f)]);
  return [
    never('a PTE maps a folio that is not uptodate', (s) => mapped(map, f)(s) && !s.test(f.uptodate)),
    sometimes('the fault holds a truncated folio while a new one fills its slot', (s) => s.get(vmf!) === VMF.detached && s.test(f.cached)),
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
 * writable, and the next store through it dirties nothing the filesystem sees.
 */
export const mpageNoBuffers: Case = (sys) => {
  const A = file(sys, 'A', { init: { dirty: true, private: 'none' } });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map', pte: 'rw' }), f = A.folios[0]!;
  const wb = sys.task('writeback', (self) => write_cache_pages(current(self), A, { sync: 'none' }));
  return [
    sometimes('writeback cleaned the folio and its PTE is still writable', (s) => s.done(wb) && !s.test(f.dirty) && s.get(pteOf(map, f)) === PTE.rw),
  ];
};

