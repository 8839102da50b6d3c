/**
 * Truncate vs page fault, from kernel-library parts alone: a punch hole (`inode_lock`,
 * `filemap_invalidate_lock`, `truncate_pagecache_range`, blocks freed) races with a read fault
 * on a shared mapping of the file (`filemap_fault`: `invalidate_lock` shared, the folio created,
 * locked and read, then mapped) and, optionally, a buffered write (`inode_lock`,
 * `generic_perform_write` from a mapping of another file).
 *
 * Safety: no PTE maps a folio the page cache no longer holds. Deadlock: with the fault taking the
 * folio lock before `invalidate_lock`, truncation (which holds `invalidate_lock` and then locks
 * each folio) deadlocks with it, AB-BA.
 */
import { defineModel, never, sometimes, type State } from '../../src/index.ts';
import {
  current, file, filemapFault, filemap_invalidate_lock, filemap_invalidate_unlock, free_blocks, generic_perform_write,
  inode_dio_wait, inode_lock, inode_unlock, mm_struct, mmap, pteOf, PTE, truncate_pagecache_range, user_fault,
} from '../../src/kernel/index.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export default defineModel({
  name: 'truncate-fault',
  doc: 'a punch hole races with a page fault (and a buffered write): stale mappings, AB-BA',
  params,
  configurations: [{}, { fault_order: 'folio_lock_first' }, { cached: true, mapping_check: false }, { write: true }],
  expect: (p) => ({
    deadlock: p.fault_order === 'folio_lock_first' && !p.cached ? { violated: 8 } : 'holds',
    'no PTE maps a folio truncation removed': p.mapping_check ? 'holds' : 'violated',
  }),
  mayBeUnreached,
  setup(p, sys) {
    const A = file(sys, 'A', { invalidate_lock: 'contended', init: { cached: p.cached } });
    const B = file(sys, 'B');
    const mm = mm_struct(sys);
    const map = mmap(sys, mm, A, { name: 'map' }), src = mmap(sys, mm, B, { name: 'src', pte: 'ro' });
    const f = A.folios[0]!, fault = filemapFault({ invalidateLock: true, order: p.fault_order, recheckMapping: p.mapping_check });

    const faulter = sys.task('fault', (self) => user_fault(current(self), map, f, { write: false, fault }));
    sys.task('punch', (self) => {
      const cur = current(self);
      return [...inode_lock(A, cur), inode_dio_wait(A), ...filemap_invalidate_lock(A, cur),
        truncate_pagecache_range(cur, A), free_blocks(cur, A), filemap_invalidate_unlock(A, cur), inode_unlock(A, cur)];
    });
    if (p.write) sys.task('write', (self) => {
      const cur = current(self);
      return [...inode_lock(A, cur), generic_perform_write(cur, f, A, src, B.folios[0]!), inode_unlock(A, cur)];
    });

    const mapped = (s: State): boolean => s.get(pteOf(map, f)) !== PTE.absent;
    return [
      never('no PTE maps a folio truncation removed', (s) => mapped(s) && !s.test(f.cached)),
      // the race itself: the fault mapped the folio, and the punch then took it away
      sometimes('the punch removes a folio the fault mapped', (s) => s.done(faulter) && !mapped(s) && !s.test(f.cached)),
    ];
  },
});
