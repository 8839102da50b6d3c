/**
 * Page-table pages (include/linux/pgtable.h, include/linux/mm.h, mm/pgtable-generic.c): a PMD
 * entry pointing to a PTE table page, one PTE in it, and the table's split PTE lock
 * (`ptlock_ptr(ptdesc)`, taken by `pte_offset_map_lock`).
 *
 * A lockless walker (GUP-fast, `pte_offset_map` under RCU) holds a pointer into the table after
 * reading the PMD; reading through it after the table page was freed (`free_pgtables` →
 * `tlb_remove_table` → freed, `tlb.ts`) is a use-after-free, which every model declaring a table
 * checks as the built-in property `KASAN: use-after-free` ("BUG: KASAN: use-after-free in
 * <walker>"). What keeps a walker safe is the kernel's: interrupts off against the TLB-flush IPI
 * the freeing CPU waits for, or an RCU read-side section against RCU table freeing (mm/gup.c:
 * "One way to achieve this is to have the walker disable interrupts, and rely on IPIs from the
 * TLB flushing code blocking before the page table pages are freed").
 *
 * @example
 * const pt = pte_table(sys, 'pt', { pte: true });
 * [...pte_offset_map_lock(pt, c, ok), ifElse((s) => s.test(ok), [pte_clear(pt, c), ...pte_unmap_unlock(pt, c)])]
 */
import { NONE, bool, owner } from '../model/domain.ts';
import { ifElse, step, type Node, type Program } from '../model/program.ts';
import { never } from '../model/property.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { contextsOf, type Context } from './context.ts';
import { rcu_read_lock, rcu_read_unlock } from './rcu.ts';
import { spin_lock, spin_unlock, spinlock, type Spinlock } from './spinlock.ts';

export const USE_AFTER_FREE = 'KASAN: use-after-free';

export interface PteTable {
  readonly name: string;
  /** The PMD entry points to the table (`pmd_present`); `pmd_clear` unhooks it. */
  readonly pmd: Var;
  /** The table's page went back to the page allocator. */
  readonly freed: Var;
  /** The PTE (one, mapping a page): present or none. */
  readonly pte: Var;
  /** The split PTE lock, in the table's `struct ptdesc`. */
  readonly ptl: Spinlock;
  /** The first actor that read the table after it was freed (and where). */
  readonly uaf: Var;
}

/** The PTE tables of a system (its entry in `sys.registry`). */
const TABLES = systemKey<PteTable[]>('pgtable', () => []);

/** A PTE table hooked into its PMD, its PTE present when `pte` (default true). */
export function pte_table(sys: System, name = 'pte_table', opts: { pte?: boolean } = {}): PteTable {
  const pt: PteTable = {
    name,
    pmd: sys.var(`${name}.pmd`, bool(), true),
    freed: sys.var(`${name}.freed`, bool()),
    pte: sys.var(`${name}.pte`, bool(), opts.pte ?? true),
    ptl: spinlock(sys, `${name}.ptl`, 'ptlock_ptr(ptdesc)'),
    uaf: sys.var(`${name}.read_after_free_by`, owner()),
  };
  const list = sys.registry.get(TABLES);
  list.push(pt);
  sys.builtin(never(USE_AFTER_FREE, (s) => list.some((t) => s.get(t.uaf) !== NONE), {
    explain: (s) => list.filter((t) => s.get(t.uaf) !== NONE).map((t) => {
      const who = contextsOf(sys).find((c) => c.self.id === s.get(t.uaf))?.self.name ?? `actor ${s.get(t.uaf)}`;
      return `BUG: KASAN: use-after-free: ${who} read the PTE table ${t.name} after it was freed (free_pgtables → __tlb_remove_table)`;
    }),
  }));
  return pt;
}

/** `s` after actor `who` read the table: a read of a freed table is recorded. */
export const readTable = (pt: PteTable, who: number, s: State): State => (s.test(pt.freed) && s.get(pt.uaf) === NONE ? s.set(pt.uaf, who) : s);

const PG = 'include/linux/pgtable.h', GEN = 'mm/pgtable-generic.c';

/** `pmdp_get_lockless(pmd)`: `ok` (a bool local) says whether the PMD points to the table (the walker then holds a pointer into it). */
export const pmdp_get_lockless = (pt: PteTable, ok: Var): Node =>
  step(`pmdp_get_lockless(${pt.name})`, { fn: `${PG}: pmdp_get_lockless`, then: (s) => s.set(ok, s.test(pt.pmd)) });

/** `ptep_get_lockless(ptep)`: reads the PTE through the pointer; `present` (a bool local) gets it. */
export const ptep_get_lockless = (pt: PteTable, c: Context, present: Var): Node =>
  step(`ptep_get_lockless(${pt.name})`, { fn: `${PG}: ptep_get_lockless`, then: (s) => readTable(pt, c.self.id, s).set(present, s.test(pt.pte) && !s.test(pt.freed)) });

/** `pte_offset_map(pmd, addr)`: `rcu_read_lock()` and the PMD read (since v6.5, `__pte_offset_map`); `ok` false: no table, nothing held. */
export const pte_offset_map = (pt: PteTable, c: Context, ok: Var): Program => [
  rcu_read_lock(c),
  step(`__pte_offset_map(${pt.name})`, { fn: `${GEN}: __pte_offset_map`, then: (s) => s.set(ok, s.test(pt.pmd)) }),
  ifElse((s) => !s.test(ok), [rcu_read_unlock(c)]),
];
/** `pte_unmap(ptep)`: leaves the RCU read-side section. */
export const pte_unmap = (c: Context): Node => rcu_read_unlock(c);

/**
 * `pte_offset_map_lock(mm, pmd, addr, &ptl)`: `pte_offset_map`, then the PTE lock, then the PMD
 * checked again (`pmd_same`): a table unhooked meanwhile is dropped (`ok` false, nothing held).
 */
export const pte_offset_map_lock = (pt: PteTable, c: Context, ok: Var): Program => [
  ...pte_offset_map(pt, c, ok) as Program[],
  ifElse((s) => s.test(ok), [
    spin_lock(pt.ptl, c),
    step(`pmd_same(pmdval, pmdp_get_lockless(${pt.name}))`, { fn: `${GEN}: __pte_offset_map_lock`, then: (s) => s.set(ok, s.test(pt.pmd)) }),
    ifElse((s) => !s.test(ok), [spin_unlock(pt.ptl, c), rcu_read_unlock(c)]),
  ]),
];
/** `pte_unmap_unlock(ptep, ptl)`. */
export const pte_unmap_unlock = (pt: PteTable, c: Context): Program => [spin_unlock(pt.ptl, c), rcu_read_unlock(c)];

/** `ptep_get_and_clear(mm, addr, ptep)` under the PTE lock (`zap_pte_range`): the PTE becomes none. */
export const pte_clear = (pt: PteTable, c: Context): Node =>
  step(`ptep_get_and_clear(${pt.name})`, {
    fn: 'mm/memory.c: zap_pte_range',
    then: (s) => {
      if (s.get(pt.ptl.owner) !== c.self.id) throw new Error(`ptep_get_and_clear(${pt.name}) by ${c.self.name} without the PTE lock`);
      return readTable(pt, c.self.id, s).set(pt.pte, false);
    },
  });
