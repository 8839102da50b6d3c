/**
 * O_DIRECT into an mmap of the next task's file, n tasks in a ring, plus writeback: exactly
 * the transition system of `bench/pml/dio-ring.pml`.
 *
 * Task t does DIO to file t (A) with a user buffer that is a MAP_SHARED mmap of file t+1 (B):
 * it takes A's page-cache lock, kicks and waits for writeback of A, then GUP faults on B,
 * which takes B's lock and waits for B to be stable before dirtying it. The lock order forms
 * a ring, so every task holding its A while wanting its B is a wait-for cycle, at depth 3n.
 *
 * Turning the ring is a symmetry (`--symmetry`): task t and file t move to t+1 together, and
 * writeback serves every file alike. Swapping two tasks is not (task t's buffer is file t+1's).
 */
import { bool, choice, defineModel, loop, param, step } from '../../src/index.ts';
import { mutexArray, mutex_lock, mutex_unlock } from '../../src/kernel/mutex.ts';
import { LOCKDEP_OFF } from '../../src/kernel/lockdep.ts';

export default defineModel({
  name: 'classic/dio-ring',
  doc: 'n tasks doing O_DIRECT into an mmap of the next task file, plus writeback (dio-ring.pml)',
  params: { n: param.int({ min: 2, max: 12, default: 3, doc: 'number of tasks and files' }) },
  // SPIN's transition system, state for state: lockdep's whole-space rules (which the mutexes
  // turn on, and which would warn about the lock order the deadlock comes from) are not SPIN's
  builtins: LOCKDEP_OFF,
  expect: ({ n }) => ({ deadlock: { violated: 3 * n } }),
  setup({ n }, sys) {
    const lk = mutexArray(sys, 'lk', n, 'pagecache_lock');
    const dirty = sys.array('dirty', n, bool());
    const wb = sys.array('wb', n, bool());
    const ring = sys.symmetric('rotation', n, { indexed: ['lk', 'dirty', 'wb'] });
    for (let t = 0; t < n; t++) {
      const A = t, B = (t + 1) % n;
      ring.member(t, () => sys.task(`dio${t}`, (self) => loop(
        mutex_lock(lk[A]!, self),
        step(`filemap_write(${A})`, {
          fn: `mm/filemap.c: filemap_fdatawrite_range`,
          then: (s) => s.set(wb, A, s.test(wb, A) || s.test(dirty, A)).set(dirty, A, false),
        }),
        step(`folio_wait_writeback(${A})`, { fn: `mm/page-writeback.c: folio_wait_writeback`, when: (s) => !s.test(wb, A) }),
        mutex_lock(lk[B]!, self),
        step(`folio_wait_stable(${B})`, { fn: `mm/page-writeback.c: folio_wait_stable`, when: (s) => !s.test(wb, B) }),
        step(`folio_mark_dirty(${B}); unlock(${B})`, {
          fn: `mm/page-writeback.c: folio_mark_dirty`,
          then: (s) => lk[B]!.setHolder(s.set(dirty, B, true), -1),
        }),
        mutex_unlock(lk[A]!, self),
      )));
    }
    sys.kthread('writeback', () => loop(choice(...Array.from({ length: n }, (_, j) => [
      [step(`folio_start_writeback(${j})`, {
        fn: `mm/page-writeback.c: __folio_start_writeback`,
        when: (s) => s.test(dirty, j) && lk[j]!.holder(s) === -1,
        then: (s) => s.set(dirty, j, false).set(wb, j, true),
      })],
      [step(`folio_end_writeback(${j})`, {
        fn: `mm/filemap.c: folio_end_writeback`,
        when: (s) => s.test(wb, j),
        then: (s) => s.set(wb, j, false),
      })],
    ]).flat())));
    return [];
  },
});
