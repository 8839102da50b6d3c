/**
 * `struct rw_semaphore` (kernel/locking/rwsem.c): `i_rwsem`, `mapping->invalidate_lock`,
 * `mmap_lock`. State: the set of readers, the writer, and the set of **queued writers**.
 *
 * Writer-preferring: `down_read` is blocked while a writer
 * holds the lock *or is queued for it* (the kernel's handoff eventually gives a waiting writer
 * that priority; modelling it always is sound for finding deadlocks). Not recursive: a reader
 * taking it again blocks behind a queued writer, and a holder re-taking it blocks on itself.
 *
 * `down_write` is two atomic steps when it cannot take the lock at once: it queues (from then
 * on new readers are blocked), then sleeps until readers and writer are gone.
 *
 * **Fairness: hands off.** The kernel queues readers and writers in one FIFO `wait_list`; a
 * waiter that has waited `RWSEM_WAIT_TIMEOUT` sets `RWSEM_FLAG_HANDOFF`, which stops lock
 * stealing and gives the lock to the first waiter (writers: `rwsem_try_write_lock`; readers:
 * `rwsem_mark_wake` from `rwsem_down_read_slowpath`). So a waiter is not starved by tasks that
 * re-take the rwsem forever: the sleeping `down_read` and `down_write` steps are strongly fair
 * (`StepSpec.handoff`). The queued writers are a set, not a list: which one wins first is
 * not modelled, only that each is granted the lock once it is free infinitely often. The
 * trylocks are owed nothing.
 *
 * **lockdep**: one class per rwsem (`class`, default its name; `lockClassName` for a key shared
 * by many, as `&sb->s_type->i_mutex_key`), `{4:4}`; every acquisition is recorded (a read one
 * as a read), trylocks add no order edge. `down_read_nested` / `down_write_nested` record
 * `class/subclass`, a class of its own, so two rwsems of one class nested with distinct
 * subclasses are neither recursive locking nor, in both orders, a circular dependency.
 *
 * Not modelled: a waiting reader's place in the queue. `down_read` is blocked by every queued
 * writer, also one that queued after the reader, so a reader against two writers that keep
 * re-queuing is never enabled and is reported starved, where the kernel's FIFO `wait_list`
 * wakes it (`rwsem_mark_wake`) before the later writer. Recording that order costs a queue in
 * state.
 *
 * @example
 * const inval = rwsem(sys, '&mapping->invalidate_lock[A]', 'mapping.invalidate_lock');
 * sys.task('fault', (t) => [down_read(inval, t), …, up_read(inval, t)]);
 */
import { registerLock } from './locks.ts';
import { NONE, actorSet, owner } from '../model/domain.ts';
import { ifElse, step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';
import { bits } from './bits.ts';
import { checkSubclass, clearSubclass, subclassVar } from './lockdep-map.ts';

export interface RwSem {
  readonly name: string;
  readonly lockClass: string;
  readonly readers: Var;
  /** Readers holding it a second time (a nested down_read, e.g. a fault under a shared lock). */
  readonly nested: Var;
  readonly writer: Var;
  readonly queued: Var;
  /** What a reader waits for: the writer and every queued writer. */
  readonly forRead: Resource;
  /** What a writer waits for: the readers and the writer. */
  readonly forWrite: Resource;
}

const bit = (a: ActorRef): number => 1 << a.id;

export function rwsem(sys: System, name: string, lockClass = name): RwSem {
  const readers = sys.var(`${name}.readers`, actorSet());
  const nested = sys.var(`${name}.readers_nested`, actorSet());
  const writer = sys.var(`${name}.writer`, owner());
  const queued = sys.var(`${name}.queued`, actorSet());
  const w = (s: State): number[] => (s.get(writer) === NONE ? [] : [s.get(writer)]);
  const sem: RwSem = {
    name, lockClass, readers, nested, writer, queued,
    forRead: {
      name, lockClass, shared: true,
      waitsFor: (s, me) => [...w(s), ...bits(s.get(queued)).filter((q) => q !== me)],
      relation: (s, a) => (s.get(writer) === a ? 'holds' : 'queued'),
      holds: (s, a) => (s.get(readers) & (1 << a)) !== 0,
    },
    forWrite: {
      name, lockClass,
      waitsFor: (s) => [...bits(s.get(readers)), ...w(s)],
      relation: (s, a) => (s.get(writer) === a ? 'holds' : 'shares'),
      holds: (s, a) => s.get(writer) === a,
    },
  };
  registerLock(sys, sem.forRead, 'sleep');
  registerLock(sys, sem.forWrite, 'sleep');
  return sem;
}

const writerFree = (sem: RwSem, s: State): boolean => s.get(sem.writer) === NONE && s.get(sem.readers) === 0;

/** How a wrapper (`inode_lock`, `mmap_read_lock`, …) names the step and the function it models. */
export interface As { readonly label: string; readonly fn: string }

const addReader = (sem: RwSem, s: State, self: ActorRef): State => {
  if (!(s.get(sem.readers) & bit(self))) return s.set(sem.readers, s.get(sem.readers) | bit(self));
  if (s.get(sem.nested) & bit(self)) throw new Error(`${sem.name}: ${self.name} takes it for read a third time (the model nests two deep)`);
  return s.set(sem.nested, s.get(sem.nested) | bit(self));
};

/** `down_read(sem)`: blocked while a writer holds or waits (also for a reader taking it again); hands off (not starved). */
export const down_read = (sem: RwSem, self: ActorRef, as: As = { label: `down_read(${sem.name})`, fn: `kernel/locking/rwsem.c: down_read` }): Node =>
  readLock(sem, self, as, undefined);

/**
 * `down_read_nested(sem, subclass)` (kernel/locking/rwsem.c): `down_read`, recorded by lockdep
 * under class `class/subclass` (`rwsem_acquire_read(&sem->dep_map, subclass, …)`), a class of
 * its own for the order rules. `self`: the task's self or `current(self)` (it keeps the subclass).
 */
export const down_read_nested = (sem: RwSem, subclass: number, self: ActorRef, as: As = { label: `down_read_nested(${sem.name}, ${subclass})`, fn: `kernel/locking/rwsem.c: down_read_nested` }): Node =>
  readLock(sem, self, as, nestedAs(sem.forRead, subclass, self, 'down_read_nested'));

type Nested = { readonly v: Var; readonly subclass: number } | undefined;
const nestedAs = (r: Resource, subclass: number, self: ActorRef, what: string): Nested =>
  (checkSubclass(subclass, `${what}(${r.name})`) === 0 ? undefined : { v: subclassVar(r, self, `${what}(${r.name})`), subclass });
const nest = (n: Nested, s: State): State => (n === undefined ? s : s.set(n.v, n.subclass));

const readLock = (sem: RwSem, self: ActorRef, as: As, n: Nested): Node =>
  step(as.label, {
    fn: as.fn,
    when: (s) => s.get(sem.writer) === NONE && s.get(sem.queued) === 0,
    then: (s) => nest(n, addReader(sem, s, self)),
    blocksOn: sem.forRead, acquires: sem.forRead, sleeps: true, handoff: true,
  });

/** `up_read(sem)`. */
export const up_read = (sem: RwSem, self: ActorRef, as: As = { label: `up_read(${sem.name})`, fn: `kernel/locking/rwsem.c: up_read` }): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => {
      if (!(s.get(sem.readers) & bit(self))) throw new Error(`up_read(${sem.name}) by ${self.name}, which does not hold it for read`);
      if (s.get(sem.nested) & bit(self)) return s.set(sem.nested, s.get(sem.nested) & ~bit(self));
      return clearSubclass(s.set(sem.readers, s.get(sem.readers) & ~bit(self)), sem.forRead, self);
    },
  });

/**
 * `down_write(sem)`: takes the lock if it is free and nobody is queued (the fast path);
 * otherwise queues — blocking new readers — and then waits for the holders to leave.
 */
export const down_write = (sem: RwSem, self: ActorRef, as: As = { label: `down_write(${sem.name})`, fn: `kernel/locking/rwsem.c: down_write` }): Node[] =>
  writeLock(sem, self, as, undefined);

/**
 * `down_write_nested(sem, subclass)` (kernel/locking/rwsem.c): `down_write`, recorded by lockdep
 * under class `class/subclass` (`rwsem_acquire(&sem->dep_map, subclass, 0, _RET_IP_)`): two
 * locks of one class taken nested with distinct subclasses are two classes to the order rules
 * (`inode_lock_nested`, `filemap_invalidate_lock_two`). `self`: the task's self or
 * `current(self)` (it keeps the subclass).
 */
export const down_write_nested = (sem: RwSem, subclass: number, self: ActorRef, as: As = { label: `down_write_nested(${sem.name}, ${subclass})`, fn: `kernel/locking/rwsem.c: down_write_nested` }): Node[] =>
  writeLock(sem, self, as, nestedAs(sem.forWrite, subclass, self, 'down_write_nested'));

const writeLock = (sem: RwSem, self: ActorRef, as: As, n: Nested): Node[] => [
  step(as.label, {
    fn: as.fn, acquires: sem.forWrite, sleeps: true,
    then: (s) => (writerFree(sem, s) && s.get(sem.queued) === 0
      ? nest(n, s.set(sem.writer, self.id))
      : s.set(sem.queued, s.get(sem.queued) | bit(self))),
  }),
  ifElse((s) => s.get(sem.writer) !== self.id, [
    step(`${as.label} [sleep]`, {
      fn: `kernel/locking/rwsem.c: rwsem_down_write_slowpath`,
      when: (s) => writerFree(sem, s),
      then: (s) => nest(n, s.set(sem.writer, self.id).set(sem.queued, s.get(sem.queued) & ~bit(self))),
      blocksOn: sem.forWrite, acquires: sem.forWrite, sleeps: true, handoff: true,
    }),
  ]),
];

/** `up_write(sem)`. */
export const up_write = (sem: RwSem, self: ActorRef, as: As = { label: `up_write(${sem.name})`, fn: `kernel/locking/rwsem.c: up_write` }): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => {
      if (s.get(sem.writer) !== self.id) throw new Error(`up_write(${sem.name}) by ${self.name}, which does not hold it`);
      return clearSubclass(s.set(sem.writer, NONE), sem.forWrite, self);
    },
  });

/**
 * `downgrade_write(sem)` (kernel/locking/rwsem.c): the writer becomes a reader in one step, no
 * other writer between (`rwsem_downgrade_wake` wakes the readers at the head of the wait list,
 * none past a waiting writer: here, readers still wait while a writer is queued). lockdep:
 * `lock_downgrade`, the held lock turned into a read hold in place: no acquisition, no order edge.
 */
export const downgrade_write = (sem: RwSem, self: ActorRef, as: As = { label: `downgrade_write(${sem.name})`, fn: `kernel/locking/rwsem.c: downgrade_write` }): Node =>
  step(as.label, {
    fn: as.fn,
    then: (s) => {
      if (s.get(sem.writer) !== self.id) throw new Error(`downgrade_write(${sem.name}) by ${self.name}, which does not hold it`);
      return addReader(sem, clearSubclass(s.set(sem.writer, NONE), sem.forWrite, self), self);
    },
  });

/** `down_read_trylock(sem)`: 1 in `result` if taken; never blocks. */
export const down_read_trylock = (sem: RwSem, self: ActorRef, result: Var): Node =>
  step(`down_read_trylock(${sem.name})`, {
    fn: `kernel/locking/rwsem.c: down_read_trylock`,
    acquires: sem.forRead, trylock: true,
    then: (s) => (s.get(sem.writer) === NONE && s.get(sem.queued) === 0
      ? addReader(sem, s, self).set(result, 1)
      : s.set(result, 0)),
  });
