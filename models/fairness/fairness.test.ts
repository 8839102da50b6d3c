/** The known answers of fairness, pinned: verdicts, state counts, lassos, and their replay. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { lassoViolates } from '../../src/check/liveness.ts';
import { replay } from '../../src/explore/replay.ts';
import { Successors } from '../../src/explore/successors.ts';
import { instantiate } from '../../src/state/instance.ts';
import type { Property } from '../../src/model/property.ts';
import model from './index.ts';

const run = (c: string) => check(model, { params: { case: c } });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);

describe('fairness: a lock that hands off does not starve its waiter', () => {
  it.each([
    ['mutex_hog', 8], ['rwsem_write_hog', 15], ['rwsem_two_writers', 44], ['rwsem_read_hog', 11], ['folio_hog', 8], ['spinlock_hog', 8],
  ])('%s: the waiter terminates (%i states), every actor only weakly fair', (c, states) => {
    const r = run(c);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(states);
  });
});

describe('fairness: a lock that hands nothing off starves its waiter for real', () => {
  it('the two-state lock: the blocker waits while faults re-take the add side (8 states)', () => {
    const r = run('two_state_hog');
    expect(r.verdict).toMatchObject({ kind: 'liveness', property: 'waiter terminates', loop: 0, fairness: 'weak: fault, waiter' });
    expect(r.stats.states).toBe(8);
    expect(steps(r)).toEqual(['fault: bch2_pagecache_add_get(A->ei_pagecache_lock)', 'fault: filemap_fault', 'fault: bch2_pagecache_add_put(A->ei_pagecache_lock)']);
  });

  it('a trylock retry loop: it fails each time the writer holds the rwsem (11 states)', () => {
    const r = run('trylock_retry');
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 0 });
    expect(r.stats.states).toBe(11);
    expect(steps(r)).toEqual(['hog: down_write(&sb->s_umount)', 'waiter: down_read_trylock(&sb->s_umount)', 'hog: work', 'hog: up_write(&sb->s_umount)']);
  });

  it('wait_on_bit_lock: woken, the waiter races the newcomer and loses, forever (8 states)', () => {
    const r = run('bit_lock_hog');
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 0 });
    expect(r.stats.states).toBe(8);
    expect(steps(r)).toEqual(['hog: wait_on_bit_lock(bh->b_state:BH_Lock)', 'hog: submit_bh', 'hog: clear_and_wake_up_bit(bh->b_state:BH_Lock)']);
  });
});

describe('fairness: a replayed lasso is judged alike', () => {
  /** The hog's three steps from the initial state, as a lasso (loop 0): did the waiter starve on it? */
  const hogLoopViolates = (c: string): boolean => {
    const inst = instantiate(model, { case: c }), succ = new Successors(inst), views = [succ.initial()], path: number[] = [];
    const hog = inst.actors.findIndex((a) => a.ref.name === 'hog');
    for (let i = 0; i < 3; i++) {
      const e = inst.edges.find((x) => x.actor === hog && succ.step(views.at(-1)!, x) !== undefined)!;
      views.push(succ.step(views.at(-1)!, e)!); path.push(e.id);
    }
    return lassoViolates(inst, inst.properties[0] as Extract<Property, { kind: 'leadsTo' }>, views, path, 0);
  };

  it('each lasso kmc reports replays as a violation under the same fairness (the graph search and the replay agree)', () => {
    for (const c of ['two_state_hog', 'trylock_retry', 'bit_lock_hog']) {
      const r = run(c), inst = instantiate(model, { case: c });
      if (r.verdict.kind !== 'liveness') throw new Error(`${c}: ${r.verdict.kind}`);
      const views = replay(inst, r.verdict.path)!;
      expect(lassoViolates(inst, inst.properties[0] as Extract<Property, { kind: 'leadsTo' }>, views, r.verdict.path, r.verdict.loop), c).toBe(true);
    }
  });

  it('the cycle in which the hog always wins is unfair to a mutex or folio waiter (the lasso kmc used to report), fair to a bit-lock waiter', () => {
    expect(hogLoopViolates('mutex_hog')).toBe(false);
    expect(hogLoopViolates('folio_hog')).toBe(false);
    expect(hogLoopViolates('bit_lock_hog')).toBe(true);
  });
});
