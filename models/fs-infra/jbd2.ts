/**
 * jbd2 handles and the commit thread (fs/jbd2/transaction.c, fs/jbd2/commit.c). Each case's doc
 * quotes the kernel source its answer comes from.
 */
import { bool, sometimes, step } from '../../src/index.ts';
import {
  T_LOCKED, current, jbd2__journal_start, jbd2_journal_stop, jbd2_log_start_commit, jbd2_log_wait_commit,
  journal, kjournald2, mutex, mutex_lock, mutex_unlock,
} from '../../src/kernel/index.ts';
import { type Case, tap, WITNESS } from './case.ts';

/**
 * jbd2. include/linux/jbd2.h (`j_trans_commit_map`): "Handles hold this 'lock' for read, when we
 * wait for commit, we acquire the 'lock' for writing. This matches the properties of jbd2
 * journalling where the running transaction has to wait for all handles to be dropped to commit
 * that transaction and also acquiring a handle may require transaction commit to finish."
 */
export const waitCommit = (stopFirst: boolean): Case => (sys) => {
  const j = journal(sys, 'sda1');
  kjournald2(sys, j);
  sys.task('fsync', (self) => {
    const cur = current(self);
    return stopFirst
      ? [jbd2__journal_start(j, cur), step('ext4_mark_inode_dirty'), jbd2_journal_stop(j, cur), jbd2_log_start_commit(j, cur), jbd2_log_wait_commit(j, cur)]
      : [jbd2__journal_start(j, cur), step('ext4_mark_inode_dirty'), jbd2_log_start_commit(j, cur), jbd2_log_wait_commit(j, cur), jbd2_journal_stop(j, cur)];
  });
  return [];
};

/** fs/jbd2/transaction.c `jbd2__journal_start`: "if (handle) { … handle->h_ref++; return handle; }" — before any wait. */
export const nestedStart: Case = (sys) => {
  const j = journal(sys, 'sda1');
  kjournald2(sys, j);
  // ghost: the nested start found the transaction T_LOCKED
  const underLock = sys.var('ghost.nested_start_under_T_LOCKED', bool());
  sys.task('write', (self) => {
    const cur = current(self);
    const nested = tap(jbd2__journal_start(j, cur), 'h_ref++', (before) => { const locked = before.get(j.t_state) === T_LOCKED; return (after) => after.set(underLock, locked); });
    return [jbd2__journal_start(j, cur), step('ext4_write_begin'), nested, step('ext4_dirty_inode'), jbd2_journal_stop(j, cur), jbd2_journal_stop(j, cur)];
  });
  sys.task('sync', (self) => jbd2_log_start_commit(j, current(self)));
  return [sometimes(WITNESS.nested, (s) => s.test(underLock))];
};

/** A lock around a handle and inside one: the commit thread closes the cycle (start_this_handle waits for T_LOCKED). */
export const handleAbba: Case = (sys) => {
  const j = journal(sys, 'sda1'), m = mutex(sys, '&ei->i_data_sem');
  kjournald2(sys, j);
  sys.task('T1', (self) => { const cur = current(self); return [mutex_lock(m, self), jbd2__journal_start(j, cur), jbd2_journal_stop(j, cur), mutex_unlock(m, self)]; });
  sys.task('T2', (self) => { const cur = current(self); return [jbd2__journal_start(j, cur), mutex_lock(m, self), mutex_unlock(m, self), jbd2_journal_stop(j, cur)]; });
  sys.task('sync', (self) => jbd2_log_start_commit(j, current(self)));
  return [];
};
