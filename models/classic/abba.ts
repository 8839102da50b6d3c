/**
 * Two tasks take two mutexes in opposite orders: the textbook AB-BA deadlock lockdep reports
 * as "possible circular locking dependency". With `--param ordered=true` both take A before B
 * (the fix), and the model is deadlock-free.
 */
import { defineModel, param } from '../../src/index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../../src/kernel/mutex.ts';

export default defineModel({
  name: 'classic/abba',
  doc: 'two tasks, two mutexes, opposite lock order (AB-BA); ordered=true is the fix',
  params: { ordered: param.bool({ default: false, doc: 'both tasks take A before B' }) },
  configurations: [{ ordered: false }, { ordered: true }],
  expect: ({ ordered }) => ({ deadlock: ordered ? 'holds' : { violated: 2 } }),
  setup({ ordered }, sys) {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B');
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
    const [x, y] = ordered ? [a, b] : [b, a];
    sys.task('T2', (t) => [mutex_lock(x, t), mutex_lock(y, t), mutex_unlock(y, t), mutex_unlock(x, t)]);
    return [];
  },
});
