/**
 * The kernel library: every primitive kmc models, under the kernel's own names. A model imports
 * from here (`kmc/kernel` in a package) or from the one file it needs.
 */
export * from './mutex.ts';
export * from './rwsem.ts';
export * from './two-state-lock.ts';
export * from './bit-lock.ts';
export * from './bits.ts';
export * from './folio.ts';
export * from './inode.ts';
export * from './file.ts';
export * from './fs.ts';
export * from './ext4.ts';
export * from './xfs.ts';
export * from './gfs2.ts';
export * from './mm.ts';
export * from './current.ts';
export * from './fault.ts';
export * from './gup.ts';
export * from './device.ts';
export * from './writeback.ts';
export * from './truncate.ts';
export * from './reclaim.ts';
export * from './release-folio.ts';
export * from './buffered.ts';
export * from './dio.ts';
export * from './bcachefs.ts';
export * from './locks.ts';
export * from './context.ts';
export * from './spinlock.ts';
export * from './rcu.ts';
export * from './rcu-lockdep.ts';
export * from './seqlock.ts';
export * from './completion.ts';
export * from './ww-mutex.ts';
export * from './lockdep.ts';
export * from './guarded.ts';
export * from './ipi.ts';
export * from './sched.ts';
export * from './jbd2.ts';
export * from './percpu-rwsem.ts';
export * from './super.ts';
export * from './pgtable.ts';
export * from './tlb.ts';
export * from './gup-fast.ts';
