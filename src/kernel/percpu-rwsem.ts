/**
 * `struct percpu_rw_semaphore` (kernel/locking/percpu-rwsem.c, include/linux/percpu-rwsem.h):
 * the reader-cheap rwsem behind freeze protection (`sb->s_writers.rw_sem[]`), `cgroup_threadgroup_rwsem`,
 * `cpu_hotplug_lock`. State: the readers, and `block`: the writer that owns the semaphore.
 *
 * - `percpu_down_read` takes it at once unless `block` is set (a writer owns it or is waiting for
 *   readers to leave): then it sleeps until `percpu_up_write` (`__percpu_down_read` →
 *   `percpu_rwsem_wait`). A reader taking it again while a writer is waiting blocks behind that
 *   writer: a self-deadlock, as in the kernel.
 * - `percpu_down_write` is two steps: set `block` (`__percpu_down_write_trylock`; a second writer
 *   sleeps until it is cleared), from then on new readers wait; then sleep until the readers have
 *   left (`rcuwait_wait_event(readers_active_check)`). `rcu_sync_enter`, which only makes readers
 *   look at `block`, is folded into the first step.
 *
 * lockdep: the semaphore is one class (`dep_map`): `percpu_down_read` is `rwsem_acquire_read`,
 * `percpu_down_write` is `rwsem_acquire`, recorded when called (before waiting). Declaring one
 * turns lockdep's rules on.
 *
 * Fairness: a writer that set `block` goes before every reader arriving after it; at
 * `percpu_up_write` the sleeping readers and writers compete again for it (kmc keeps no queue
 * order: `percpu_rwsem_wait` queues FIFO, but a reader arriving then may take it first).
 *
 * @example
 * const sem = percpu_rwsem(sys, 'sb->s_writers.rw_sem[0]', 'sb_writers');
 * [percpu_down_read(sem, t), step('write'), percpu_up_read(sem, t)]
 * [...percpu_down_write(sem, t), step('frozen'), percpu_up_write(sem, t)]
 */
import { NONE, actorSet, bool, owner } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { bits } from './bits.ts';
import { registerLock } from './locks.ts';
import { lockdep } from './lockdep.ts';

export interface PercpuRwSem {
  readonly name: string;
  readonly lockClass: string;
  readonly readers: Var;
  /** Readers holding it a second time. */
  readonly nested: Var;
  /** `sem->block`: the writer that owns it (waiting for readers, or holding it). */
  readonly block: Var;
  readonly forRead: Resource;
  readonly forWrite: Resource;
  /** What the writer waits for once it set `block`: the readers. */
  readonly drain: Resource;
  /** lockdep no longer sees the writer as holding it (`percpu_rwsem_release`). */
  readonly released: Var;
}

export function percpu_rwsem(sys: System, name: string, lockClass = name): PercpuRwSem {
  const readers = sys.var(`${name}.readers`, actorSet()), nested = sys.var(`${name}.readers_nested`, actorSet()), block = sys.var(`${name}.block`, owner());
  const released = sys.var(`${name}.lockdep_released`, bool());
  const blocker = (s: State): number[] => (s.get(block) === NONE ? [] : [s.get(block)]);
  const sem: PercpuRwSem = {
    name, lockClass, readers, nested, block, released,
    forRead: { name, lockClass, shared: true, waitsFor: blocker, holds: (s, a) => (s.get(readers) & (1 << a)) !== 0 },
    forWrite: { name, lockClass, waitsFor: blocker, holds: (s, a) => s.get(block) === a && !s.test(released) },
    drain: { name, lockClass, waitsFor: (s) => bits(s.get(readers)), relation: () => 'shares' },
  };
  lockdep(sys);
  registerLock(sys, sem.forRead, 'sleep');
  registerLock(sys, sem.forWrite, 'sleep');
  return sem;
}

const P = 'kernel/locking/percpu-rwsem.c', H = 'include/linux/percpu-rwsem.h';

/** How a wrapper (`sb_start_write`, …) names the step and the function it models. */
export interface PercpuAs { readonly label: string; readonly fn: string }

/** `percpu_down_read(sem)`: sleeps while a writer owns `block`. */
export const percpu_down_read = (sem: PercpuRwSem, self: ActorRef, as: PercpuAs = { label: `percpu_down_read(${sem.name})`, fn: `${H}: percpu_down_read` }): Node =>
  step(as.label, {
    fn: as.fn, sleeps: true,
    when: (s) => s.get(sem.block) === NONE,
    then: (s) => {
      const me = 1 << self.id;
      if (!(s.get(sem.readers) & me)) return s.set(sem.readers, s.get(sem.readers) | me);
      if (s.get(sem.nested) & me) throw new Error(`${sem.name}: ${self.name} takes it for read a third time (the model nests two deep)`);
      return s.set(sem.nested, s.get(sem.nested) | me);
    },
    blocksOn: sem.forRead, acquires: sem.forRead,
  });

/** `percpu_up_read(sem)` (wakes a writer waiting for readers: `rcuwait_wake_up`). */
export const percpu_up_read = (sem: PercpuRwSem, self: ActorRef, as: PercpuAs = { label: `percpu_up_read(${sem.name})`, fn: `${H}: percpu_up_read` }): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => {
      const me = 1 << self.id;
      if (!(s.get(sem.readers) & me)) throw new Error(`${as.label} by ${self.name}, which does not hold it for read`);
      if (s.get(sem.nested) & me) return s.set(sem.nested, s.get(sem.nested) & ~me);
      return s.set(sem.readers, s.get(sem.readers) & ~me);
    },
  });

/** `percpu_down_write(sem)`: own `block` (new readers wait from here), then sleep until the readers have left. */
export const percpu_down_write = (sem: PercpuRwSem, self: ActorRef, as: PercpuAs = { label: `percpu_down_write(${sem.name})`, fn: `${P}: percpu_down_write` }): Node[] => [
  step(as.label, {
    fn: as.fn, sleeps: true,
    when: (s) => s.get(sem.block) === NONE,
    then: (s) => s.set(sem.block, self.id),
    blocksOn: sem.forWrite, acquires: sem.forWrite,
  }),
  step(`${as.label}: wait for readers`, {
    fn: `${P}: percpu_down_write`, sleeps: true,
    when: (s) => s.get(sem.readers) === 0,   // a writer that holds it for read waits for itself
    blocksOn: sem.drain,
  }),
];

/** `percpu_up_write(sem)`: clears `block` and wakes every waiter. */
export const percpu_up_write = (sem: PercpuRwSem, self: ActorRef, as: PercpuAs = { label: `percpu_up_write(${sem.name})`, fn: `${P}: percpu_up_write` }): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => {
      if (s.get(sem.block) !== self.id) throw new Error(`${as.label} by ${self.name}, which does not hold it`);
      return s.set(sem.block, NONE);
    },
  });

/**
 * `percpu_rwsem_release(sem, …)` (include/linux/percpu-rwsem.h): lockdep forgets that the writer
 * holds it, which keeps holding it (`freeze_super` returning to user space frozen).
 */
export const percpu_rwsem_release = (sems: readonly PercpuRwSem[], self: ActorRef, as: PercpuAs): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => sems.reduce((t, sem) => {
      if (t.get(sem.block) !== self.id) throw new Error(`${as.label} by ${self.name}, which does not hold ${sem.name}`);
      return t.set(sem.released, true);
    }, s),
  });

/** `percpu_rwsem_acquire(sem, …)`: lockdep sees the writer holding it again, as a trylock (no order recorded). */
export const percpu_rwsem_acquire = (sems: readonly PercpuRwSem[], self: ActorRef, as: PercpuAs): Node =>
  step(as.label, {
    fn: as.fn, trylock: true, acquires: sems.map((x) => x.forWrite),
    then: (s) => sems.reduce((t, sem) => {
      if (t.get(sem.block) !== self.id) throw new Error(`${as.label} by ${self.name}, which does not hold ${sem.name}`);
      return t.set(sem.released, false);
    }, s),
  });
