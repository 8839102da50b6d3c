/**
 * The classic models against numbers measured outside kmc: SPIN 6.5.2 (and TLC) on
 * bench/pml/phil.pml and dio-ring.pml — states, transitions (generated + 1) and BFS depth.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import philosophers from './philosophers.ts';
import dioRing from './dio-ring.ts';
import peterson from './peterson.ts';
import abba from './abba.ts';

const counts = (r: ReturnType<typeof check>) => [r.stats.states, r.stats.transitions, r.stats.depth];

describe('philosophers = phil.pml (SPIN)', () => {
  // n=12 (1,684,801 states, 14,610,253 transitions, depth 34) and up: the benchmark, against SPIN run beside it
  it.each([
    [10, 154_450, 1_116_131, 28],
  ])('n=%i: %i states, %i transitions, depth %i', (n, states, transitions, depth) => {
    const r = check(philosophers, { params: { n }, deadlock: false });
    expect(r.verdict.kind).toBe('ok');
    expect(counts(r)).toEqual([states, transitions, depth]);
  });

  it.each([2, 3, 5, 8])('n=%i deadlocks after n steps: everyone holds the left fork', (n) => {
    const r = check(philosophers, { params: { n } });
    expect(r.verdict.kind).toBe('deadlock');
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(
      Array.from({ length: n }, (_, i) => `phil${i}: mutex_lock(fork[${i}])`));
    expect(r.verdict.kind === 'deadlock' && r.verdict.cycle?.links.length).toBe(n);
  });
});

describe('dio-ring = dio-ring.pml (SPIN)', () => {
  it.each([
    [2, 84, undefined, 12],
    [3, 1_024, 3_418, 21],
    [4, 11_424, undefined, 30],
    [5, 123_124, 710_496, 39],
    // n=6 (1,307,124 states, 9,097,195 transitions, depth 48) and up: the benchmark, against SPIN run beside it
  ])('n=%i: %i states, %s transitions, depth %i', (n, states, transitions, depth) => {
    const r = check(dioRing, { params: { n }, deadlock: false });
    expect(r.verdict.kind).toBe('ok');
    expect(r.stats.states).toBe(states);
    if (transitions !== undefined) expect(r.stats.transitions).toBe(transitions);
    expect(r.stats.depth).toBe(depth);
  });

  it.each([2, 3, 4, 5])('n=%i deadlocks after 3n steps: every task holds its file and wants the next', (n) => {
    const r = check(dioRing, { params: { n } });
    expect(r.verdict.kind).toBe('deadlock');
    expect(r.trace?.steps.length).toBe(3 * n);
    expect(r.verdict.kind === 'deadlock' && r.verdict.cycle?.links.map((l) => [l.actor, l.heldBy]))
      .toEqual(Array.from({ length: n }, (_, t) => [t, (t + 1) % n]));
  });
});

describe('peterson and abba', () => {
  it('peterson is safe and its critical section is reachable', () => {
    const r = check(peterson);
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(counts(r)).toEqual([26, 45, 7]);
    expect(r.witnesses.get('p0 in the critical section while p1 waits')?.length).toBe(4);
  });

  it('abba deadlocks AB-BA after two steps; ordered locking holds', () => {
    const r = check(abba);
    expect(r.verdict.kind === 'deadlock' && r.verdict.cycle?.links.map((l) => `${l.actor}->${l.heldBy} ${l.resource}`)).toEqual(['0->1 B', '1->0 A']);
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['T1: mutex_lock(A)', 'T2: mutex_lock(B)']);
    const fixed = check(abba, { params: { ordered: true } });
    expect(fixed.verdict).toEqual({ kind: 'ok' });
    expect(counts(fixed)).toEqual([16, 17, 8]);
  });
});
