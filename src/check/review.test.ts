/** Regression tests named after the bugs they reproduce (found in review). */
import { describe, expect, it } from 'vitest';
import { always, bool, choice, goto, ifElse, int, label, loop, ModelError, sometimes, step, terminates } from '../index.ts';
import { instantiate } from '../state/instance.ts';
import { fewestSwitches } from './minimize.ts';
import { check } from './check.ts';
import { abbaOrdered, tiny } from '../test-util/tiny.ts';
import { mutex, mutex_lock } from '../kernel/mutex.ts';

describe('review regressions', () => {
  it('strong fairness: an actor disabled throughout a cycle is owed nothing (was: infinite recursion)', () => {
    const m = tiny('sf', (sys) => {
      const x = sys.var('x', int(0, 1)), flag = sys.var('flag', bool());
      sys.kthread('ticker', () => loop(step('x = 1', { then: (s) => s.set(x, 1) }), step('x = 0', { then: (s) => s.set(x, 0) })));
      return [terminates(sys.task('T', () => [step('wait flag', { when: (s) => s.test(flag) })], { fairness: 'strong' }))];
    });
    expect(check(m, { deadlock: false }).verdict).toMatchObject({ kind: 'liveness' });
  });

  it('a step writing more than 1024 slots keeps every write (was: lost on overlay compaction)', () => {
    const m = tiny('big', (sys) => {
      const a = sys.array('a', 1100, bool());
      const t = sys.task('T', () => [step('set all', { then: (s) => { let u = s; for (let i = 0; i < 1100; i++) u = u.set(a, i, true); return u; } })]);
      return [always('done implies all set', (s) => !s.done(t) || (s.test(a, 0) && s.test(a, 1099)))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
    expect(check(m, { explorer: 'reference' }).verdict).toEqual({ kind: 'ok' });
  });

  it('reordering a deadlock trace keeps the wait-for cycle it reports (was: a different deadlock accepted)', () => {
    // T1 takes A, then B only if T2 already set x = 2 (else it waits forever); T2 takes B (x = 2), a step, then A
    const m = tiny('reorder', (sys) => {
      const a = mutex(sys, 'A'), b = mutex(sys, 'B'), x = sys.var('x', int(0, 2));
      sys.task('T1', (t) => [mutex_lock(a, t), ifElse((s) => s.get(x) === 2, [mutex_lock(b, t)], [step('wait forever', { when: () => false })])]);
      sys.task('T2', (t) => [step('lock B, x = 2', { when: (s) => b.holder(s) === -1, then: (s) => b.setHolder(s, t.id).set(x, 2), blocksOn: b }), step('work'), mutex_lock(a, t)]);
    });
    const inst = instantiate(m);
    const id = (actor: string, label: string) => inst.edges.find((e) => inst.actors[e.actor]!.ref.name === actor && e.label === label)!.id;
    const path = [id('T2', 'lock B, x = 2'), id('T1', 'mutex_lock(A)'), id('T2', 'work')];   // two switches, ends in AB-BA
    const cycle = { links: [
      { actor: 0, resource: 'B', heldAs: 'B', lockClass: 'B', heldBy: 1, how: 'holds' as const, shared: false },
      { actor: 1, resource: 'A', heldAs: 'A', lockClass: 'A', heldBy: 0, how: 'holds' as const, shared: false },
    ] };
    // T1 first would have one switch too, but ends in a global deadlock (T1 waits forever), not this cycle;
    // T2's two steps first keeps the cycle
    expect(fewestSwitches(inst, { kind: 'deadlock', property: 'deadlock', path, cycle }, path))
      .toEqual([id('T2', 'lock B, x = 2'), id('T2', 'work'), id('T1', 'mutex_lock(A)')]);
  });

  it('a choice arm starting with goto is KMC008 (was: TypeError)', () => {
    const m = tiny('arm', (sys) => { sys.task('T', () => [label('top'), step('a'), choice([goto('top')], [step('b')])]); });
    expect(() => check(m)).toThrow(ModelError);
    expect(() => check(m)).toThrow(/KMC008/);
  });

  it('a label at the start of a choice arm rests at the choice (was: never matched)', () => {
    const m = tiny('label', (sys) => {
      const t = sys.task('T', () => [choice([label('L'), step('a')], [step('b')])]);
      return [sometimes('T at L', (s) => s.at(t, 'L'))];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('--max-states equal to the whole space is complete (was: incomplete)', () => {
    expect(check(abbaOrdered, { maxStates: 16 }).verdict).toEqual({ kind: 'ok' });
    expect(check(abbaOrdered, { maxStates: 15 }).verdict.kind).toBe('incomplete');
    expect(check(abbaOrdered, { maxStates: 15, explorer: 'reference' }).verdict.kind).toBe('incomplete');
  });
});
