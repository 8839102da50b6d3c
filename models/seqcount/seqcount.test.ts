/** The known answers of seqcount, pinned: verdicts, state counts and the words of each report. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { textReport } from '../../src/trace/report.ts';
import { step } from '../../src/index.ts';
import { SEQPROP_ASSERT, context, preempt_disable, preempt_enable, read_seqloop, seqcount, write_seqcount_begin } from '../../src/kernel/index.ts';
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

  it('a reader in the interrupt that broke into write_seqlock spins in read_seqbegin for ever: reported as the livelock it is', () => {
    const r = run('irq_reader_livelock');
    // before: "deadlock: no step enabled with tasks unfinished", the reader "in 'read_seqbegin(jiffies_lock)'" waiting on nothing
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 2 }, cycle: { links: [{ actor: 0, how: 'interrupts', resource: 'cpu0' }, { actor: 1, heldBy: 0, retries: true, resource: 'jiffies_lock.sequence to become even' }] } });
    expect(r.stats.states).toBe(8);
    expect(steps(r)).toEqual(['writer: write_seqlock(jiffies_lock)', 'timer_irq: <Interrupt>']);
    const text = textReport(r);
    expect(text).toContain('livelock: wait-for cycle (a retry loop: the handler interrupted the\nwriter it waits for) after 2 steps (shortest)\n');
    expect(text).toContain('*** livelock after step 2\n');
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
    expect(r.verdict).toMatchObject({ kind: 'deadlock', cycle: undefined });
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
