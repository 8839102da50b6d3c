/**
 * The DIO tasks: task t writes folio 0 of file t mod `files` from its buffer, one write each.
 * Each `dio` variant is a named record: the iomap path (d0), the same holding `invalidate_lock`
 * across GUP (d1: the VFS analogue of bcachefs's lock), bcachefs's `bch2_direct_write` (d2),
 * and GFS2's prefault / FOLL_NOFAULT / retry (d3, commit b01b2d72da25).
 */
import { bool, brk, ifElse, int, loop, type Program, type Self, type Var } from '../../src/index.ts';
import { EFAULT } from '../../src/kernel/gup.ts';
import { current, type Current } from '../../src/kernel/current.ts';
import { bad_area, user_fault } from '../../src/kernel/fault.ts';
import { filemap_invalidate_lock, filemap_invalidate_lock_shared, filemap_invalidate_unlock, filemap_invalidate_unlock_shared,
  inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared } from '../../src/kernel/inode.ts';
import { iomap_dio_write, type DioOptions } from '../../src/kernel/dio.ts';
import { bch2_direct_write } from '../../src/kernel/bcachefs.ts';
import { pteOf, PTE } from '../../src/kernel/mm.ts';
import type { Params, World } from './world.ts';

type Dio = (cur: Current, w: World, t: number) => Program;

const iomap = (cur: Current, w: World, t: number, extra: Partial<DioOptions> = {}): Program => {
  const A = w.dioFile(t);
  return [inode_lock_shared(A, cur), iomap_dio_write(cur, A, { vma: w.bufs[t]!, folio: w.bufFolio(t) }, { range: w.range(t), fault: w.fault, ...extra }), inode_unlock_shared(A, cur)];
};

export const dios: Record<Params['dio'], Dio> = {
  d0: (cur, w, t) => iomap(cur, w, t),
  d1_excl: (cur, w, t) => iomap(cur, w, t, { hold: { take: filemap_invalidate_lock(w.dioFile(t), cur), drop: filemap_invalidate_unlock(w.dioFile(t), cur) } }),
  d1_shared: (cur, w, t) => iomap(cur, w, t, { hold: { take: filemap_invalidate_lock_shared(w.dioFile(t), cur), drop: filemap_invalidate_unlock_shared(w.dioFile(t), cur) } }),
  d2: (cur, w, t) => bch2_direct_write(cur, w.dioFile(t), { vma: w.bufs[t]!, folio: w.bufFolio(t) }, { fault: w.fault, files: w.files, range: w.range(t) }),
  d3: (cur, w, t) => {
    const A = w.dioFile(t), buf = w.bufs[t]!, f = w.bufFolio(t), written = cur.local('dio_written', bool()), bad = buf.mapped === undefined ? undefined : bad_area(cur);
    return loop(
      ifElse((s) => s.get(pteOf(buf, f)) === PTE.absent, [user_fault(cur, buf, f, { write: false, fault: w.fault })]),   // fault_in_iov_iter_readable
      // nothing faulted in (the buffer was munmap'ed): window_size is 0, no retry, the write returns -EFAULT
      bad === undefined ? [] : ifElse((s) => s.test(bad), [brk()]),
      ...inode_lock(A, cur),
      iomap_dio_write(cur, A, { vma: buf, folio: f }, { range: w.range(t), fault: w.fault, nofault: true }),
      inode_unlock(A, cur),
      ifElse((s) => s.test(written), [brk()]),
    );
  },
};

/** Task t's program, and — once built — where its GUP left its result. */
export function dio(w: World, t: number): { build: (self: Self) => Program; result: () => Var } {
  let result: Var | undefined;
  return {
    build: (self) => {
      const cur = current(self);
      result = cur.local('gup_ret', int(EFAULT, 0));
      return dios[w.p.dio](cur, w, t);
    },
    result: () => result!,
  };
}
