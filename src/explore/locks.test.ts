import { describe, expect, it } from 'vitest';
import { instantiate } from '../state/instance.ts';
import { replay } from './replay.ts';
import { lockUses } from './locks.ts';
import { tiny, abba } from '../test-util/tiny.ts';
import { down_read, down_write, rwsem } from '../kernel/rwsem.ts';
import { bch2_pagecache_add_get, bch2_pagecache_block_get, twoStateLock } from '../kernel/two-state-lock.ts';
import type { Instance } from '../state/instance.ts';

/** The locks after the steps of `labels` (actor: label), by actor names. */
function locksAfter(inst: Instance, labels: string[]) {
  const path = labels.map((l) => inst.edges.findIndex((e) => `${inst.actors[e.actor]!.ref.name}: ${e.label}` === l));
  const views = replay(inst, path)!;
  const name = (ids: readonly number[]) => ids.map((a) => inst.actors[a]!.ref.name);
  return lockUses(inst, views.at(-1)!).map((l) => ({ lock: l.lock, holds: name(l.holds), shares: name(l.shares), queued: name(l.queued), waiting: name(l.waiting) }));
}

describe('who holds and who waits for each lock', () => {
  it('mutexes: the owner holds, a blocked task waits', () =>
    expect(locksAfter(instantiate(abba), ['T1: mutex_lock(A)', 'T2: mutex_lock(B)'])).toEqual([
      { lock: 'A', holds: ['T1'], shares: [], queued: [], waiting: ['T2'] },
      { lock: 'B', holds: ['T2'], shares: [], queued: [], waiting: ['T1'] },
    ]));

  it('an rwsem: readers share, a writer queues (and waits), a later reader waits behind it', () => {
    const m = tiny('rw', (sys) => {
      const sem = rwsem(sys, 'sem');
      sys.task('R1', (t) => [down_read(sem, t)]);
      sys.task('W', (t) => down_write(sem, t));
      sys.task('R2', (t) => [down_read(sem, t)]);
    });
    expect(locksAfter(instantiate(m), ['R1: down_read(sem)', 'W: down_write(sem)'])).toEqual([
      { lock: 'sem', holds: [], shares: ['R1'], queued: ['W'], waiting: ['W', 'R2'] },
    ]);
  });

  it("a two-state lock: holders are listed under the side they hold, waiters under the side they ask for", () => {
    const m = tiny('two-state', (sys) => {
      const l = twoStateLock(sys, 'A');
      sys.task('dio', (t) => [bch2_pagecache_block_get(l, t)]);
      sys.task('fault', (t) => [bch2_pagecache_add_get(l, t)]);
    });
    expect(locksAfter(instantiate(m), ['dio: bch2_pagecache_block_get(A)'])).toEqual([
      { lock: 'A (add)', holds: [], shares: [], queued: [], waiting: ['fault'] },
      { lock: 'A (block)', holds: ['dio'], shares: [], queued: [], waiting: [] },
    ]);
  });
});
