/** The known answers of rcu-readers, pinned: verdicts, state counts and lockdep's words. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { textReport } from '../../src/trace/report.ts';
import { SUSPICIOUS_RCU } from '../../src/kernel/index.ts';
import { USE_AFTER_FREE } from './cases.ts';
import { bool, step, type Program } from '../../src/index.ts';
import { context, preempt_disable, preempt_enable, synchronize_rcu } from '../../src/kernel/index.ts';
import { tiny } from '../../src/test-util/tiny.ts';
import model from './index.ts';

const STATES_REQUEUE = 24;

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);

describe('rcu-readers', () => {
  it('a grace period waits for every flavour of reader (v5.0 and later): no use after free, all states explored', () => {
    // before, synchronize_rcu/call_rcu waited only for rcu_read_lock(): each of these freed the object under its reader
    const counts = { rcu_read_lock: 30, preempt_sched: 30, bh_call_rcu: 40, irqsave_check: 30, spinlock_check: 30, hardirq_sched: 30, protected_locked: 46 };
    for (const [c, n] of Object.entries(counts)) {
      const r = run(c);
      expect(r.verdict, c).toEqual({ kind: 'ok' });
      expect(r.stats.states, c).toBe(n);
      expect(r.witnesses.has('the reader holds the old object while it is unpublished'), c).toBe(true);
    }
  });

  it('the updater waits in synchronize_rcu while the preempt-disabled reader holds the old object', () => {
    const r = run('preempt_sched', USE_AFTER_FREE);
    expect(r.verdict).toEqual({ kind: 'ok' });
    const bad = run('no_reader', USE_AFTER_FREE);
    expect(bad.verdict).toMatchObject({ kind: 'safety', property: USE_AFTER_FREE });
    expect(steps(bad)).toEqual(['reader: rcu_dereference(gp)', 'updater: rcu_assign_pointer(gp, new)', 'updater: synchronize_rcu()', 'updater: synchronize_rcu(): wait for readers', 'updater: kfree(old)']);
  });

  it('rcu_dereference() under preempt_disable() is protected, but lockdep still says suspicious RCU usage: rcu_read_lock_held() is 0', () => {
    const r = run('preempt_plain');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: SUSPICIOUS_RCU, path: { length: 2 } });
    expect(steps(r)).toEqual(['reader: preempt_disable()', 'reader: rcu_dereference(gp)']);
    expect(textReport(r)).toContain('=============================\nWARNING: suspicious RCU usage\n-----------------------------\nrcu_dereference(gp): suspicious rcu_dereference_check() usage!\n\nother info that might help us debug this:\n\n\nrcu_scheduler_active = 2, debug_locks = 1\nno locks held by reader/0.\n');
    expect(textReport(r)).toContain('reader/0: rcu_read_lock_held() = 0 (preempt_count: 1,');
    expect(run('preempt_plain', USE_AFTER_FREE).verdict).toEqual({ kind: 'ok' });
  });

  it('rcu_dereference_bh() inside rcu_read_lock() is the wrong flavour: lockdep lists rcu_read_lock as held and still warns', () => {
    const r = run('wrong_flavour');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: SUSPICIOUS_RCU, path: { length: 2 } });
    expect(textReport(r)).toContain('rcu_dereference_bh(gp): suspicious rcu_dereference_check() usage!\n');
    expect(textReport(r)).toContain('1 lock held by reader/0:\n #0: (rcu_read_lock)-{1:2}, rcu_read_lock()\n\nreader/0: rcu_read_lock_bh_held() = 0');
    expect(run('wrong_flavour', USE_AFTER_FREE).verdict).toEqual({ kind: 'ok' });
  });

  it('rcu_dereference_protected() without the lock it names is "suspicious rcu_dereference_protected() usage"', () => {
    const r = run('protected_unlocked');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: SUSPICIOUS_RCU, path: { length: 1 } });
    expect(textReport(r)).toContain('rcu_dereference_protected(gp, lockdep_is_held(&dev->lock)): suspicious\n    rcu_dereference_protected() usage!\n');
    expect(textReport(r)).toContain('updater/1: lockdep_is_held(&dev->lock) = 0');
    expect(run('no_reader').verdict).toMatchObject({ kind: 'safety', property: SUSPICIOUS_RCU, path: { length: 1 } });
  });

  it('a grace period ends when its reader passes a quiescent state, even if the reader disables preemption again at once', () => {
    // the reader enables preemption once the grace period has begun, disables it again and waits for the free:
    // a grace period that waited for whoever is non-preemptible now, instead of for the readers of its start, would deadlock
    const m = tiny('requeue', (sys) => {
      const started = sys.var('gp_started', bool()), freed = sys.var('freed', bool());
      sys.task('reader', (self) => {
        const c = context(self);
        return [preempt_disable(c), step('until the grace period began', { when: (s) => s.test(started) }), preempt_enable(c),
          preempt_disable(c), step('until the free', { when: (s) => s.test(freed) }), preempt_enable(c)];
      });
      sys.task('updater', (self) => {
        const [begin, wait] = synchronize_rcu(context(self)) as readonly Program[];
        return [begin!, step('gp_started = true', { then: (s) => s.set(started, true) }), wait!, step('kfree(old)', { then: (s) => s.set(freed, true) })];
      });
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(STATES_REQUEUE);
  });

  it('the rule is a built-in a model turns off by name', () => {
    const off = { ...model, builtins: { [SUSPICIOUS_RCU]: false as const } };
    expect(check(off, { params: { case: 'preempt_plain' } }).verdict).toEqual({ kind: 'ok' });
  });
});
