/**
 * bcachefs `two_state_lock` (fs/bcachefs/two_state_shared_lock.h), used as
 * `ei_pagecache_lock`: a signed count `v` with no owner and no queue. State 0 ("add") is taken
 * by page-cache adders (faults, buffered I/O), state 1 ("block") by DIO and truncate.
 *
 * - `add_tryget`: fails if `v > 0`, else `v -= 1`; `block_tryget`: fails if `v < 0`, else `v += 1`.
 * - `*_get` block until the matching tryget would succeed (`__wait_event`, uninterruptible):
 *   **unfair and non-queuing** — a waiting blocker does not stop new adders.
 * - **Fairness: no handoff.** `__bch2_two_state_lock` is `wait_event(lock->wait,
 *   bch2_two_state_trylock(lock, s))`: woken, a waiter races every newcomer, so adders that
 *   keep re-taking the lock starve a blocker (and the reverse). The `*_get` steps are owed only
 *   their actor's fairness (`models/fairness`, `two_state_hog`).
 * - No owner in the kernel: the block side may be released by a DIO completion. The model
 *   records who holds each side only to explain deadlocks (a nested get by the same task is
 *   counted in `v` but recorded once).
 *
 * @example
 * const pc = twoStateLock(sys, 'A->ei_pagecache_lock');
 * [bch2_pagecache_block_get(pc, t), …, bch2_pagecache_block_put(pc, t)]
 */
import { registerLock } from './locks.ts';
import { actorSet, int } from '../model/domain.ts';
import { step, type Node } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { State } from '../model/state.ts';
import { bits } from './bits.ts';

export interface TwoStateLock {
  readonly name: string;
  readonly v: Var;
  readonly adders: Var;
  readonly blockers: Var;
  /** An adder waits for the blockers. */
  readonly forAdd: Resource;
  /** A blocker waits for the adders. */
  readonly forBlock: Resource;
}


export function twoStateLock(sys: System, name: string, maxHolders = 3): TwoStateLock {
  const v = sys.var(`${name}.v`, int(-maxHolders, maxHolders));
  const adders = sys.var(`${name}.add`, actorSet()), blockers = sys.var(`${name}.block`, actorSet());
  const cls = `&ei->ei_pagecache_lock`;
  const l: TwoStateLock = {
    name, v, adders, blockers,
    forAdd: { name: `${name} (add)`, heldAs: `${name} (block)`, lockClass: cls, waitsFor: (s) => bits(s.get(blockers)), holds: (s, a) => (s.get(adders) & (1 << a)) !== 0 },
    forBlock: { name: `${name} (block)`, heldAs: `${name} (add)`, lockClass: cls, waitsFor: (s) => bits(s.get(adders)), holds: (s, a) => (s.get(blockers) & (1 << a)) !== 0 },
  };
  registerLock(sys, l.forAdd, 'bit');
  registerLock(sys, l.forBlock, 'bit');
  return l;
}

const F = `fs/bcachefs/fs.h`;
const add = (l: TwoStateLock, s: State, self: ActorRef): State => s.set(l.v, s.get(l.v) - 1).set(l.adders, s.get(l.adders) | (1 << self.id));
const block = (l: TwoStateLock, s: State, self: ActorRef): State => s.set(l.v, s.get(l.v) + 1).set(l.blockers, s.get(l.blockers) | (1 << self.id));

/** `bch2_pagecache_add_get`: blocks while any blocker holds the lock. */
export const bch2_pagecache_add_get = (l: TwoStateLock, self: ActorRef): Node =>
  step(`bch2_pagecache_add_get(${l.name})`, { fn: `${F}: bch2_pagecache_add_get`, when: (s) => s.get(l.v) <= 0, then: (s) => add(l, s, self), blocksOn: l.forAdd, acquires: l.forAdd, sleeps: true });

/** `bch2_pagecache_add_tryget`: 1 in `result` if taken, else 0; never blocks. */
export const bch2_pagecache_add_tryget = (l: TwoStateLock, self: ActorRef, result: Var): Node =>
  step(`bch2_pagecache_add_tryget(${l.name})`, {
    fn: `${F}: bch2_pagecache_add_tryget`,
    acquires: l.forAdd, trylock: true,
    then: (s) => (s.get(l.v) <= 0 ? add(l, s, self).set(result, 1) : s.set(result, 0)),
  });

/** `bch2_pagecache_add_put`. */
export const bch2_pagecache_add_put = (l: TwoStateLock, self: ActorRef): Node =>
  step(`bch2_pagecache_add_put(${l.name})`, {
    fn: `${F}: bch2_pagecache_add_put`,
    then: (s) => s.set(l.v, s.get(l.v) + 1).set(l.adders, s.get(l.adders) & ~(1 << self.id)),
  });

/** `bch2_pagecache_block_get`: blocks while any adder holds the lock. */
export const bch2_pagecache_block_get = (l: TwoStateLock, self: ActorRef): Node =>
  step(`bch2_pagecache_block_get(${l.name})`, { fn: `${F}: bch2_pagecache_block_get`, when: (s) => s.get(l.v) >= 0, then: (s) => block(l, s, self), blocksOn: l.forBlock, acquires: l.forBlock, sleeps: true });

/** `bch2_pagecache_block_put` (by the DIO's submitter or its completion). */
export const bch2_pagecache_block_put = (l: TwoStateLock, self: ActorRef): Node =>
  step(`bch2_pagecache_block_put(${l.name})`, {
    fn: `${F}: bch2_pagecache_block_put`,
    then: (s) => s.set(l.v, s.get(l.v) - 1).set(l.blockers, s.get(l.blockers) & ~(1 << self.id)),
  });
