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
 *
 * **Every lock at a glance** — each constructor that declares a lock (`registerLock`, lockdep's
 * `lockdep_init_map`), how its waiters wait, whether it hands off, and what lockdep records
 * (class, wait type `{outer:inner}`; `{4:4}` sleeping, `{2:2}` spinning, `{0:0}` a bare map).
 * `src/kernel/lock-table.test.ts` finds the constructors in the code and checks each has its row and wait type.
 *
 * | primitive | waits how | fairness | lockdep class / records |
 * |---|---|---|---|
 * | `mutex`, `mutexArray` | sleeps while owned; `mutex_trylock` never waits | hands off: `MUTEX_FLAG_HANDOFF` (kernel/locking/mutex.c `__mutex_trylock_or_handoff`, `__mutex_handoff`) | its class (default the name; one for an array), `{4:4}`; `mutex_lock_nested` → `class/N` |
 * | `rwsem` | sleeps; a queued writer blocks new readers and waits readers out | hands off: `RWSEM_FLAG_HANDOFF` (kernel/locking/rwsem.c `rwsem_try_write_lock`, `rwsem_down_read_slowpath`); queued writers unordered | its class, `{4:4}`, reads as reads; `down_read_nested`, `down_write_nested` → `class/N` |
 * | `percpu_rwsem` | sleeps; a writer sets `block`, then waits readers out | none modelled: no queue order (`percpu_rwsem_wait` is FIFO, kernel/locking/percpu-rwsem.c) | its class, `{4:4}`; `percpu_down_read` as a read |
 * | `spinlock` | spins, owns its CPU | hands off: qspinlock MCS queue (kernel/locking/qspinlock.c) | its class, `{2:2}`; irq usage, `mark_held_locks` |
 * | `rwlock` | spins; a queued writer stops new readers in process context only | none: a queued writer can be passed (kernel/locking/qrwlock.c) | its class, `{2:2}`, reads as reads |
 * | `seqlock` | writers: its spinlock `&name->lock`; readers retry (a livelock, not a wait) | the spinlock's | `&name->lock`, `{2:2}` |
 * | `folio` | `folio_lock` sleeps on PG_locked | hands off after `page_lock_unfairness` wakeups (mm/filemap.c `folio_wait_bit_common`) | not tracked (PG_locked has no lockdep map), `{0:0}` in held-lock lists |
 * | `bitLock` | `wait_on_bit_lock` sleeps, woken it races newcomers | none (include/linux/wait_bit.h) | not tracked, `{0:0}` |
 * | `twoStateLock` | `wait_event` until the other side drains | none: no queue, woken waiters race (fs/bcachefs/two_state_shared_lock.h) | not tracked, `{0:0}` (`&ei->ei_pagecache_lock`) |
 * | `glock` | waits for holders of an incompatible state | none modelled (fs/gfs2/glock.c holder queue left out) | not tracked: the kernel gives glocks no lockdep map, `{0:0}` |
 * | `ww_mutex` | sleeps, or -EDEADLK under wait-die / wound-wait | as its class's algorithm (kernel/locking/ww_mutex.h) | not tracked in the order graph: ordered by its acquire context |
 * | `journal` | handles wait in `wait_transaction_locked` while `T_LOCKED`; the commit waits for handles | none (fs/jbd2/transaction.c) | map `jbd2_handle`, `{0:0}`: a handle holds it for read, `jbd2_might_wait_for_commit` takes it for write |
 * | `file` | its `i_rwsem`, `invalidate_lock` (rwsems), folios' PG_locked; xfs `XFS_ILOCK`, bcachefs pagecache lock | the rwsem's, the folio lock's | `&sb->s_type->i_mutex_key`, `mapping.invalidate_lock` per filesystem type (`#2`, … for more types), `&xfs_nondir_ilock_class`; `{4:4}`; PG_locked not tracked; nesting via `inode_lock_nested`, `lock_two_nondirectories`, `filemap_invalidate_lock_two` |
 * | `mm_struct` | `mmap_lock` (an rwsem); `mmap(…, { vm_lock })` adds the VMA lock | the rwsem's | `&mm->mmap_lock`, `&vma->vm_lock`, `{4:4}`; every `mmap_read_lock` recorded |
 * | `super_block` | `s_writers` levels (percpu rwsems), `s_umount` (rwsem) | theirs | `sb_writers`, `sb_pagefaults`, `sb_internal`, `&type->s_umount_key`, `{4:4}` |
 * | `pte_table` | its split PTE lock (a spinlock) | the spinlock's | `ptlock_ptr(ptdesc)`, `{2:2}` |
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
