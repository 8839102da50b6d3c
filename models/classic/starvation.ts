/**
 * A waiter and an unbounded competitor on one lock. The competitor takes and drops the lock
 * forever. The waiter either retries `mutex_trylock` (`wait=trylock`) or sleeps in `mutex_lock`
 * (`wait=lock`). Under weak fairness the waiter can starve either way: it is enabled only now
 * and then. With `fairness=strong` a sleeping waiter that is woken infinitely often gets the
 * lock; a retry loop still starves, since it can always step, and fails each time.
 */
import { defineModel, goto, ifElse, int, label, loop, param, step, terminates } from '../../src/index.ts';
import { mutex, mutex_lock, mutex_trylock, mutex_unlock } from '../../src/kernel/mutex.ts';

export default defineModel({
  name: 'classic/starvation',
  doc: 'a lock waiter against an unbounded competitor: starvation under weak fairness',
  params: {
    wait: param.enum({ doc: 'how the waiter waits', default: 'trylock', values: { trylock: 'retry mutex_trylock', lock: 'sleep in mutex_lock' } }),
    fairness: param.enum({ doc: "the waiter's fairness", default: 'weak', values: { weak: 'weakly fair waiter', strong: 'strongly fair waiter' } }),
  },
  expect: ({ wait, fairness }) => ({ 'waiter terminates': wait === 'lock' && fairness === 'strong' ? 'holds' : 'violated' }),
  setup({ wait, fairness }, sys) {
    const m = mutex(sys, 'm');
    const waiter = sys.task('waiter', (t) => {
      const got = t.local('got', int(0, 1));
      return wait === 'lock'
        ? [mutex_lock(m, t), step('critical section'), mutex_unlock(m, t)]
        : [label('retry'), mutex_trylock(m, t, got), ifElse((s) => s.get(got) === 0, [goto('retry')]), step('critical section'), mutex_unlock(m, t)];
    }, { fairness });
    sys.kthread('competitor', (t) => loop(mutex_lock(m, t), step('use'), mutex_unlock(m, t)));
    return [terminates(waiter)];
  },
});
