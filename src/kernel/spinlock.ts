/**
 * `spinlock_t` (kernel/locking/spinlock.c, include/linux/spinlock.h) and `rwlock_t`
 * (kernel/locking/qrwlock.c), with their `_irq`, `_irqsave` and `_bh` variants.
 *
 * Taking one disables preemption (the CPU is then the taker's: no other task placed on it
 * steps), and the variant's interrupts or bottom halves, in the same atomic step as the
 * acquisition: a contended waiter spins, but an interleaving in which it spins is one in which
 * it was preempted just before, so one step explores the same states. Spinning is a guard,
 * never a loop; the owner is recorded in the state, so an AA (a handler spinning on the lock
 * the task it interrupted holds) is a wait-for cycle through the CPU.
 *
 * lockdep: each lock is a class (`lockClass`, default its name) of wait type `{2:2}`; an
 * acquisition records the irq state it was taken in (the usage bits), and an unlock that enables
 * interrupts or bottom halves again (`spin_unlock_irq`, `_irqrestore`, `_bh`) marks every lock
 * still held as taken with them enabled (`lockdep_hardirqs_on` → `mark_held_locks`):
 * `spin_unlock_irq(B)` inside `spin_lock_irqsave(A)` makes A HARDIRQ-unsafe.
 *
 * `rwlock_t` is qrwlock: a writer that cannot take the lock at once queues (`_QW_WAITING`),
 * which stops new readers in process context; readers in interrupt context still get it while
 * no writer holds it (`queued_read_lock_slowpath`), so a reader in an interrupt does not
 * deadlock behind a queued writer.
 *
 * **Fairness.** `spinlock_t` is a qspinlock (kernel/locking/qspinlock.c): a contended locker
 * sets the pending bit or joins the MCS queue, and the fast path takes only a lock word that is
 * 0, so a newcomer cannot pass a waiter: FIFO, and `spin_lock` is a strongly fair step
 * (`StepSpec.handoff`), its spinner not starved by a CPU that re-takes the lock forever. The
 * `rwlock_t` steps are owed only their actor's fairness (a queued writer can be passed by
 * readers in interrupt context), `spin_trylock` nothing.
 *
 * @example
 * const l = spinlock(sys, '&dev->lock');
 * const flags = c.self.local('flags', bool());
 * [spin_lock_irqsave(l, c, flags), step('touch dev'), spin_unlock_irqrestore(l, c, flags)]
 */
import { NONE, actorSet, owner } from '../model/domain.ts';
import { ifElse, step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { bits } from './bits.ts';
import type { Context } from './context.ts';
import { registerLock } from './locks.ts';
import { enter, irqsOn, leave, type Variant } from './irq-variant.ts';

export interface Spinlock extends Resource {
  readonly owner: Var;
  readonly lockClass: string;
}

/** A `spinlock_t` in its own field. */
export function spinlock(sys: System, name: string, lockClass = name): Spinlock {
  const o = sys.var(name, owner());
  return registerLock(sys, {
    name, lockClass, owner: o,
    waitsFor: (s) => (s.get(o) === NONE ? [] : [s.get(o)]),
    holds: (s, a) => s.get(o) === a,
  }, 'spin');
}


const SPIN = 'kernel/locking/spinlock.c';

const lock = (l: Spinlock, c: Context, v: Variant): Node =>
  step(`spin_lock${v.suffix}(${l.name})`, {
    fn: `${SPIN}: _raw_spin_lock${v.suffix}`,
    when: (s) => s.get(l.owner) === NONE,
    then: (s) => enter(s, c, v).set(l.owner, c.self.id),
    blocksOn: l, acquires: l, handoff: true,
  });

const unlock = (l: Spinlock, c: Context, v: Variant, what: string): Node =>
  step(`spin_unlock${what}(${l.name})`, {
    fn: `${SPIN}: _raw_spin_unlock${what}`, ...irqsOn(v),
    then: (s) => {
      if (s.get(l.owner) !== c.self.id) throw new Error(`spin_unlock${what}(${l.name}) by ${c.self.name}, which does not hold it`);
      return leave(s.set(l.owner, NONE), c, v);
    },
  });

/** `spin_lock(l)`: spins while another context holds it; disables preemption. */
export const spin_lock = (l: Spinlock, c: Context): Node => lock(l, c, { suffix: '' });
export const spin_unlock = (l: Spinlock, c: Context): Node => unlock(l, c, { suffix: '' }, '');
/** `spin_lock_irq(l)`: also disables interrupts (and `spin_unlock_irq` enables them, whatever they were). */
export const spin_lock_irq = (l: Spinlock, c: Context): Node => lock(l, c, { suffix: '_irq', irq: true });
export const spin_unlock_irq = (l: Spinlock, c: Context): Node => unlock(l, c, { suffix: '_irq', irq: true }, '_irq');
/** `spin_lock_irqsave(l, flags)`: disables interrupts, keeping their state in `flags` (a bool local). */
export const spin_lock_irqsave = (l: Spinlock, c: Context, flags: Var): Node => lock(l, c, { suffix: '_irqsave', save: flags });
export const spin_unlock_irqrestore = (l: Spinlock, c: Context, flags: Var): Node => unlock(l, c, { suffix: '_irqsave', save: flags }, '_irqrestore');
/** `spin_lock_bh(l)`: also disables bottom halves. */
export const spin_lock_bh = (l: Spinlock, c: Context): Node => lock(l, c, { suffix: '_bh', bh: true });
export const spin_unlock_bh = (l: Spinlock, c: Context): Node => unlock(l, c, { suffix: '_bh', bh: true }, '_bh');

/** `spin_trylock(l)`: 1 in `result` if taken (preemption then disabled), else 0; never spins. */
export const spin_trylock = (l: Spinlock, c: Context, result: Var): Node =>
  step(`spin_trylock(${l.name})`, {
    fn: `${SPIN}: _raw_spin_trylock`, acquires: l, trylock: true,
    then: (s) => (s.get(l.owner) === NONE ? enter(s, c, { suffix: '' }).set(l.owner, c.self.id).set(result, 1) : s.set(result, 0)),
  });

export interface RwLock {
  readonly name: string;
  readonly lockClass: string;
  readonly readers: Var;
  readonly writer: Var;
  /** The writer waiting for readers to drain (`_QW_WAITING`; writers queue on `wait_lock` one at a time). */
  readonly queued: Var;
  readonly forRead: Resource;
  readonly forWrite: Resource;
}

/** A `rwlock_t`. */
export function rwlock(sys: System, name: string, lockClass = name): RwLock {
  const readers = sys.var(`${name}.readers`, actorSet()), writer = sys.var(`${name}.writer`, owner()), queued = sys.var(`${name}.queued`, owner());
  const who = (s: State, v: Var): number[] => (s.get(v) === NONE ? [] : [s.get(v)]);
  const forRead: Resource = {
    name, lockClass, shared: true,
    waitsFor: (s, me) => [...who(s, writer), ...who(s, queued).filter((q) => q !== me)],
    relation: (s, a) => (s.get(writer) === a ? 'holds' : 'queued'),
    holds: (s, a) => (s.get(readers) & (1 << a)) !== 0,
  };
  const forWrite: Resource = {
    name, lockClass,
    waitsFor: (s, me) => [...bits(s.get(readers)), ...who(s, writer), ...who(s, queued).filter((q) => q !== me)],
    relation: (s, a) => (s.get(writer) === a ? 'holds' : s.get(queued) === a ? 'queued' : 'shares'),
    holds: (s, a) => s.get(writer) === a,
  };
  registerLock(sys, forRead, 'rwlock');
  registerLock(sys, forWrite, 'rwlock');
  return { name, lockClass, readers, writer, queued, forRead, forWrite };
}

const QRW = 'kernel/locking/qrwlock.c';

const readLock = (l: RwLock, c: Context, v: Variant): Node =>
  step(`read_lock${v.suffix}(${l.name})`, {
    fn: `${QRW}: queued_read_lock_slowpath`,
    // in interrupt context a reader only waits for a writer holding the lock
    when: (s) => s.get(l.writer) === NONE && (c.kind !== 'task' || s.get(l.queued) === NONE),
    then: (s) => enter(s, c, v).set(l.readers, s.get(l.readers) | (1 << c.self.id)),
    blocksOn: l.forRead, acquires: l.forRead,
  });
const readUnlock = (l: RwLock, c: Context, v: Variant, what: string): Node =>
  step(`read_unlock${what}(${l.name})`, {
    fn: `kernel/locking/spinlock.c: _raw_read_unlock${what}`, ...irqsOn(v),
    then: (s) => {
      if (!(s.get(l.readers) & (1 << c.self.id))) throw new Error(`read_unlock(${l.name}) by ${c.self.name}, which does not hold it`);
      return leave(s.set(l.readers, s.get(l.readers) & ~(1 << c.self.id)), c, v);
    },
  });

const free = (l: RwLock, s: State): boolean => s.get(l.readers) === 0 && s.get(l.writer) === NONE;

const writeLock = (l: RwLock, c: Context, v: Variant): Program => [
  step(`write_lock${v.suffix}(${l.name})`, {
    fn: `${QRW}: queued_write_lock_slowpath`,
    when: (s) => s.get(l.queued) === NONE,   // writers queue on wait_lock one at a time
    then: (s) => {
      const t = enter(s, c, v);
      return free(l, t) ? t.set(l.writer, c.self.id) : t.set(l.queued, c.self.id);
    },
    blocksOn: l.forWrite, acquires: l.forWrite,
  }),
  ifElse((s) => s.get(l.writer) !== c.self.id, [
    step(`write_lock${v.suffix}(${l.name}) [spin]`, {
      fn: `${QRW}: queued_write_lock_slowpath`,
      when: (s) => free(l, s),
      then: (s) => s.set(l.writer, c.self.id).set(l.queued, NONE),
      blocksOn: l.forWrite, acquires: l.forWrite,
    }),
  ]),
];
const writeUnlock = (l: RwLock, c: Context, v: Variant, what: string): Node =>
  step(`write_unlock${what}(${l.name})`, {
    fn: `kernel/locking/spinlock.c: _raw_write_unlock${what}`, ...irqsOn(v),
    then: (s) => {
      if (s.get(l.writer) !== c.self.id) throw new Error(`write_unlock(${l.name}) by ${c.self.name}, which does not hold it`);
      return leave(s.set(l.writer, NONE), c, v);
    },
  });

/** `read_lock(l)`: waits while a writer holds it — or, in process context, waits queued for it. */
export const read_lock = (l: RwLock, c: Context): Node => readLock(l, c, { suffix: '' });
export const read_unlock = (l: RwLock, c: Context): Node => readUnlock(l, c, { suffix: '' }, '');
export const read_lock_irq = (l: RwLock, c: Context): Node => readLock(l, c, { suffix: '_irq', irq: true });
export const read_unlock_irq = (l: RwLock, c: Context): Node => readUnlock(l, c, { suffix: '_irq', irq: true }, '_irq');
export const read_lock_bh = (l: RwLock, c: Context): Node => readLock(l, c, { suffix: '_bh', bh: true });
export const read_unlock_bh = (l: RwLock, c: Context): Node => readUnlock(l, c, { suffix: '_bh', bh: true }, '_bh');
/** `write_lock(l)`: takes it if free; otherwise queues (new process-context readers wait) and spins until readers drain. */
export const write_lock = (l: RwLock, c: Context): Program => writeLock(l, c, { suffix: '' });
export const write_unlock = (l: RwLock, c: Context): Node => writeUnlock(l, c, { suffix: '' }, '');
export const write_lock_irq = (l: RwLock, c: Context): Program => writeLock(l, c, { suffix: '_irq', irq: true });
export const write_unlock_irq = (l: RwLock, c: Context): Node => writeUnlock(l, c, { suffix: '_irq', irq: true }, '_irq');
export const write_lock_irqsave = (l: RwLock, c: Context, flags: Var): Program => writeLock(l, c, { suffix: '_irqsave', save: flags });
export const write_unlock_irqrestore = (l: RwLock, c: Context, flags: Var): Node => writeUnlock(l, c, { suffix: '_irqsave', save: flags }, '_irqrestore');
export const write_lock_bh = (l: RwLock, c: Context): Program => writeLock(l, c, { suffix: '_bh', bh: true });
export const write_unlock_bh = (l: RwLock, c: Context): Node => writeUnlock(l, c, { suffix: '_bh', bh: true }, '_bh');
