/**
 * The cases: each declares the waiter (a task that takes the lock once) and its competitors
 * (kthreads that take and drop the lock forever), and returns the waiter.
 */
import { goto, ifElse, int, label, loop, step, type ActorRef, type System } from '../../src/index.ts';
import {
  bch2_pagecache_add_get, bch2_pagecache_add_put, bch2_pagecache_block_get, bch2_pagecache_block_put, bitLock,
  clear_and_wake_up_bit, context, cpu, down_read, down_read_trylock, down_write, file, folio_lock, folio_unlock, mutex,
  mutex_lock, mutex_unlock, rwsem, spin_lock, spin_unlock, spinlock, twoStateLock, up_read, up_write, wait_on_bit_lock,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => ActorRef;

const mutexHog: Case = (sys) => {
  const m = mutex(sys, '&inode->i_mutex');
  sys.kthread('hog', (t) => loop(mutex_lock(m, t), step('work'), mutex_unlock(m, t)));
  return sys.task('waiter', (t) => [mutex_lock(m, t), step('work'), mutex_unlock(m, t)]);
};

const rwsemWriters = (hogs: number): Case => (sys) => {
  const sem = rwsem(sys, '&sb->s_umount');
  for (let i = 0; i < hogs; i++) sys.kthread(hogs === 1 ? 'hog' : `hog${i + 1}`, (t) => loop(...down_write(sem, t), step('work'), up_write(sem, t)));
  return sys.task('waiter', (t) => [...down_write(sem, t), step('work'), up_write(sem, t)]);
};

const rwsemReadHog: Case = (sys) => {
  const sem = rwsem(sys, '&sb->s_umount');
  sys.kthread('hog', (t) => loop(...down_write(sem, t), step('work'), up_write(sem, t)));
  return sys.task('waiter', (t) => [down_read(sem, t), step('read'), up_read(sem, t)]);
};

const folioHog: Case = (sys) => {
  const f = file(sys, 'A').folios[0]!;
  sys.kthread('hog', (t) => loop(folio_lock(f, t), step('work'), folio_unlock(f, t)));
  return sys.task('waiter', (t) => [folio_lock(f, t), step('work'), folio_unlock(f, t)]);
};

const spinlockHog: Case = (sys) => {
  const l = spinlock(sys, '&dev->lock'), cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1');
  sys.kthread('hog', (t) => { const c = context(t); return loop(spin_lock(l, c), step('work'), spin_unlock(l, c)); }, { on: cpu1 });
  return sys.task('waiter', (t) => { const c = context(t); return [spin_lock(l, c), step('work'), spin_unlock(l, c)]; }, { on: cpu0 });
};

const twoStateHog: Case = (sys) => {
  const pc = twoStateLock(sys, 'A->ei_pagecache_lock');
  sys.kthread('fault', (t) => loop(bch2_pagecache_add_get(pc, t), step('filemap_fault'), bch2_pagecache_add_put(pc, t)));
  return sys.task('waiter', (t) => [bch2_pagecache_block_get(pc, t), step('dio write'), bch2_pagecache_block_put(pc, t)]);
};

const trylockRetry: Case = (sys) => {
  const sem = rwsem(sys, '&sb->s_umount');
  sys.kthread('hog', (t) => loop(...down_write(sem, t), step('work'), up_write(sem, t)));
  return sys.task('waiter', (t) => {
    const got = t.local('got', int(0, 1));
    return [label('retry'), down_read_trylock(sem, t, got), ifElse((s) => s.get(got) === 0, [goto('retry')]), step('read'), up_read(sem, t)];
  });
};

const bitLockHog: Case = (sys) => {
  const b = bitLock(sys, 'bh->b_state:BH_Lock');
  sys.kthread('hog', (t) => loop(wait_on_bit_lock(b, t), step('submit_bh'), clear_and_wake_up_bit(b, t)));
  return sys.task('waiter', (t) => [wait_on_bit_lock(b, t), step('submit_bh'), clear_and_wake_up_bit(b, t)]);
};

export const cases: Record<Params['case'], Case> = {
  mutex_hog: mutexHog,
  rwsem_write_hog: rwsemWriters(1),
  rwsem_two_writers: rwsemWriters(2),
  rwsem_read_hog: rwsemReadHog,
  folio_hog: folioHog,
  spinlock_hog: spinlockHog,
  two_state_hog: twoStateHog,
  trylock_retry: trylockRetry,
  bit_lock_hog: bitLockHog,
};
