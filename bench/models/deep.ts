/**
 * A counterexample as long as asked: task T1 counts x up to n while T2 takes three steps of its
 * own; the property 'x < n or y < 3' fails only when both are done, after n + 3 steps (about
 * 4(n + 1) states). What it measures is everything after the search: replaying the path,
 * minimising its context switches, and printing the trace (`npm run bench`, the
 * long-counterexample rows).
 */
import { always, defineModel, int, loop, param, step } from '../../src/index.ts';

export default defineModel({
  name: 'bench/deep',
  doc: 'a violation at depth n + 3: T1 counts to n, T2 takes three steps',
  params: { n: param.int({ min: 1, max: 1_000_000, default: 1000, doc: 'steps of T1 before the violation' }) },
  setup({ n }, sys) {
    const x = sys.var('x', int(0, n)), y = sys.var('y', int(0, 3));
    sys.task('T1', () => loop(step('x++', { when: (s) => s.get(x) < n, then: (s) => s.set(x, s.get(x) + 1) })));
    sys.task('T2', () => [1, 2, 3].map((i) => step(`y = ${i}`, { then: (s) => s.set(y, i) })));
    return [always('x < n or y < 3', (s) => s.get(x) < n || s.get(y) < 3)];
  },
});
