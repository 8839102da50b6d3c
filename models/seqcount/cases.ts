/**
 * The known-answer cases: seqcount writers and their exclusion, seqlock variants against
 * interrupts. Each answer is the kernel's, see params.ts.
 */
import { bool, int, never, step, type Property, type System } from '../../src/index.ts';
import {
  context, cpu, hardirq, mutex, mutex_lock, mutex_unlock, preempt_disable, preempt_enable, read_seqlock_excl,
  read_seqlock_excl_bh, read_seqloop, read_sequnlock_excl, read_sequnlock_excl_bh, seqcount, seqcount_mutex,
  seqcount_spinlock, seqlock, softirq, spin_lock, spin_unlock, spinlock, write_seqcount_begin, write_seqcount_end,
  write_seqlock, write_seqlock_irqsave, write_sequnlock, write_sequnlock_irqrestore, type Seqcount,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => Property[];

/** The write of a seqcount_t / seqcount_LOCKNAME_t: begin, update, end. */
const write = (sc: Seqcount, c: Parameters<typeof write_seqcount_begin>[1]) =>
  [write_seqcount_begin(sc, c), step('update the protected fields'), write_seqcount_end(sc, c)];

/** A seqlock written by a task on cpu0 and read by that CPU's interrupt. */
const irqReader = (irqsave: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), sl = seqlock(sys, 'jiffies_lock'), seen = sys.var('seen', int(0, 2)), v = sys.var('jiffies', int(0, 2));
  sys.task('writer', (self) => {
    const c = context(self), flags = self.local('flags', bool());
    const tick = step('jiffies++', { then: (s) => s.set(v, 1) });
    return irqsave ? [write_seqlock_irqsave(sl, c, flags), tick, write_sequnlock_irqrestore(sl, c, flags)] : [write_seqlock(sl, c), tick, write_sequnlock(sl, c)];
  }, { on: cpu0 });
  hardirq(sys, cpu0, 'timer_irq', (c) => read_seqloop(sl, c, [step('j = jiffies', { then: (s) => s.set(seen, s.get(v)) })]));
  return [];
};

/** A locking reader on cpu0 and a softirq there that writes. */
const exclReader = (bh: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), sl = seqlock(sys, 'rename_lock'), inside = sys.var('reader_inside', bool()), clash = sys.var('written_inside', bool());
  sys.task('reader', (self) => {
    const c = context(self);
    const body = [step('walk', { then: (s) => s.set(inside, true) }), step('done', { then: (s) => s.set(inside, false) })];
    return bh ? [read_seqlock_excl_bh(sl, c), ...body, read_sequnlock_excl_bh(sl, c)] : [read_seqlock_excl(sl, c), ...body, read_sequnlock_excl(sl, c)];
  }, { on: cpu0 });
  softirq(sys, cpu0, 'rename_softirq', (c) => [write_seqlock(sl, c), step('rename', { then: (s) => s.set(clash, s.test(inside)) }), write_sequnlock(sl, c)]);
  return [never('a write inside a locking reader', (s) => s.test(clash))];
};

export const cases: Readonly<Record<Params['case'], Case>> = {
  plain_preemptible: (sys) => { const sc = seqcount(sys, 'stats_seq'); sys.task('writer', (self) => write(sc, context(self))); return []; },
  plain_preempt_off: (sys) => {
    const sc = seqcount(sys, 'stats_seq');
    sys.task('writer', (self) => { const c = context(self); return [preempt_disable(c), write(sc, c), preempt_enable(c)]; });
    return [];
  },
  spinlock_unlocked: (sys) => {
    const l = spinlock(sys, '&tk->lock'), sc = seqcount_spinlock(sys, 'tk_core.seq', l);
    sys.task('writer', (self) => write(sc, context(self)));
    return [];
  },
  spinlock_locked: (sys) => {
    const l = spinlock(sys, '&tk->lock'), sc = seqcount_spinlock(sys, 'tk_core.seq', l);
    sys.task('writer', (self) => { const c = context(self); return [spin_lock(l, c), write(sc, c), spin_unlock(l, c)]; });
    return [];
  },
  mutex_unlocked: (sys) => {
    const m = mutex(sys, '&dev->mutex'), sc = seqcount_mutex(sys, 'dev->seq', m);
    sys.task('writer', (self) => write(sc, context(self)));
    return [];
  },
  mutex_locked: (sys) => {
    const cpu0 = cpu(sys, 'cpu0'), m = mutex(sys, '&dev->mutex'), sc = seqcount_mutex(sys, 'dev->seq', m), ran = sys.var('ran_mid_write', bool());
    sys.task('writer', (self) => { const c = context(self); return [mutex_lock(m, self), write(sc, c), mutex_unlock(m, self)]; }, { on: cpu0 });
    sys.task('other', () => [step('runs', { then: (s) => s.set(ran, s.get(sc.seq) % 2 === 1) })], { on: cpu0 });
    return [never('a task on the writer\'s CPU ran mid-write', (s) => s.test(ran))];
  },
  irq_reader_livelock: irqReader(false),
  irq_reader_irqsave: irqReader(true),
  excl_reader_softirq: exclReader(false),
  excl_reader_bh: exclReader(true),
};
