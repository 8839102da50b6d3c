import { describe, expect, it } from 'vitest';
import { bool, choice, loop, sometimes, step } from '../index.ts';
import { check } from './check.ts';
import { mutex, mutex_lock, mutex_unlock } from '../kernel/mutex.ts';
import { abba, abbaWithTicker, tiny } from '../test-util/tiny.ts';
import { LOCK_ORDER } from '../kernel/lockdep.ts';

const links = (r: ReturnType<typeof check>) =>
  r.verdict.kind === 'deadlock' ? r.verdict.cycle?.links.map((l) => `${r.instance.actors[l.actor]!.ref.name} -${l.resource}-> ${r.instance.actors[l.heldBy]!.ref.name}`) : r.verdict.kind;

describe('deadlock', () => {
  it('reports an AA self-deadlock as a self-edge', () => {
    const m = tiny('aa', (sys) => { const a = mutex(sys, 'A'); sys.task('T', (t) => [mutex_lock(a, t), mutex_lock(a, t)]); });
    const r = check(m);
    expect(links(r)).toEqual(['T -A-> T']);
    expect(r.trace?.steps.length).toBe(1);
  });

  it('reports AB-BA', () => expect(links(check(abba))).toEqual(['T1 -B-> T2', 'T2 -A-> T1']));

  it('reports a wait-for cycle while a kthread can still run', () => {
    const r = check(abbaWithTicker);
    expect(links(r)).toEqual(['T1 -B-> T2', 'T2 -A-> T1']);
    expect(r.trace?.steps.map((s) => s.actor.name)).toEqual(['T1', 'T2']);
  });

  it('reports a global deadlock without a cycle: a task waits for a condition nobody sets', () => {
    const m = tiny('wait', (sys) => {
      const flag = sys.var('flag', bool());
      sys.task('T', () => [step('wait for flag', { when: (s) => s.test(flag) })]);
    });
    const r = check(m);
    expect(r.verdict).toEqual({ kind: 'deadlock', property: 'deadlock', path: [], cycle: undefined });
  });

  it('does not count an idle kthread as a deadlock', () => {
    const m = tiny('idle', (sys) => {
      const flag = sys.var('flag', bool());
      sys.task('T', () => [step('done')]);
      sys.kthread('flusher', () => [step('wait for work', { when: (s) => s.test(flag), idle: true })]);
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('counts a kthread blocked in the middle of its work as hung, not idle', () => {
    const m = tiny('hung', (sys) => {
      const a = mutex(sys, 'A'), work = sys.var('work', bool());
      sys.task('T', (t) => [mutex_lock(a, t), step('queue work', { then: (s) => s.set(work, true) })]);   // never unlocks A
      sys.kthread('worker', (t) => loop(
        step('wait for work', { when: (s) => s.test(work) }),
        mutex_lock(a, t), step('do work', { then: (s) => s.set(work, false) }), mutex_unlock(a, t)));
    });
    const r = check(m);
    expect(r.verdict).toMatchObject({ kind: 'deadlock', cycle: undefined });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['T: mutex_lock(A)', 'T: queue work', 'worker: wait for work']);
    expect(check(m, { explorer: 'reference' }).verdict).toEqual(r.verdict);
  });

  it('a kthread idles at the head of its main loop, however it blocks there', () => {
    const m = tiny('loop-head', (sys) => {
      const work = sys.var('work', bool());
      sys.task('T', () => [step('done')]);
      sys.kthread('worker', () => loop(step('wait for work', { when: (s) => s.test(work) }), step('do work', { then: (s) => s.set(work, false) })));
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('treats a choice as waiting on any arm: no cycle while one arm can be satisfied', () => {
    // T1 holds A and waits on B or C; T2 holds B and waits on A; C's holder T3 waits for a
    // kthread, not for T1 or T2. Taking only the B arm would wrongly see an AB-BA cycle.
    const m = tiny('or', (sys) => {
      const a = mutex(sys, 'A'), b = mutex(sys, 'B'), c = mutex(sys, 'C');
      const go = sys.var('go', bool());
      sys.task('T3', (t) => [mutex_lock(c, t), step('wait go', { when: (s) => s.test(go) }), mutex_unlock(c, t)]);
      sys.task('T1', (t) => [mutex_lock(a, t), choice([mutex_lock(b, t), mutex_unlock(b, t)], [mutex_lock(c, t), mutex_unlock(c, t)]), mutex_unlock(a, t)]);
      sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
      sys.kthread('timer', () => [step('go', { then: (s) => s.set(go, true) })]);
      return [sometimes('T1 blocked on B and C', (s) => a.holder(s) === 1 && b.holder(s) === 2 && c.holder(s) === 0 && !s.test(go))];
    });
    // lockdep, which sees A -> B and B -> A, rightly warns: this is about the wait-for graph
    expect(check(m, { property: 'deadlock' }).verdict).toEqual({ kind: 'ok' });
  });

  it('--no-deadlock explores past deadlocks', () => {
    const r = check(abba, { deadlock: false });
    // past the deadlock, the whole space: lockdep still sees the order A -> B -> A
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER });
    expect(r.stats.states).toBe(19);
  });
});
