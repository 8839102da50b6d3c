/**
 * The known-answer cases, one named record each: the actors they declare. Every answer is
 * lockdep's (or the kernel's) own, see the doc of each value in params.ts.
 */
import { bool, goto, ifElse, int, label, step, type Program, type Self, type State, type System } from '../../src/index.ts';
import {
  complete, completion, context, cpu, current, hardirq, mutex, mutex_lock, mutex_unlock, rcu_read_lock, rcu_read_unlock,
  softirq, spin_lock, spin_lock_bh, spin_lock_irqsave, spin_unlock, spin_unlock_bh, spin_unlock_irqrestore, spinlock,
  synchronize_rcu, wait_event, wait_for_completion, waitqueue, wake_up, ww_acquire_ctx, ww_acquire_fini, ww_acquire_init,
  ww_class, ww_mutex, rwsem, down_write, up_write, guarded_by, ww_mutex_lock, ww_mutex_lock_slow, ww_mutex_unlock, EDEADLK, type WwAcquireCtx, type WwFlavour, type WwMutex,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => void;

/** A lock shared by a task and an interrupt handler on the same CPU. */
const irqLock = (variant: 'plain' | 'irqsave'): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), lock = spinlock(sys, '&dev->lock');
  sys.task('task', (self) => {
    const c = context(self), flags = self.local('flags', bool());
    return variant === 'irqsave'
      ? [spin_lock_irqsave(lock, c, flags), step('update dev'), spin_unlock_irqrestore(lock, c, flags)]
      : [spin_lock(lock, c), step('update dev'), spin_unlock(lock, c)];
  }, { on: cpu0 });
  hardirq(sys, cpu0, 'dev_irq', (c) => [spin_lock(lock, c), step('ack dev'), spin_unlock(lock, c)]);
};

const softirqLock = (variant: 'plain' | 'bh'): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), lock = spinlock(sys, '&q->lock');
  sys.task('task', (self) => {
    const c = context(self);
    return variant === 'bh' ? [spin_lock_bh(lock, c), step('enqueue'), spin_unlock_bh(lock, c)] : [spin_lock(lock, c), step('enqueue'), spin_unlock(lock, c)];
  }, { on: cpu0 });
  softirq(sys, cpu0, 'net_rx', (c) => [spin_lock(lock, c), step('dequeue'), spin_unlock(lock, c)]);
};

/**
 * The ww-mutex-design.rst pattern for two locks: on -EDEADLK release what is held, wait for the
 * contended lock with ww_mutex_lock_slow, and start over (holding it).
 */
const wwTake = (self: Self, ctx: WwAcquireCtx, first: WwMutex, second: WwMutex): Program => {
  const cur = current(self), r = self.local('ret', int(EDEADLK, 0)), retry = cur.label('retry');
  const mine = (m: WwMutex) => (s: State) => s.get(m.owner) === self.id;
  const take = (m: WwMutex, other: WwMutex): Program => ifElse((s) => !mine(m)(s), [
    ww_mutex_lock(m, ctx, r),
    ifElse((s) => s.get(r) === EDEADLK, [ifElse(mine(other), [ww_mutex_unlock(other, ctx)]), ww_mutex_lock_slow(m, ctx), goto(retry)]),
  ]);
  return [
    ww_acquire_init(ctx),
    label(retry),
    take(first, second),
    take(second, first),
    step('both held'),
    ww_mutex_unlock(second, ctx), ww_mutex_unlock(first, ctx),
    ww_acquire_fini(ctx),
  ];
};

/** Two tasks take two ww_mutexes of one class in opposite orders, with back-off. */
const wwAbba = (flavour: WwFlavour): Case => (sys) => {
  const cls = ww_class(sys, 'reservation_ww_class', 4, flavour), a = ww_mutex(sys, cls, 'bo_A'), b = ww_mutex(sys, cls, 'bo_B');
  sys.task('T1', (self) => wwTake(self, ww_acquire_ctx(cls, self), a, b));
  sys.task('T2', (self) => wwTake(self, ww_acquire_ctx(cls, self), b, a));
};

export const cases: Readonly<Record<Params['case'], Case>> = {
  irq_spinlock: irqLock('plain'),
  irq_spinlock_irqsave: irqLock('irqsave'),
  softirq_spinlock: softirqLock('plain'),
  softirq_spinlock_bh: softirqLock('bh'),
  rcu_sync_in_reader: (sys) => {
    sys.task('updater', (self) => { const c = context(self); return [rcu_read_lock(c), step('p = rcu_dereference(gp)'), synchronize_rcu(c), rcu_read_unlock(c)]; });
    sys.task('reader', (self) => { const c = context(self); return [rcu_read_lock(c), step('p = rcu_dereference(gp)'), rcu_read_unlock(c)]; });
  },
  completion_under_mutex: (sys) => {
    const m = mutex(sys, '&dev->mutex'), done = completion(sys, 'dev->done');
    sys.task('waiter', (t) => [mutex_lock(m, t), wait_for_completion(done), mutex_unlock(m, t)]);
    sys.task('worker', (t) => [mutex_lock(m, t), step('do the work'), mutex_unlock(m, t), complete(done, t)]);
  },
  ww_backoff: wwAbba('wait-die'),
  ww_backoff_wound: wwAbba('wound-wait'),
  mutex_abba: (sys) => {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B');
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
    sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
  },
  mutex_under_spinlock: (sys) => {
    const l = spinlock(sys, '&dev->lock'), m = mutex(sys, '&dev->mutex');
    sys.task('T', (self) => { const c = context(self); return [spin_lock(l, c), mutex_lock(m, self), mutex_unlock(m, self), spin_unlock(l, c)]; });
  },
  serialized_abba: (sys) => {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B'), done = completion(sys, 'phase1');
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t), complete(done, t)]);
    sys.task('T2', (t) => [wait_for_completion(done), mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
  },
  i_size_unlocked: (sys) => {
    const i_rwsem = rwsem(sys, '&inode->i_rwsem'), i_size = sys.var('i_size', int(0, 2));
    guarded_by(sys, i_size, i_rwsem.forWrite);
    sys.task('truncate', (t) => [...down_write(i_rwsem, t), step('i_size_write(0)', { fn: 'include/linux/fs.h: i_size_write', then: (s) => s.set(i_size, 0) }), up_write(i_rwsem, t)]);
    sys.task('append', () => [step('i_size_write(2)', { fn: 'include/linux/fs.h: i_size_write', then: (s) => s.set(i_size, 2) })]);
  },
  lost_wakeup: (sys) => {
    const wq = waitqueue(sys, 'wq'), ready = sys.var('ready', bool());
    sys.task('waiter', (self) => wait_event(wq, current(self), (s) => s.test(ready), 'ready'));
    sys.task('waker', (t) => [wake_up(wq, t), step('ready = true', { then: (s) => s.set(ready, true) })]);
  },
};
