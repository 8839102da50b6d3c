/** The cases of the fairness model; each value's doc says what waits, on what, and the kernel's answer. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the lock a waiter waits on while a competitor re-takes it forever', default: 'mutex_hog', values: {
    mutex_hog: 'mutex_lock vs a task re-taking the mutex: MUTEX_FLAG_HANDOFF, not starved',
    rwsem_write_hog: 'down_write vs a task re-taking the rwsem for write: RWSEM_FLAG_HANDOFF, not starved',
    rwsem_two_writers: 'down_write vs two writers re-queuing forever: FIFO + handoff, not starved',
    rwsem_read_hog: 'down_read vs a writer re-taking the rwsem: readers hand off too, not starved',
    folio_hog: 'folio_lock vs a task re-locking the folio: page_lock_unfairness handoff, not starved',
    spinlock_hog: 'spin_lock vs another CPU re-taking the spinlock: qspinlock is FIFO, not starved',
    two_state_hog: 'bch2_pagecache_block_get vs a task re-taking the add side: no handoff, starved',
    trylock_retry: 'a down_read_trylock retry loop vs a writer re-taking the rwsem: starved',
    bit_lock_hog: 'wait_on_bit_lock vs a task re-taking the bit: no handoff, starved',
  } }),
};

/** The cases whose waiter the kernel does not starve. */
export const HANDOFF = ['mutex_hog', 'rwsem_write_hog', 'rwsem_two_writers', 'rwsem_read_hog', 'folio_hog', 'spinlock_hog'];
