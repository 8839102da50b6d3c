/**
 * The mmu_gather (mm/mmu_gather.c, include/asm-generic/tlb.h): how `munmap` (mm/vma.c:
 * `unmap_region`) unhooks page tables and frees them only once no CPU can still walk them.
 *
 * `free_pgtables` clears the PMD (`pmd_clear`) and hands the PTE table to `tlb_remove_table`;
 * `tlb_finish_mmu` flushes the TLB — on x86 an IPI to every other CPU in `mm_cpumask`, waited for
 * (`flush_tlb_mm_range` → `smp_call_function_many_cond`, `ipi.ts`) — and then frees the tables:
 *
 * - `immediate`: right after the flush (!CONFIG_MMU_GATHER_RCU_TABLE_FREE): the IPI, which a CPU
 *   with interrupts off does not take, is what a GUP-fast walker relies on;
 * - `rcu`: `tlb_remove_table_free` → `call_rcu` → `tlb_remove_table_rcu` frees them after a grace
 *   period (a walker in an RCU read-side section is safe without any IPI: arm64's TLBI broadcast);
 * - `sync_one`: the batch page could not be allocated (`tlb_remove_table_one`):
 *   `tlb_remove_table_sync_one` IPIs every CPU and waits, then frees at once, inside
 *   `free_pgtables`.
 *
 * kmc models one IPI per CPU: `flush` and `sync` may not both name one CPU.
 *
 * @example
 * const tlb = mmu_gather(sys, 'tlb', [pt], { flush: [flush0], table_free: 'immediate' });
 * sys.task('munmap', (self) => { const c = context(self); return [...free_pgtables(tlb, c), ...tlb_finish_mmu(tlb, c)]; }, { on: cpu1 });
 */
import { bool } from '../model/domain.ts';
import { step, type Node, type Program } from '../model/program.ts';
import type { System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { ModelError } from '../util/errors.ts';
import type { Context, Cpu } from './context.ts';
import { smp_call_function_many, type Ipi } from './ipi.ts';
import type { PteTable } from './pgtable.ts';
import { call_rcu, rcu_head, type RcuHead } from './rcu.ts';

export type TableFree = 'immediate' | 'rcu' | 'sync_one';

export interface MmuGather {
  readonly name: string;
  readonly tables: readonly PteTable[];
  readonly flush: readonly Ipi[];
  readonly table_free: TableFree;
  /** Tables handed to `tlb_remove_table`, not yet freed. */
  readonly batched: Var;
  readonly head: RcuHead | undefined;
  readonly sync: readonly Ipi[];
}

const MG = 'mm/mmu_gather.c';

const free = (tables: readonly PteTable[], batched: Var, fn: string): Node =>
  step(`__tlb_remove_table(${tables.map((t) => t.name).join(', ')})`, {
    fn, then: (s) => tables.reduce((t, pt) => t.set(pt.freed, true), s.set(batched, false)),
  });

/**
 * The mmu_gather of an unmap that frees `tables`. `flush`: the TLB-flush IPIs (none where the
 * architecture flushes by broadcast); `rcu`: the CPU whose RCU softirq runs
 * `tlb_remove_table_rcu` (for `rcu`); `sync`: the IPIs of `tlb_remove_table_sync_one` (for `sync_one`).
 */
export function mmu_gather(sys: System, name: string, tables: readonly PteTable[], opts: { flush?: readonly Ipi[]; table_free: TableFree; rcu?: Cpu; sync?: readonly Ipi[] }): MmuGather {
  const flush = opts.flush ?? [], sync = opts.sync ?? [];
  if (opts.table_free === 'rcu' && opts.rcu === undefined) throw new ModelError('KMC013', `mmu_gather '${name}': table_free 'rcu' needs rcu: the CPU whose RCU softirq frees the tables`);
  if (opts.table_free === 'sync_one' && sync.length === 0) throw new ModelError('KMC013', `mmu_gather '${name}': table_free 'sync_one' needs sync: the IPIs tlb_remove_table_sync_one sends`);
  const both = sync.find((x) => flush.some((f) => f.cpu === x.cpu));
  if (both) throw new ModelError('KMC013', `mmu_gather '${name}': ${both.cpu.name} is both a flush and a sync target (kmc models one IPI per CPU)`);
  const batched = sys.var(`${name}.batch`, bool());
  const tlb: MmuGather = {
    name, tables, flush, table_free: opts.table_free, batched, sync,
    head: opts.table_free === 'rcu' ? rcu_head(sys, opts.rcu!, `${name}.rcu`, () => [free(tables, batched, `${MG}: tlb_remove_table_rcu`)]) : undefined,
  };
  return tlb;
}

/**
 * `free_pgtables(tlb, …)` (mm/memory.c): each table unhooked (`pmd_clear`) and given to
 * `tlb_remove_table` (`pte_free_tlb`); under `sync_one` freed at once after
 * `tlb_remove_table_sync_one`.
 */
export function free_pgtables(tlb: MmuGather, c: Context): Program {
  return [
    step(`pmd_clear; pte_free_tlb(${tlb.tables.map((t) => t.name).join(', ')})`, {
      fn: 'mm/memory.c: free_pgtables',
      then: (s) => tlb.tables.reduce((t, pt) => t.set(pt.pmd, false), s.set(tlb.batched, true)),
    }),
    ...(tlb.table_free === 'sync_one'
      ? [...smp_call_function_many(c, tlb.sync, { wait: true }) as Node[], free(tlb.tables, tlb.batched, `${MG}: tlb_remove_table_one`)]
      : []),
  ];
}

/** `tlb_finish_mmu(tlb)`: the TLB flush (IPIs, waited for), then the gathered tables freed as `table_free` says. */
export function tlb_finish_mmu(tlb: MmuGather, c: Context): Program {
  return [
    ...(tlb.flush.length ? smp_call_function_many(c, tlb.flush, { wait: true }) as Node[] : []),
    ...(tlb.table_free === 'immediate' ? [free(tlb.tables, tlb.batched, `${MG}: tlb_batch_pages_flush`)] : tlb.table_free === 'rcu' ? [call_rcu(tlb.head!, c)] : []),
  ];
}
