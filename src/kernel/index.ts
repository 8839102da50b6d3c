/**
 * The kernel library: every primitive kmc models, under the kernel's own names. A model imports
 * from here (`kmc/kernel` in a package) or from the one file it needs. Every primitive is one
 * atomic step or the kernel's own sequence of steps, named after the kernel function, and each
 * step cites the `file: function` it models in traces. Blocking is a guard over state that
 * records its holders, never a spin.
 *
 * **Fairness** belongs to the lock: a step may declare that its lock hands off
 * (`StepSpec.handoff`), and liveness then treats it as strongly fair — a waiter that finds the
 * lock free infinitely often is granted it, so a task re-taking the lock forever does not starve
 * it. `mutex_lock` (`MUTEX_FLAG_HANDOFF`), the sleeping `down_read`/`down_write`
 * (`RWSEM_FLAG_HANDOFF`) and `folio_lock` (`page_lock_unfairness`, mm/filemap.c
 * `folio_wait_bit_common`) hand off. The two-state lock, `wait_on_bit_lock`, `wait_event` on a
 * condition and every trylock-and-retry loop hand off nothing: their waiters are owed only their
 * actor's fairness, and starve under weak fairness. An actor with fairness `none` is owed nothing
 * anywhere. `models/fairness` has the known answers.
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
