/** Tiny models for engine tests (stateright's test_util): exact numbers are easy to derive by hand. */
import { bool, defineModel, int, loop, step, type Property, type System } from '../index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../kernel/mutex.ts';
import type { Program } from '../model/program.ts';
import type { Self } from '../model/system.ts';

/** A model from an inline setup, for tests. */
export const tiny = (name: string, setup: (sys: System) => readonly Property[] | void) =>
  defineModel({ name, doc: name, params: {}, setup: (_p, sys) => setup(sys) });

/** One task counting `x` from 0 to `limit` (limit + 1 states, depth limit). */
export const counter = (limit: number, props: (x: ReturnType<System['var']>) => Property[] = () => []) =>
  tiny('counter', (sys) => {
    const x = sys.var('x', int(0, limit));
    sys.task('T', () => Array.from({ length: limit }, (_, i) => step(`x = ${i + 1}`, { then: (s) => s.set(x, i + 1) })));
    return props(x);
  });

/** Two tasks each running `body(lockA, lockB, self)`. */
export const twoLocks = (body: (a: ReturnType<typeof mutex>, b: ReturnType<typeof mutex>, self: Self, i: number) => Program, extra?: (sys: System) => void) =>
  tiny('two-locks', (sys) => {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B');
    sys.task('T1', (t) => body(a, b, t, 0));
    sys.task('T2', (t) => body(a, b, t, 1));
    extra?.(sys);
  });

export const abba = twoLocks((a, b, t, i) => {
  const [x, y] = i === 0 ? [a, b] : [b, a];
  return [mutex_lock(x, t), mutex_lock(y, t), mutex_unlock(y, t), mutex_unlock(x, t)];
});

/** Both tasks take A before B: the fix, deadlock-free (16 states). */
export const abbaOrdered = twoLocks((a, b, t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);

/** AB-BA plus a kthread that can always run: the cycle must still be reported. */
export const abbaWithTicker = twoLocks((a, b, t, i) => {
  const [x, y] = i === 0 ? [a, b] : [b, a];
  return [mutex_lock(x, t), mutex_lock(y, t), mutex_unlock(y, t), mutex_unlock(x, t)];
}, (sys) => {
  const tick = sys.var('tick', bool());
  sys.kthread('ticker', () => loop(step('tick', { then: (s) => s.set(tick, !s.test(tick)) })));
});
