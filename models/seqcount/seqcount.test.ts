/** The known answers of seqcount, pinned: verdicts, state counts and the words of each report. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { exitCode } from '../../src/explore/verdict.ts';
import { textReport } from '../../src/trace/report.ts';
import { bool, loop, step, terminates } from '../../src/index.ts';
import { INCONSISTENT, SEQPROP_ASSERT, context, cpu, hardirq, seqlock, spinlock, spin_lock, spin_lock_irqsave, spin_unlock, spin_unlock_irqrestore, write_seqlock, write_sequnlock, write_seqlock_irq, write_sequnlock_irq, preempt_disable, preempt_enable, read_seqloop, seqcount, write_seqcount_begin } from '../../src/kernel/index.ts';
import { tiny } from '../../src/test-util/tiny.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);

describe('seqcount', () => {
  it('write_seqcount_begin asserts the writer\'s exclusion: preemption off for a seqcount_t, the associated lock for seqcount_LOCKNAME_t', () => {
    for (const c of ['plain_preemptible', 'spinlock_unlocked', 'mutex_unlocked']) {
      const r = run(c);
      expect(r.verdict, c).toMatchObject({ kind: 'safety', property: SEQPROP_ASSERT, path: { length: 1 } });
    }
    expect(textReport(run('plain_preemptible'))).toContain('WARNING: at include/linux/seqlock.h: __seqprop_assert:\n    lockdep_assert_preemption_disabled()\nwriter/0 writes stats_seq (a seqcount_t) preemptible: preempt_count: 0,\n    irqs_disabled(): 0\nno locks held by writer/0.\n');
    expect(textReport(run('spinlock_unlocked'))).toContain('WARNING: lockdep_assert_held(&tk->lock) failed (include/linux/seqlock.h:\n    __seqprop_spinlock_assert)\nwriter/0 writes tk_core.seq (a seqcount_spinlock_t) without &tk->lock\n');
    expect(textReport(run('mutex_unlocked'))).toContain('writer/0 writes dev->seq (a seqcount_mutex_t) without &dev->mutex\n');
    const counts = { plain_preempt_off: 6, spinlock_locked: 6, mutex_locked: 12 };
    for (const [c, n] of Object.entries(counts)) {
      const r = run(c);
      expect(r.verdict, c).toEqual({ kind: 'ok' });
      expect(r.stats.states, c).toBe(n);
    }
  });

  it('a seqcount_mutex_t writer disables preemption from begin to end: a task on its CPU runs before or after, never in between', () => {
    const r = run('mutex_locked', 'a task on the writer\'s CPU ran mid-write');
    expect(r.verdict).toEqual({ kind: 'ok' });
  });

  it('a reader in the interrupt that broke into write_seqlock spins in read_seqbegin for ever: a lasso, the spin its cycle', () => {
    const r = run('irq_reader_livelock');
    // before: "deadlock: no step enabled with tasks unfinished", the reader "in 'read_seqbegin(jiffies_lock)'" waiting on nothing;
    // then a deadlock verdict (exit 11) with a livelock cycle; now the lasso (exit 13): the 2 steps there, then the spin
    expect(r.verdict).toMatchObject({ kind: 'livelock', property: 'deadlock', path: { length: 3 }, loop: 2, cycle: { links: [{ actor: 0, how: 'interrupts', resource: 'cpu0' }, { actor: 1, heldBy: 0, retries: true, resource: 'jiffies_lock.sequence to become even' }] } });
    expect(exitCode(r.verdict)).toBe(13);
    expect(r.stats.states).toBe(8);
    expect(steps(r)).toEqual(['writer: write_seqlock(jiffies_lock)', 'timer_irq: <Interrupt>', 'timer_irq: read_seqbegin(jiffies_lock)']);
    // the spin changes nothing: the state after it is the state it started from
    expect(r.trace!.states[3]).toEqual(r.trace!.states[2]);
    // the reference explorer, and the search that goes on past the first violation, give the same lasso
    expect(check(model, { params: { case: 'irq_reader_livelock' }, explorer: 'reference' }).verdict).toEqual(r.verdict);
    expect(check(model, { params: { case: 'irq_reader_livelock' }, continue: true }).discoveries?.get('deadlock')?.verdict).toEqual(r.verdict);
    const text = textReport(r);
    expect(text).toContain('livelock: wait-for cycle (a retry loop: the handler interrupted the\nwriter it waits for) after 2 steps (shortest), then a cycle of 1 step\nthat changes nothing\n');
    expect(text).toContain('--- cycle starts here ---\n3                                    read_seqbegin(jiffies_lock)\n                                     retries, waiting for\n                                     jiffies_lock.sequence to become\n                                     even: no change\n--- back to the start of the cycle, forever ---\n');
    expect(text).toContain('*** livelock: timer_irq retries for ever from step 2, and nothing\nchanges\n');
    expect(text).toContain('wait-for cycle:\n  writer holds the write side of jiffies_lock and cannot run: timer_irq\n      interrupted it on cpu0\n  timer_irq interrupted writer on cpu0 and retries for ever: it waits\n      for jiffies_lock.sequence to become even, held back by writer\n');
    expect(text).toContain(' timer_irq spins in a retry loop waiting for jiffies_lock.sequence to\n     become even; writer holds the write side of jiffies_lock and cannot\n     run to end it: a livelock, not a sleep\n');
    expect(text).not.toContain('DEADLOCK');
  });

  it('a reader left spinning by a writer that never ended its write says what it retries for, not "waiting on" nothing', () => {
    const m = tiny('odd-forever', (sys) => {
      const sc = seqcount(sys, 'stats_seq');
      sys.task('writer', (self) => { const c = context(self); return [preempt_disable(c), write_seqcount_begin(sc, c), preempt_enable(c)]; });
      sys.task('reader', (self) => read_seqloop(sc, context(self), [step('read stats')]));
    });
    const r = check(m);
    // before: a deadlock (exit 11), "no step enabled with tasks unfinished": the reader spins, it does not sleep
    expect(r.verdict).toEqual({ kind: 'livelock', property: 'deadlock', path: [2, 1, 0, 5], loop: 3, cycle: undefined });
    expect(textReport(r)).toContain('livelock: a retry loop with nothing left to end it after 3 steps\n(shortest), then a cycle of 1 step that changes nothing\n');
    expect(textReport(r)).toContain("blocked:\n  reader in 'read_seqbegin(stats_seq)', retrying, waiting for\n      stats_seq.sequence to become even (writer in the way)\n");
  });

  it('write_seqlock_irqsave keeps the interrupt out of the write; read_seqlock_excl_bh keeps the softirq writer out of the locking reader', () => {
    const irqsave = run('irq_reader_irqsave');
    expect(irqsave.verdict).toEqual({ kind: 'ok' });
    expect(irqsave.stats.states).toBe(17);
    const bh = run('excl_reader_bh');
    expect(bh.verdict).toEqual({ kind: 'ok' });
    expect(bh.stats.states).toBe(18);
    // with bottom halves on, the softirq spins on the spinlock its CPU's task holds: an AA through the CPU
    const aa = run('excl_reader_softirq', 'deadlock');
    expect(aa.verdict).toMatchObject({ kind: 'deadlock', cycle: { links: [{ how: 'interrupts' }, { resource: 'rename_lock.lock' }] } });
    expect(steps(aa)).toEqual(['reader: read_seqlock_excl(rename_lock)', 'rename_softirq: <SoftIRQ>']);
    expect(textReport(aa)).toContain('deadlock: wait-for cycle (AA: the handler interrupted the holder)');
  });
});

describe('seqlock variants and lockdep', () => {
  // write_sequnlock_irq(sl) inside spin_lock_irqsave(A) turns interrupts back on with A held
  // (include/linux/seqlock.h write_sequnlock_irq -> spin_unlock_irq -> lockdep_hardirqs_on ->
  // mark_held_locks): A, also taken in a hardirq, is then HARDIRQ-safe and HARDIRQ-on: inconsistent
  const m = tiny('seqlock-irqs-on', (sys) => {
    const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), a = spinlock(sys, 'A'), sl = seqlock(sys, 'sl');
    sys.task('task', (self) => {
      const c = context(self), flags = self.local('flags', bool());
      return [spin_lock_irqsave(a, c, flags), write_seqlock_irq(sl, c), write_sequnlock_irq(sl, c), step('irqs on, A held'), spin_unlock_irqrestore(a, c, flags)];
    }, { on: cpu0 });
    hardirq(sys, cpu1, 'irq', (c) => [spin_lock(a, c), spin_unlock(a, c)]);
    return [];
  });

  it("write_sequnlock_irq marks the locks still held as taken with interrupts on, as spin_unlock_irq does", () => {
    const r = check(m);
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: INCONSISTENT });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['task: spin_lock_irqsave(A)', 'task: write_seqlock_irq(sl)', 'task: write_sequnlock_irq(sl)']);
  });
});

describe('seqlock fairness', () => {
  // write_seqlock takes the seqlock's spinlock, a qspinlock: FIFO (kernel/locking/qspinlock.c),
  // so a writer on another CPU re-taking it forever does not starve a waiting writer
  const m = tiny('seqlock-hog', (sys) => {
    const sl = seqlock(sys, 'sl'), cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1');
    sys.kthread('hog', (t) => { const c = context(t); return loop(write_seqlock(sl, c), step('update'), write_sequnlock(sl, c)); }, { on: cpu1 });
    return [terminates(sys.task('waiter', (t) => { const c = context(t); return [write_seqlock(sl, c), step('update'), write_sequnlock(sl, c)]; }, { on: cpu0 }))];
  });

  it('a writer waiting for the seqlock is handed it, as spin_lock is', () => {
    expect(check(m, { property: 'waiter terminates' }).verdict).toEqual({ kind: 'ok' });
  });
});
