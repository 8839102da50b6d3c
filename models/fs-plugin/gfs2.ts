import { goto, ifElse, int, label, step, type Program } from '../../src/index.ts';
import { current, EFAULT, file, foll, get_user_pages, gfs2_direct_io_locked, mm_struct, mmap, unpin_user_page, user_fault } from '../../src/kernel/index.ts';
import type { Case } from './shared.ts';

/**
 * GFS2 direct I/O (fs/gfs2/file.c: gfs2_file_direct_write) holds the inode glock in
 * LM_ST_DEFERRED; `gfs2_fault` asks for LM_ST_SHARED, which a DEFERRED holder excludes. A DIO
 * whose buffer is a mapping of the same file, faulted with page faults enabled, waits for
 * itself — the recursion "gfs2: Fix mmap + page fault deadlocks for direct I/O" (Linux 5.16)
 * removed (the folio not cached: fault-around maps a cached one without `->fault`): page faults disabled under the glock (FOLL_NOFAULT), and on -EFAULT the glock
 * dropped, the buffer faulted in, the I/O retried (`nofault`).
 */
export const gfs2Dio = (nofault: boolean): Case => (sys) => {
  const A = file(sys, 'A', { fs: 'gfs2', init: { cached: false } });
  const map = mmap(sys, mm_struct(sys), A, { name: 'map' }), f = A.folios[0]!, PIN = foll('pin');
  sys.task('dio', (self) => {
    const cur = current(self), again = cur.label('retry'), ret = cur.local('gup_ret', int(EFAULT, 0));
    const gup = get_user_pages(cur, map, f, PIN, { nofault });
    const io: Program = [step('submit_bio', { fn: 'fs/iomap/direct-io.c: iomap_dio_bio_iter' }), unpin_user_page(f, cur, PIN)];
    if (!nofault) return gfs2_direct_io_locked(cur, A, [gup, io]);
    return [
      label(again),
      gfs2_direct_io_locked(cur, A, [gup, ifElse((s) => s.get(ret) === 0, io)]),
      ifElse((s) => s.get(ret) === EFAULT, [user_fault(cur, map, f, { write: false }), goto(again)]),   // fault_in_iov_iter_writeable, retry
    ];
  });
  return [];
};

