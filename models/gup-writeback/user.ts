/** The user: a store through the shared mapping; a write-protected PTE faults (`->page_mkwrite`) and the store is retried. */
import { bool, goto, ifElse, label, step, type Program, type Self } from '../../src/index.ts';
import { current } from '../../src/kernel/current.ts';
import { user_fault } from '../../src/kernel/fault.ts';
import { trace } from '../../src/kernel/folio.ts';
import { pteOf, PTE } from '../../src/kernel/mm.ts';
import type { World } from './world.ts';

export const user = (w: World) => (self: Self): Program => {
  const cur = current(self), stored = cur.local('stored', bool()), retry = cur.label('retry'), pte = pteOf(w.vma, w.f);
  return [
    label(retry),
    ifElse((s) => s.get(pte) !== PTE.rw, user_fault(cur, w.vma, w.f, { write: true })),
    // a PTE write-protected again (folio_mkclean) or zapped since the fault: the store faults again
    step(`store(${w.f.name})`, { then: (s) => (s.get(pte) === PTE.rw ? trace(w.f, 'write', s, cur.id).set(stored, true) : s.set(stored, false)) }),
    ifElse((s) => !s.test(stored), [goto(retry)]),
  ];
};
