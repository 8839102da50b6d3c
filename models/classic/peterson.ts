/**
 * Peterson's mutual exclusion for two tasks, each step one atomic action: set the flag, give
 * the turn away, wait until the other is not interested or it is our turn, run the critical
 * section, drop the flag, forever. Safe: the two are never in the critical section together.
 */
import { bool, defineModel, int, label, leadsTo, loop, never, sometimes, step } from '../../src/index.ts';

export default defineModel({
  name: 'classic/peterson',
  doc: "Peterson's mutual exclusion for two tasks (safe)",
  params: {},
  expect: () => ({ 'both in the critical section': 'holds', deadlock: 'holds', 'p0 waiting leads to p0 in the critical section': 'holds' }),
  setup(_p, sys) {
    const flag = sys.array('flag', 2, bool());
    const turn = sys.var('turn', int(0, 1));
    const [p0, p1] = [0, 1].map((i) => {
      const j = 1 - i;
      return sys.task(`p${i}`, () => loop(
        step(`flag[${i}] = true`, { then: (s) => s.set(flag, i, true) }),
        step(`turn = ${j}`, { then: (s) => s.set(turn, j) }),
        label('wait'),
        step(`await !flag[${j}] || turn == ${i}`, { when: (s) => !s.test(flag, j) || s.get(turn) === i }),
        label('cs'),
        step(`leave critical section`),
        step(`flag[${i}] = false`, { then: (s) => s.set(flag, i, false) }),
      ));
    }) as [ReturnType<typeof sys.task>, ReturnType<typeof sys.task>];
    return [
      never('both in the critical section', (s) => s.at(p0, 'cs') && s.at(p1, 'cs')),
      sometimes('p0 in the critical section while p1 waits', (s) => s.at(p0, 'cs') && s.test(flag, 1)),
      leadsTo('p0 waiting leads to p0 in the critical section', (s) => s.at(p0, 'wait'), (s) => s.at(p0, 'cs')),
      leadsTo('p1 waiting leads to p1 in the critical section', (s) => s.at(p1, 'wait'), (s) => s.at(p1, 'cs')),
    ];
  },
});
