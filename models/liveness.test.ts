/** Liveness under fairness: the scenario table's verdicts, classic answers, lassos, and the soundness guard. */
import { describe, expect, it } from 'vitest';
import { check, guardReduction } from '../src/check/check.ts';
import { findScenario, runScenario } from '../src/cli/scenario.ts';
import { itfOf } from '../src/trace/report.ts';
import { bool, eventually, infinitelyOften, int, loop, returnsToStart, step, terminates } from '../src/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../src/kernel/mutex.ts';
import { bitLock, clear_and_wake_up_bit, wait_on_bit_lock } from '../src/kernel/bit-lock.ts';
import { tiny } from '../src/test-util/tiny.ts';
import peterson from './classic/peterson.ts';
import starvation from './classic/starvation.ts';
import dioMmap from './dio-mmap/index.ts';

const l1 = async (id: string) => (await runScenario(await findScenario(id))).find((x) => x.property === 'L1')!.report;

describe('scenario table: L1 and L2', () => {
  it('S-5: writeback completes under weak fairness of short-term pin release', async () =>
    expect((await l1('S-5')).verdict).toEqual({ kind: 'ok' }));

  it('S-6: with a long-term pin writeback never completes: the lasso', async () => {
    const r = await l1('S-6');
    // the fault and GUP take mmap_read_lock (a step lockdep sees): the shortest stem is now the pinner's own write fault
    expect(r.verdict).toMatchObject({ kind: 'liveness', property: 'L1 writeback eventually completes', loop: 14, fairness: 'weak: user, pinner, writeback; no fairness: application' });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual([
      'user: mmap_read_lock', 'pinner: mmap_read_lock', 'pinner: follow_page_pte(A)', 'pinner: folio_lock(A)', 'pinner: ext4_page_mkwrite', 'pinner: folio_wait_stable(A)',
      'pinner: wp_page_reuse: PTE RW-dirty', 'pinner: fault_dirty_shared_page(A): unlock', 'pinner: follow_page_pte(A)', 'pinner: mmap_read_unlock',
      'pinner: kwrite(A)', 'writeback: writeback_iter(A)', 'writeback: folio_lock(A)', 'writeback: folio_mkclean(A)',
    ]);
    expect(itfOf(r)?.loop).toBe(14);
  });

  it('S-13L: no livelock and no starvation in Kent\'s scheme with bounded competitors', async () => {
    const rs = await runScenario(await findScenario('S-13L'));
    expect(rs.map((x) => [x.property, x.report.verdict.kind])).toEqual([['deadlock', 'ok'], ['L2(b)', 'ok'], ['L2(c)', 'ok']]);
  });

  it('GFS2-style prefault + FOLL_NOFAULT retry, DIO from an mmap of its own file: livelock (L2(c))', () => {
    const r = check(dioMmap, { params: { dio: 'd3', fault_lock: 'invalidate_lock', tasks: 1, files: 1, buffer: 'same' }, property: 'L2(c)' });
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 22 });   // 21 before the DIO tried GUP-fast first (pin_user_pages_fast); 19 before the prefault released mmap_lock for its read and retried; 15 before GUP's mmap_read_lock/unlock were steps
    // the DIO's own invalidation zaps the buffer it prefaulted, so FOLL_NOFAULT fails, forever
    expect(r.trace?.steps.slice(r.verdict.kind === 'liveness' ? r.verdict.loop : 0).map((s) => s.label)).toContain('invalidate_complete_folio2(A)');
  });
});

describe('classic liveness', () => {
  it("Peterson's algorithm is starvation-free under weak fairness", () => {
    expect(check(peterson, { property: 'p0 waiting leads to p0 in the critical section' }).verdict).toEqual({ kind: 'ok' });
    expect(check(peterson, { property: 'p1 waiting leads to p1 in the critical section' }).verdict).toEqual({ kind: 'ok' });
  });

  it('a trylock retry loop starves against an unbounded competitor, even under strong fairness', () => {
    for (const fairness of ['weak', 'strong']) expect(check(starvation, { params: { wait: 'trylock', fairness } }).verdict.kind).toBe('liveness');
  });

  it('a waiter sleeping on a lock that hands nothing off (wait_on_bit_lock) starves under weak fairness, not under strong fairness', () => {
    const r = check(starvation, { params: { wait: 'bit_lock', fairness: 'weak' } });
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 0 });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['competitor: wait_on_bit_lock(b)', 'competitor: use', 'competitor: clear_and_wake_up_bit(b)']);
    expect(check(starvation, { params: { wait: 'bit_lock', fairness: 'strong' } }).verdict).toEqual({ kind: 'ok' });
  });

  it('a mutex waiter is not starved, even weakly fair: the mutex hands off (kernel/locking/mutex.c: MUTEX_FLAG_HANDOFF)', () => {
    for (const fairness of ['weak', 'strong']) expect(check(starvation, { params: { wait: 'lock', fairness } })).toMatchObject({ verdict: { kind: 'ok' }, stats: { states: 8 } });
  });
});

describe('the algorithm', () => {
  it('finds a fair cycle that never reaches the goal (an acyclic-only eventually misses it)', () => {
    const m = tiny('cycle', (sys) => {
      const x = sys.var('x', int(0, 2));
      sys.kthread('ticker', () => loop(step('x = 1', { then: (s) => s.set(x, 1) }), step('x = 0', { then: (s) => s.set(x, 0) })));
      return [eventually('x reaches 2', (s) => s.get(x) === 2)];
    });
    const r = check(m);
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 0 });
    expect(r.trace?.steps.map((s) => s.label)).toEqual(['x = 1', 'x = 0']);
  });

  it('an unfair actor may stop forever; a weakly fair one may not', () => {
    const build = (fairness: 'weak' | 'none') => tiny('unfair', (sys) => {
      const done = sys.var('done', bool());
      const t = sys.task('T', () => [step('finish', { then: (s) => s.set(done, true) })], { fairness });
      return [terminates(t)];
    });
    expect(check(build('none')).verdict).toMatchObject({ kind: 'liveness', loop: 0, path: [] });
    expect(check(build('weak')).verdict).toEqual({ kind: 'ok' });
  });

  it('weak fairness rules out a cycle in which a continuously enabled actor never steps', () => {
    const build = (fairness: 'weak' | 'none') => tiny('wf', (sys) => {
      const x = sys.var('x', int(0, 1));
      sys.kthread('ticker', () => loop(step('x = 1', { then: (s) => s.set(x, 1) }), step('x = 0', { then: (s) => s.set(x, 0) })));
      return [terminates(sys.task('T', () => [step('finish')], { fairness }))];
    });
    expect(check(build('weak')).verdict).toEqual({ kind: 'ok' });
    const r = check(build('none'));
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 0 });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['ticker: x = 1', 'ticker: x = 0']);
  });

  it('infinitely often: a kthread that keeps returning to its start', () => {
    const m = tiny('gf', (sys) => {
      const x = sys.var('x', int(0, 1));
      sys.kthread('k', () => loop(step('x = 1', { then: (s) => s.set(x, 1) }), step('x = 0', { then: (s) => s.set(x, 0) })));
      return [infinitelyOften('x is 0 infinitely often', (s) => s.get(x) === 0)];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('returns to its start infinitely often: a writeback loop that can be starved of a lock without handoff', () => {
    const build = (fairness: 'weak' | 'strong') => tiny('loop', (sys) => {
      const b = bitLock(sys, 'b');
      const flusher = sys.kthread('flusher', (t) => loop(step('wb_do_writeback'), wait_on_bit_lock(b, t), step('flush'), clear_and_wake_up_bit(b, t)), { fairness });
      sys.kthread('hog', (t) => loop(wait_on_bit_lock(b, t), step('hold'), clear_and_wake_up_bit(b, t)));
      return [returnsToStart(flusher)];
    });
    expect(check(build('weak')).verdict).toMatchObject({ kind: 'liveness', property: 'flusher returns to its start infinitely often' });
    expect(check(build('strong')).verdict).toEqual({ kind: 'ok' });
  });

  it('a handoff step is strongly fair on its own: the same loop on a mutex returns to its start, weakly fair', () => {
    const m = tiny('loop', (sys) => {
      const mu = mutex(sys, 'm');
      const flusher = sys.kthread('flusher', (t) => loop(step('wb_do_writeback'), mutex_lock(mu, t), step('flush'), mutex_unlock(mu, t)));
      sys.kthread('hog', (t) => loop(mutex_lock(mu, t), step('hold'), mutex_unlock(mu, t)));
      return [returnsToStart(flusher)];
    });
    expect(check(m).verdict).toEqual({ kind: 'ok' });
  });

  it('a cycle that keeps a handoff waiter waiting is unfair: the lasso grants the lock first, then cycles', () => {
    const m = tiny('waiter then spinner', (sys) => {
      const mu = mutex(sys, 'm');
      sys.task('A', (t) => [mutex_lock(mu, t), mutex_unlock(mu, t), loop(step('poll'))]);
      sys.kthread('B', (t) => loop(mutex_lock(mu, t), mutex_unlock(mu, t)));
      return [eventually('never', () => false)];
    });
    const r = check(m);
    // per-actor weak fairness alone accepts B's loop from the start (A is disabled while B holds m)
    expect(r.verdict).toMatchObject({ kind: 'liveness', loop: 2 });
    expect(r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`)).toEqual(['A: mutex_lock(m)', 'A: mutex_unlock(m)', 'A: poll', 'B: mutex_lock(m)', 'B: mutex_unlock(m)']);
  });

  it('an actor without fairness is owed nothing, even at a handoff step', () => {
    const m = tiny('unfair waiter', (sys) => {
      const mu = mutex(sys, 'm');
      const waiter = sys.task('waiter', (t) => [mutex_lock(mu, t), mutex_unlock(mu, t)], { fairness: 'none' });
      sys.kthread('hog', (t) => loop(mutex_lock(mu, t), mutex_unlock(mu, t)));
      return [terminates(waiter)];
    });
    expect(check(m).verdict).toMatchObject({ kind: 'liveness', loop: 0 });
  });

  it('reports the graph memory per state', () => {
    const g = check(dioMmap, { params: { fault_lock: 'pagecache_kent' } }).stats.graphBytesPerState;
    expect(g).toBeGreaterThan(0);
    expect(g).toBeLessThan(400);
  });
});

describe('soundness guard', () => {
  it('refuses a state-space reduction with liveness properties, and says why', () => {
    expect(() => guardReduction('symmetry', [eventually('p', () => true)])).toThrow(/refused with liveness properties \('p'\): the reduction is not proven sound for fair-cycle detection/);
    expect(() => check(peterson, { reduction: 'partial-order' })).toThrow(/refused with liveness properties/);
    expect(() => guardReduction('none', [eventually('p', () => true)])).not.toThrow();
  });
});
