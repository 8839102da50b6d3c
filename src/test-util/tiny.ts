/** Tiny models for engine tests (stateright's test_util): exact numbers are easy to derive by hand. */
import { bool, defineModel, int, loop, sometimes, step, transition, type Property, type State, type System } from '../index.ts';
import { recordSource } from '../model/source.ts';
import type { Model } from '../model/define-model.ts';
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

/**
 * Two tasks counting x and y to 3; a `sometimes` (or `transition`) predicate that throws in the
 * state x = 2, y = 1: a model error in the first state a search meets it. Worker threads build it
 * again from its source.
 */
export function throwingPredicate(kind: 'sometimes' | 'transition'): Model {
  const m = tiny(`throws-${kind}`, (sys) => {
    const x = sys.var('x', int(0, 3)), y = sys.var('y', int(0, 3));
    for (const v of [x, y]) sys.task(`T${v.name}`, () => [1, 2, 3].map((i) => step(`${v.name} = ${i}`, { then: (s) => s.set(v, i) })));
    const boom = (s: State): boolean => { if (s.get(x) === 2 && s.get(y) === 1) throw new Error('no such folio'); return false; };
    return [kind === 'sometimes' ? sometimes('p', boom) : transition('p', ({ after }) => !boom(after))];
  });
  recordSource(m, { url: import.meta.url, via: 'import', factory: { name: 'throwingPredicate', args: [kind] } });
  return m;
}
