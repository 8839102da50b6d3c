/**
 * A waiter and an unbounded competitor on one lock. The competitor takes and drops the lock
 * forever. The waiter either retries a trylock (`wait=trylock`), sleeps in `mutex_lock`
 * (`wait=lock`), or sleeps in `wait_on_bit_lock` (`wait=bit_lock`, the competitor then takes
 * the same bit lock).
 *
 * - A retry loop starves even under strong fairness: it can always step, and fails each time.
 * - A mutex waiter does not starve, whatever the actor's fairness: the mutex hands off
 *   (kernel/locking/mutex.c: the first waiter sets `MUTEX_FLAG_HANDOFF` in
 *   `__mutex_lock_common` and `__mutex_unlock_slowpath` hands it the lock, `__mutex_handoff`).
 * - A bit-lock waiter races each newcomer once woken (kernel/sched/wait_bit.c:
 *   `__wait_on_bit_lock` retries `test_and_set_bit`): it starves under weak fairness, and only a
 *   strongly fair waiter (woken infinitely often while the bit is clear, it wins once) does not.
 */
import { defineModel, goto, ifElse, int, label, loop, param, step, terminates } from '../../src/index.ts';
import { mutex, mutex_lock, mutex_trylock, mutex_unlock } from '../../src/kernel/mutex.ts';
import { bitLock, clear_and_wake_up_bit, wait_on_bit_lock } from '../../src/kernel/bit-lock.ts';

export default defineModel({
  name: 'classic/starvation',
  doc: 'a lock waiter against an unbounded competitor: starvation unless the lock hands off',
  params: {
    wait: param.enum({ doc: 'how the waiter waits', default: 'trylock', values: { trylock: 'retry mutex_trylock', lock: 'sleep in mutex_lock (hands off)', bit_lock: 'sleep in wait_on_bit_lock (no handoff)' } }),
    fairness: param.enum({ doc: "the waiter's fairness", default: 'weak', values: { weak: 'weakly fair waiter', strong: 'strongly fair waiter' } }),
  },
  expect: ({ wait, fairness }) => ({ 'waiter terminates': wait === 'lock' || (wait === 'bit_lock' && fairness === 'strong') ? 'holds' : 'violated' }),
  setup({ wait, fairness }, sys) {
    if (wait === 'bit_lock') {
      const b = bitLock(sys, 'b');
      const waiter = sys.task('waiter', (t) => [wait_on_bit_lock(b, t), step('critical section'), clear_and_wake_up_bit(b, t)], { fairness });
      sys.kthread('competitor', (t) => loop(wait_on_bit_lock(b, t), step('use'), clear_and_wake_up_bit(b, t)));
      return [terminates(waiter)];
    }
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
