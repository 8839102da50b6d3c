/** The library API as a user's test suite sees it: `check` and the vitest matchers. */
import { describe, expect, it } from 'vitest';
import { check } from 'kmc';
import 'kmc/vitest';
import abba from './classic/abba.ts';
import starvation from './classic/starvation.ts';
import dioMmap from './dio-mmap/index.ts';
import gup from './gup-writeback/index.ts';

describe('kmc/vitest matchers', () => {
  it("Kent's scheme is deadlock-free; the naive fdm check is not (S-12)", async () => {
    expect(await check(dioMmap, { params: { fault_lock: 'pagecache_kent' } })).toHold('deadlock');
    expect(await check(dioMmap, { params: { fault_lock: 'pagecache_naive_fdm' } })).toViolate('deadlock', { steps: 18 });   // each DIO tries GUP-fast first (pin_user_pages_fast; 16 before); each DIO's GUP takes mmap_read_lock (14 when elided)
  });

  it('mainline writeback vs a FOLL_WRITE pin: P1 and P3 break, the racy window is reached', async () => {
    const r = await check(gup);
    expect(r).toViolate('P1', { steps: 14 });   // the fault and GUP take and drop mmap_read_lock (11 when elided)
    expect(r).toViolate('P3');
    expect(r).toReach('a pinned folio is under writeback');
    expect(r).toHold('P4');
  });

  it('a lasso is a violation too', () => {
    expect(check(starvation)).toViolate('waiter terminates', { steps: 4 });
    expect(check(starvation, { params: { wait: 'lock', fairness: 'strong' } })).toHold('waiter terminates');
  });

  it('a failing matcher prints the counterexample', async () => {
    const r = await check(abba);
    expect(() => expect(r).toHold('deadlock')).toThrow(/expected 'deadlock' to hold:\nclassic\/abba\ndeadlock: wait-for cycle \(AB-BA\) after 2 steps/);
    expect(() => expect(r).toViolate('deadlock', { steps: 3 })).toThrow(/expected a shortest violation of 3 steps, got 2/);
    expect(() => expect(r).not.toViolate('deadlock')).toThrow(/not to be violated/);
  });
});
