/** The known answers of kernel-locking, pinned: verdicts, step counts and lockdep's words. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { textReport } from '../../src/trace/report.ts';
import { INCONSISTENT, INVALID_CONTEXT, LOCK_ORDER } from '../../src/kernel/index.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);

describe('kernel-locking', () => {
  it('a spinlock shared with a hardirq handler on the same CPU deadlocks: the handler interrupts the holder', () => {
    const r = run('irq_spinlock');
    expect(r.verdict).toMatchObject({ kind: 'deadlock' });
    expect(steps(r)).toEqual(['task: spin_lock(&dev->lock)', 'dev_irq: <Interrupt>']);
    const text = textReport(r);
    expect(r.verdict).toMatchObject({ path: { length: 2 }, cycle: { links: [{ actor: 0, how: 'interrupts', resource: 'cpu0' }, { actor: 1, resource: '&dev->lock' }] } });
    expect(text).toContain('deadlock: wait-for cycle (AA: the handler interrupted the holder)');
    expect(text).toContain('  task holds &dev->lock and cannot run: dev_irq interrupted it on cpu0\n');
    expect(text).toContain('       CPU0\n       ----\n  lock(&dev->lock);\n  <Interrupt>\n    lock(&dev->lock);\n\n *** DEADLOCK ***');
  });

  it('the same lock is an inconsistent lock state in lockdep\'s words, {HARDIRQ-ON-W} -> {IN-HARDIRQ-W}', () => {
    const r = run('irq_spinlock', INCONSISTENT);
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: INCONSISTENT });
    expect(steps(r)).toEqual(['dev_irq: <Interrupt>', 'dev_irq: spin_lock(&dev->lock)']);
    const text = textReport(r);
    expect(text).toContain('================================\nWARNING: inconsistent lock state\n--------------------------------\ninconsistent {HARDIRQ-ON-W} -> {IN-HARDIRQ-W} usage.\ndev_irq/1 [HC1[1]:SC0[0]:HE0:SE0] takes:\n (&dev->lock){?.+.}-{2:2}, at: spin_lock(&dev->lock)\n{HARDIRQ-ON-W} state was registered at:\n       step 1 task: spin_lock(&dev->lock)\n');
  });

  it('spin_lock_irqsave (and spin_lock_bh against a softirq) fixes it: no deadlock, consistent usage', () => {
    for (const c of ['irq_spinlock_irqsave', 'softirq_spinlock_bh']) {
      expect(run(c).verdict).toEqual({ kind: 'ok' });
      expect(run(c).stats.states).toBe(16);
    }
    expect(run('softirq_spinlock', INCONSISTENT).verdict).toMatchObject({ kind: 'lockdep' });
    expect(textReport(run('softirq_spinlock', INCONSISTENT))).toContain('inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.');
  });

  it('synchronize_rcu() inside a read-side section: invalid context at once, and the grace period waits for its caller', () => {
    const bug = run('rcu_sync_in_reader');
    expect(bug.verdict).toMatchObject({ kind: 'safety', property: INVALID_CONTEXT });
    expect(textReport(bug)).toContain('BUG: sleeping function called from invalid context at\n    kernel/rcu/tree.c:synchronize_rcu\nin_atomic(): 0, irqs_disabled(): 0, non_block: 0, pid: 0, name: updater\npreempt_count: 0, expected: 0\nRCU nest depth: 1, expected: 0\n');
    const dl = run('rcu_sync_in_reader', 'deadlock');
    expect(dl.verdict).toMatchObject({ kind: 'deadlock', cycle: { links: [{ resource: 'an RCU grace period', heldBy: 0, actor: 0 }] } });
    expect(steps(dl)).toEqual(['updater: rcu_read_lock()', 'updater: p = rcu_dereference(gp)', 'updater: synchronize_rcu()']);
  });

  it('wait_for_completion() holding the mutex the completer needs: a cycle through the completion', () => {
    const r = run('completion_under_mutex');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', cycle: { links: [{ resource: 'completion dev->done' }, { resource: '&dev->mutex' }] } });
    expect(steps(r)).toEqual(['waiter: mutex_lock(&dev->mutex)']);
  });

  it('AB-BA on ww_mutexes with back-off holds; on plain mutexes it deadlocks', () => {
    const ww = run('ww_backoff');
    expect(ww.verdict).toEqual({ kind: 'ok' });
    expect(ww.stats.states).toBe(111);
    // under wound-wait the older context waits for the younger holder: only the wound breaks the cycle
    const wound = run('ww_backoff_wound');
    expect(wound.verdict).toEqual({ kind: 'ok' });
    // (175 if ww_mutex_lock_slow kept a wounded flag from before the back-off: a stale wound makes spurious back-offs)
    expect(wound.stats.states).toBe(163);
    expect(run('mutex_abba').verdict).toMatchObject({ kind: 'deadlock', path: { length: 2 } });
  });

  it('a mutex taken under a spinlock is a sleeping function called from invalid context', () => {
    const r = run('mutex_under_spinlock');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: INVALID_CONTEXT, path: { length: 1 } });
    expect(textReport(r)).toContain('in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: T\npreempt_count: 1, expected: 0\nRCU nest depth: 0, expected: 0\n1 lock held by T/0:\n #0: (&dev->lock)-{2:2}, &dev->lock\n');
  });

  it('the lock-order graph warns on an inversion no interleaving of this configuration can deadlock on', () => {
    const r = run('serialized_abba');
    expect(run('serialized_abba', 'deadlock').verdict).toEqual({ kind: 'ok' });
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 8 } });
    const text = textReport(r);
    expect(text).toContain('WARNING: possible circular locking dependency detected\n------------------------------------------------------\nT2/1 is trying to acquire lock:\n (A){+.+.}-{4:4}, at: mutex_lock(A)\n\nbut task is already holding lock:\n (B){+.+.}-{4:4}\n');
    expect(text).toContain('-> #1 (B){+.+.}-{4:4}:\n       step 1 T1: mutex_lock(A)\n       step 2 T1: mutex_lock(B)\n\n-> #0 (A){+.+.}-{4:4}:\n');
    expect(text).toContain('  lock(B);\n                               lock(A);\n                               lock(B);\n  lock(A);\n');
  });

  it('a lost wakeup hangs the waiter; a write without the lock breaks lockdep_assert_held', () => {
    expect(run('lost_wakeup').verdict).toMatchObject({ kind: 'deadlock', cycle: undefined, path: { length: 3 } });
    const r = run('i_size_unlocked');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: 'lockdep_assert_held' });
    expect(textReport(r)).toContain('WARNING: lockdep_assert_held(&inode->i_rwsem) failed\ni_size written by append/1 in \'i_size_write(2)\' without &inode->i_rwsem\n');
  });

  it('a model turns a built-in rule off by name, and naming one that is not built in is an error', () => {
    const off = { ...model, builtins: { [INVALID_CONTEXT]: false as const } };
    expect(check(off, { params: { case: 'mutex_under_spinlock' } }).verdict).toEqual({ kind: 'ok' });
    expect(() => check({ ...model, builtins: { nonsense: false as const } })).toThrow(/KMC013 .*builtins: no built-in property 'nonsense'/);
  });
});
