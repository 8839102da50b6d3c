/**
 * GUP-fast (mm/gup.c: `gup_fast`, `gup_fast_pte_range`): the lockless page-table walk of
 * `get_user_pages_fast` / `pin_user_pages_fast`, one PTE.
 *
 * `local_irq_save`, read the PMD (`pmdp_get_lockless`), read the PTE through it
 * (`ptep_get_lockless`), take a reference on the folio, check that PMD and PTE are unchanged
 * (else drop the reference and fall back to the slow path), `local_irq_restore`. With interrupts
 * off the walker holds off the TLB-flush IPI the unmapping CPU waits for before it frees the
 * table, and (since v5.0, an irqs-off region being an RCU reader) the RCU grace period of
 * `tlb_remove_table_rcu`. `irqs: false` is the walk without `local_irq_save` — what a walker
 * that forgot it does: the table may be freed under it.
 *
 * `got` (a bool local) says whether the walk got the page (false: it fell back); `pmd` (a bool
 * local, optional) whether it read a PMD pointing to the table (it then holds a pointer into it).
 *
 * @example
 * sys.task('gup', (self) => { const c = context(self); return gup_fast(pt, c, self.local('got', bool())); }, { on: cpu0 });
 */
import { bool } from '../model/domain.ts';
import { ifElse, step, type Program } from '../model/program.ts';
import type { Var } from '../model/vars.ts';
import { local_irq_restore, local_irq_save, type Context } from './context.ts';
import { pmdp_get_lockless, ptep_get_lockless, readTable, type PteTable } from './pgtable.ts';

const GUP = 'mm/gup.c';

/** `gup_fast()` of one page mapped by `pt`. */
export function gup_fast(pt: PteTable, c: Context, got: Var, opts: { irqs?: boolean; pmd?: Var } = {}): Program {
  const flags = c.self.local('gup_fast.flags', bool()), pmd = opts.pmd ?? c.self.local('gup_fast.pmd', bool());
  const walk: Program = [
    pmdp_get_lockless(pt, pmd),
    ifElse((s) => s.test(pmd), [
      ptep_get_lockless(pt, c, got),
      ifElse((s) => s.test(got), [
        step(`try_grab_folio_fast; recheck pmd, pte (${pt.name})`, {
          fn: `${GUP}: gup_fast_pte_range`,
          then: (s) => { const ok = s.test(pt.pmd) && s.test(pt.pte); return readTable(pt, c.self.id, s).set(got, ok); },
        }),
      ]),
    ]),
  ];
  return opts.irqs === false ? walk : [local_irq_save(c, flags), walk, local_irq_restore(c, flags)];
}
