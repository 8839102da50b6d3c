/**
 * Dining philosophers, exactly the transition system of `bench/pml/phil.pml`:
 * philosopher i takes fork i, then fork i+1, puts fork i+1 back, then fork i, forever.
 * Forks are mutexes (owner-or-none; the owner is implied by the philosopher's position, so the
 * state space is SPIN's). Everybody holding the left fork is a wait-for cycle at depth n.
 *
 * Turning the table is a symmetry (`--symmetry`): philosopher i and fork i move to seat i+1
 * together. Swapping two philosophers is not (each takes its own left fork first), so the group
 * is the n rotations, not every permutation: at most n times fewer states.
 */
import { defineModel, loop, param } from '../../src/index.ts';
import { mutexArray, mutex_lock, mutex_unlock } from '../../src/kernel/mutex.ts';
import { LOCKDEP_OFF } from '../../src/kernel/lockdep.ts';

export default defineModel({
  name: 'classic/philosophers',
  doc: 'dining philosophers (phil.pml): deadlocks when everyone holds the left fork',
  params: { n: param.int({ min: 2, max: 18, default: 5, doc: 'number of philosophers' }) },
  // SPIN's transition system, state for state: lockdep's whole-space rules (which the mutexes
  // turn on, and which would warn about the lock order the deadlock comes from) are not SPIN's
  builtins: LOCKDEP_OFF,
  expect: ({ n }) => ({ deadlock: { violated: n } }),
  setup({ n }, sys) {
    const fork = mutexArray(sys, 'fork', n);
    const table = sys.symmetric('rotation', n, { indexed: ['fork'] });
    for (let i = 0; i < n; i++) {
      const left = fork[i]!, right = fork[(i + 1) % n]!;
      table.member(i, () => sys.task(`phil${i}`, (self) =>
        loop(mutex_lock(left, self), mutex_lock(right, self), mutex_unlock(right, self), mutex_unlock(left, self))));
    }
    return [];
  },
});
