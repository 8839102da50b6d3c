/**
 * A fault taken in kernel mode does not try the per-VMA lock. arch/x86/mm/fault.c
 * do_user_addr_fault: "if (!(flags & FAULT_FLAG_USER)) goto lock_mmap;" — FAULT_FLAG_USER is
 * set only "if (user_mode(regs))", and a write(2)'s `fault_in_iov_iter_readable` →
 * `fault_in_readable` touches the user buffer from the kernel. So generic_perform_write's
 * prefault of its source faults under `mmap_read_lock`, holding `inode_lock` (taken by
 * generic_file_write_iter's caller), even where the source VMA has a per-VMA lock.
 *
 * The other task takes `mmap_write_lock` and then `inode_lock` (against the order
 * i_rwsem -> mmap_lock that the write's prefault records): the write's prefault waits for
 * mmap_lock, the other task for the inode lock — a deadlock, and lockdep's circular dependency.
 * Under the per-VMA lock (a user-mode fault) the prefault would not wait for mmap_lock.
 */
import type { Property, System } from '../../src/index.ts';
import { current, file, generic_perform_write, inode_lock, inode_unlock, mm_struct, mmap, mmap_write_lock, mmap_write_unlock } from '../../src/kernel/index.ts';

export const kernelModeFault = (sys: System): readonly Property[] => {
  const A = file(sys, 'A'), B = file(sys, 'B', { init: { cached: true, uptodate: true } }), mm = mm_struct(sys, 'mm', { writer: true });
  const src = mmap(sys, mm, B, { name: 'src', pte: 'absent', vm_lock: true });
  sys.task('write', (self) => { const cur = current(self); return [inode_lock(A, self), generic_perform_write(cur, A.folios[0]!, A, src, B.folios[0]!), inode_unlock(A, self)]; });
  sys.task('mmap', (self) => [mmap_write_lock(mm, self), inode_lock(A, self), inode_unlock(A, self), mmap_write_unlock(mm, self)]);
  return [];
};
