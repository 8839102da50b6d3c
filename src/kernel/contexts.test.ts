/** CPUs, contexts and the locking primitives beyond the page cache, each on a tiny model with a known answer. */
import { describe, expect, it } from 'vitest';
import { always, bool, int, never, sometimes, step } from '../index.ts';
import { check } from '../check/check.ts';
import { tiny } from '../test-util/tiny.ts';
import { context, cpu, hardirq, local_irq_restore, local_irq_save, preempt_disable, preempt_enable, softirq } from './context.ts';
import { read_lock, read_unlock, rwlock, spin_lock, spin_unlock, spinlock, write_lock, write_lock_irq, write_unlock, write_unlock_irq } from './spinlock.ts';
import { call_rcu, rcu_head, rcu_read_lock, rcu_read_unlock, synchronize_rcu } from './rcu.ts';
import { read_seqloop, seqlock, write_seqlock, write_sequnlock } from './seqlock.ts';
import { INCONSISTENT, INVALID_CONTEXT } from './lockdep.ts';
import { textReport } from '../trace/report.ts';
import { mutex, mutex_lock, mutex_unlock } from './mutex.ts';
import { GUARDED_BY, guarded_by } from './guarded.ts';
import { EDEADLK, ww_acquire_ctx, ww_acquire_init, ww_class, ww_mutex, ww_mutex_lock, ww_mutex_unlock, type WwFlavour } from './ww-mutex.ts';

describe('CPUs and contexts', () => {
  it('a task that disabled preemption owns its CPU: the other task there waits, one on another CPU does not', () => {
    const m = tiny('preempt', (sys) => {
      const cpu0 = cpu(sys, 'cpu0'), x = sys.var('x', int(0, 2));
      const a = sys.task('A', (self) => { const c = context(self); return [preempt_disable(c), step('x = 1', { then: (s) => s.set(x, 1) }), step('x = 0', { then: (s) => s.set(x, 0) }), preempt_enable(c)]; }, { on: cpu0 });
      sys.task('B', () => [step('B sees x', { then: (s) => (s.get(x) === 1 ? s.set(x, 2) : s) })], { on: cpu0 });
      return [never('B ran inside A\'s non-preemptible section', (s) => s.get(x) === 2), sometimes('A done', (s) => s.done(a))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('a hardirq cannot fire while local_irq_save holds interrupts off, and may after local_irq_restore', () => {
    const m = tiny('irqsave', (sys) => {
      const cpu0 = cpu(sys, 'cpu0'), inside = sys.var('inside', bool()), hit = sys.var('hit', bool());
      const t = sys.task('T', (self) => {
        const c = context(self), f = self.local('flags', bool());
        return [local_irq_save(c, f), step('enter', { then: (s) => s.set(inside, true) }), step('leave', { then: (s) => s.set(inside, false) }), local_irq_restore(c, f)];
      }, { on: cpu0 });
      hardirq(sys, cpu0, 'irq', () => [step('handler', { then: (s) => s.set(hit, s.test(inside) || s.test(hit)) })]);
      return [never('the handler ran inside the irq-off section', (s) => s.test(hit)), sometimes('the handler ran after T', (s) => s.done(t) && s.get(cpu0.hardirq!) !== -1)];
    });
    expect(check(m, { deadlock: false }).verdict).toEqual({ kind: 'ok' });
  });

  it('a model without CPUs keeps its state count: the contexts add nothing to actors that never use them', () => {
    const m = tiny('plain', (sys) => {
      const l = mutex(sys, 'L');
      for (const n of ['T1', 'T2']) sys.task(n, (t) => [mutex_lock(l, t), mutex_unlock(l, t)]);
    });
    expect(check(m).stats.states).toBe(8);
  });

  it('a softirq handler runs only with bottom halves enabled on its CPU', () => {
    const m = tiny('bh', (sys) => {
      const cpu0 = cpu(sys, 'cpu0'), l = spinlock(sys, 'q');
      sys.task('T', (self) => { const c = context(self); return [spin_lock(l, c), step('enqueue'), spin_unlock(l, c)]; }, { on: cpu0 });
      softirq(sys, cpu0, 'rx', (c) => [spin_lock(l, c), spin_unlock(l, c)]);
    });
    expect(check(m).verdict).toMatchObject({ kind: 'deadlock', path: { length: 2 } });
  });
});

describe('rwlock_t, RCU, seqlocks', () => {
  it('a reader in a hardirq does not wait behind a queued writer (qrwlock), so a read_lock the irq interrupts cannot deadlock; the writer must still disable irqs', () => {
    const m = (irqSafeWriter: boolean) => tiny('rwlock', (sys) => {
      const cpu0 = cpu(sys, 'cpu0'), l = rwlock(sys, 'tasklist_lock');
      sys.task('reader', (self) => { const c = context(self); return [read_lock(l, c), step('read'), read_unlock(l, c)]; }, { on: cpu0 });
      sys.task('writer', (self) => { const c = context(self); return irqSafeWriter ? [write_lock_irq(l, c), step('write'), write_unlock_irq(l, c)] : [write_lock(l, c), step('write'), write_unlock(l, c)]; });
      hardirq(sys, cpu0, 'irq', (c) => [read_lock(l, c), read_unlock(l, c)]);
    });
    expect(check(m(true)).verdict).toEqual({ kind: 'ok' });
    const r = check(m(false));
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: INCONSISTENT });
    expect(textReport(r)).toMatch(/inconsistent \{(IN-HARDIRQ-R\} -> \{HARDIRQ-ON-W|HARDIRQ-ON-W\} -> \{IN-HARDIRQ-R)\} usage/);
  });

  it('synchronize_rcu waits for the readers of the moment it starts, not for later ones', () => {
    const m = tiny('gp', (sys) => {
      const gp = sys.var('old_freed', bool()), using = sys.var('using_old', bool());
      const published = sys.var('published', bool());
      sys.task('reader', (self) => { const c = context(self); return [rcu_read_lock(c), step('p = rcu_dereference(gp)', { then: (s) => s.set(using, !s.test(published)) }), step('done with p', { then: (s) => s.set(using, false) }), rcu_read_unlock(c)]; });
      sys.task('updater', (self) => { const c = context(self); return [step('rcu_assign_pointer(gp, new)', { then: (s) => s.set(published, true) }), synchronize_rcu(c), step('kfree(old)', { then: (s) => s.set(gp, true) })]; });
      return [never('old freed while a reader uses it', (s) => s.test(gp) && s.test(using)), sometimes('a reader used old during the grace period', (s) => s.test(using) && !s.test(gp) && s.test(published))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('call_rcu runs its callback from the RCU softirq after the grace period', () => {
    const m = tiny('call_rcu', (sys) => {
      const cpu0 = cpu(sys, 'cpu0'), freed = sys.var('freed', bool()), using = sys.var('using', bool());
      const head = rcu_head(sys, cpu0, 'obj->rcu', () => [step('kfree(obj)', { then: (s) => s.set(freed, true) })]);
      const gone = sys.var('unpublished', bool());
      sys.task('reader', (self) => { const c = context(self); return [rcu_read_lock(c), step('obj = rcu_dereference(p)', { then: (s) => s.set(using, !s.test(gone)) }), step('done', { then: (s) => s.set(using, false) }), rcu_read_unlock(c)]; });
      sys.task('remover', (self) => { const c = context(self); return [step('list_del_rcu(obj)', { then: (s) => s.set(gone, true) }), call_rcu(head, c)]; }, { on: cpu0 });
      return [never('freed while in use', (s) => s.test(freed) && s.test(using)), sometimes('the callback ran', (s) => s.test(freed))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('a seqlock reader retries until it reads both halves of one write', () => {
    const m = tiny('seq', (sys) => {
      const sl = seqlock(sys, 'jiffies_lock'), a = sys.var('a', int(0, 2)), b = sys.var('b', int(0, 2)), seenA = sys.var('seen_a', int(0, 2)), seenB = sys.var('seen_b', int(0, 2));
      const r = sys.task('reader', (self) => { const c = context(self); return read_seqloop(sl, c, [step('x = a', { then: (s) => s.set(seenA, s.get(a)) }), step('y = b', { then: (s) => s.set(seenB, s.get(b)) })]); });
      sys.task('writer', (self) => {
        const c = context(self);
        return [1, 2].map((v) => [write_seqlock(sl, c), step(`a = ${v}`, { then: (s) => s.set(a, v) }), step(`b = ${v}`, { then: (s) => s.set(b, v) }), write_sequnlock(sl, c)]);
      });
      return [always('the reader saw one write whole', (s) => !s.done(r) || s.get(seenA) === s.get(seenB)), sometimes('a retry happened', (s) => s.done(r) && s.get(seenA) === 2)];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('a spinlock held across synchronize_rcu is a sleeping function called from invalid context', () => {
    const m = tiny('spin-sync', (sys) => {
      const l = spinlock(sys, 'l');
      sys.task('T', (self) => { const c = context(self); return [spin_lock(l, c), synchronize_rcu(c), spin_unlock(l, c)]; });
    });
    expect(check(m).verdict).toMatchObject({ kind: 'safety', property: INVALID_CONTEXT, path: { length: 1 } });
  });
});

describe('ww_mutex', () => {
  /** T1 (older: it takes the first stamp) holds A and wants B; T2 (younger) holds `t2Holds` and wants A. */
  const race = (flavour: WwFlavour, t2Holds: boolean) => tiny(`ww-${flavour}`, (sys) => {
    const cls = ww_class(sys, 'cls', 2, flavour), a = ww_mutex(sys, cls, 'A'), b = ww_mutex(sys, cls, 'B');
    const order = sys.var('inits', int(0, 2));
    let r2 = undefined as unknown as ReturnType<typeof sys.var>;
    const t1 = sys.task('T1', (self) => {
      const ctx = ww_acquire_ctx(cls, self), r = self.local('ret', int(EDEADLK, 0));
      return [ww_acquire_init(ctx), step('stamped', { then: (s) => s.set(order, 1) }), ww_mutex_lock(a, ctx, r), ww_mutex_lock(b, ctx, r), ww_mutex_unlock(b, ctx), ww_mutex_unlock(a, ctx)];
    });
    sys.task('T2', (self) => {
      const ctx = ww_acquire_ctx(cls, self), r = self.local('ret', int(EDEADLK, 0));
      r2 = r;
      return [
        step('after T1 is stamped', { when: (s) => s.get(order) === 1 }), ww_acquire_init(ctx),
        ...(t2Holds ? [ww_mutex_lock(b, ctx, r)] : []),
        step('T1 holds A', { when: (s) => s.get(a.owner) === t1.id }),
        ww_mutex_lock(a, ctx, r),
        step('done'),
      ];
    });
    return [sometimes('T2 told to back off', (s) => s.get(r2) === EDEADLK)];
  });

  it('a context that holds nothing waits, under both flavours (__ww_mutex_kill: acquired == 0)', () => {
    for (const flavour of ['wait-die', 'wound-wait'] as const) expect(check(race(flavour, false), { deadlock: false }).verdict).toMatchObject({ kind: 'unreached', property: 'T2 told to back off' });
  });

  it('wait-die: the younger context holding something dies asking for the older one\'s mutex', () => {
    expect(check(race('wait-die', true), { deadlock: false }).verdict).toEqual({ kind: 'ok' });
  });

  it('wound-wait: the older context asking for the younger one\'s mutex wounds it; the wounded context backs off at its next lock', () => {
    const r = check(race('wound-wait', true), { deadlock: false });
    expect(r.verdict).toEqual({ kind: 'ok' });
    // T1 (older) asks for B, held by T2 (younger): T2 is wounded; T2 asking for A then backs off
    expect(r.witnesses.get('T2 told to back off')?.map((e) => `${r.instance.actors[r.instance.edges[e]!.actor]!.ref.name}: ${r.instance.edges[e]!.label}`)).toEqual([
      'T1: ww_acquire_init(cls)', 'T1: stamped', 'T1: ww_mutex_lock(A)', 'T2: after T1 is stamped', 'T2: ww_acquire_init(cls)', 'T2: ww_mutex_lock(B)',
      'T1: ww_mutex_lock(B)', 'T2: T1 holds A', 'T2: ww_mutex_lock(A)',
    ]);
  });
});

describe('guarded_by with reads', () => {
  /** `counter` guarded by `lock` for reads too; `reader` reads it as the test says. */
  const model = (how: 'locked' | 'unlocked' | 'writes-only') => tiny(`guarded-${how}`, (sys) => {
    const lock = mutex(sys, 'dev->lock'), counter = sys.var('counter', int(0, 3)), seen = sys.var('seen', int(0, 3));
    guarded_by(sys, counter, lock, { reads: how !== 'writes-only' });
    sys.task('writer', (t) => [mutex_lock(lock, t), step('counter++', { then: (s) => s.set(counter, s.get(counter) + 1) }), mutex_unlock(lock, t)]);
    sys.task('reader', (t) => how === 'locked'
      ? [mutex_lock(lock, t), step('seen = counter', { then: (s) => s.set(seen, s.get(counter)) }), mutex_unlock(lock, t)]
      : [step('seen = counter', { then: (s) => s.set(seen, s.get(counter)) })]);
  });

  it('a read without the lock breaks lockdep_assert_held, in both explorers; with the lock, or writes-only, it holds', () => {
    for (const explorer of ['fast', 'reference'] as const) {
      const r = check(model('unlocked'), { explorer });
      expect(r.verdict).toMatchObject({ kind: 'safety', property: GUARDED_BY, path: { length: 1 } });
      expect(textReport(r)).toContain('WARNING: lockdep_assert_held(dev->lock) failed\ncounter read by reader/1 in \'seen = counter\' without dev->lock');
      for (const ok of ['locked', 'writes-only'] as const) expect(check(model(ok), { explorer }).verdict).toEqual({ kind: 'ok' });
    }
  });
});
