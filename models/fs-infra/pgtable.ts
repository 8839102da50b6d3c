/**
 * Page tables freed under lockless walkers (mm/gup.c, mm/mmu_gather.c), and IPIs (kernel/smp.c).
 * Each case's doc quotes the kernel source its answer comes from.
 */
import { bool, sometimes, step, type System } from '../../src/index.ts';
import {
  context, cpu, free_pgtables, gup_fast, ipi, local_irq_restore, local_irq_save, mmu_gather, pte_clear,
  pte_offset_map, pte_offset_map_lock, pte_table, pte_unmap, pte_unmap_unlock, ptep_get_lockless,
  rcu_read_lock_nesting, smp_call_function_many, spin_lock, spin_unlock, spinlock, tlb_finish_mmu, type Cpu,
  type Ipi, type PteTable, type TableFree,
} from '../../src/kernel/index.ts';
import { ifElse, type Program } from '../../src/model/program.ts';
import type { State } from '../../src/model/state.ts';
import { type Case, WITNESS } from './case.ts';

/** munmap on cpu1 (mm/vma.c `unmap_region`): zap the PTE under its lock, free_pgtables, tlb_finish_mmu. */
export const munmap = (sys: System, on: Cpu, pt: PteTable, opts: { flush: Ipi[]; table_free: TableFree; rcu?: Cpu; sync?: Ipi[] }): void => {
  const tlb = mmu_gather(sys, 'tlb', [pt], opts);
  sys.task('munmap', (self) => {
    const c = context(self), ok = self.local('ok', bool());
    return [...pte_offset_map_lock(pt, c, ok) as Program[], ifElse((s) => s.test(ok), [pte_clear(pt, c), ...pte_unmap_unlock(pt, c) as Program[]]),
      ...free_pgtables(tlb, c) as Program[], ...tlb_finish_mmu(tlb, c) as Program[]];
  }, { on });
};

/**
 * GUP-fast against munmap. mm/gup.c: "One way to achieve this is to have the walker disable
 * interrupts, and rely on IPIs from the TLB flushing code blocking before the page table pages
 * are freed."
 */
export const gupFast = (irqs: boolean, table_free: 'immediate' | 'sync_one'): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), pt = pte_table(sys, 'pt');
  const ipi0 = ipi(sys, cpu0, table_free === 'sync_one' ? 'tlb_remove_table_smp_sync' : 'flush_tlb_func', () => [step('flush the TLB')]);
  let walking = (_: State): boolean => false;
  sys.task('gup', (self) => {
    const pmd = self.local('pmd', bool());
    walking = (s) => s.test(pmd) && s.test(cpu0.irqs_off);
    return gup_fast(pt, context(self), self.local('got', bool()), { irqs, pmd });
  }, { on: cpu0 });
  munmap(sys, cpu1, pt, table_free === 'sync_one' ? { flush: [], table_free, sync: [ipi0] } : { flush: [ipi0], table_free });
  return irqs ? [sometimes(WITNESS.ipiWaits, (s) => s.test(ipi0.raised) && !s.test(pt.pmd) && walking(s))] : [];
};

/**
 * A walker that holds only RCU (`pte_offset_map` since v6.5) against the two ways of freeing:
 * include/asm-generic/tlb.h (MMU_GATHER_RCU_TABLE_FREE): "the page-table pages are freed …
 * after an RCU grace period", which waits for the walker; freed at once with no IPI, nothing does.
 */
export const rcuWalker = (table_free: 'rcu' | 'immediate'): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), pt = pte_table(sys, 'pt');
  let holds = (_: State): boolean => false;
  sys.task('walker', (self) => {
    const c = context(self), ok = self.local('ok', bool()), present = self.local('present', bool());
    holds = (s) => s.test(ok) && !s.test(present) && rcu_read_lock_nesting(s, c) > 0;
    return [...pte_offset_map(pt, c, ok) as Program[], ifElse((s) => s.test(ok), [ptep_get_lockless(pt, c, present), pte_unmap(c)])];
  }, { on: cpu0 });
  munmap(sys, cpu1, pt, { flush: [], table_free, ...(table_free === 'rcu' ? { rcu: cpu1 } : {}) });
  return [sometimes(WITNESS.unhooked, (s) => !s.test(pt.pmd) && holds(s))];
};

/**
 * kernel/smp.c (`smp_call_function_many`): "You must not call this function with disabled
 * interrupts or from a hardware interrupt handler or from a bottom half handler." A CPU spinning
 * with interrupts off — `spin_lock_irqsave` is `local_irq_save` then the spin
 * (include/linux/spinlock_api_smp.h `__raw_spin_lock_irqsave`) — never takes the IPI.
 */
export const ipiLock = (underLock: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), lock = spinlock(sys, '&pool->lock');
  const ipi0 = ipi(sys, cpu0, 'flush_tlb_func', () => [step('flush the TLB')]);
  sys.task('irqsave', (self) => {
    const c = context(self), flags = self.local('flags', bool());
    return [local_irq_save(c, flags), spin_lock(lock, c), step('pool work'), spin_unlock(lock, c), local_irq_restore(c, flags)];
  }, { on: cpu0 });
  sys.task('flusher', (self) => {
    const c = context(self);
    return underLock
      ? [spin_lock(lock, c), ...smp_call_function_many(c, [ipi0], { wait: true }) as Program[], spin_unlock(lock, c)]
      : [spin_lock(lock, c), step('unhook'), spin_unlock(lock, c), ...smp_call_function_many(c, [ipi0], { wait: true }) as Program[]];
  }, { on: cpu1 });
  return [];
};

/**
 * kernel/smp.c (`smp_call_function_many_cond`): "Can deadlock when called with interrupts
 * disabled", and `lockdep_assert_irqs_enabled()` says so at once: two CPUs that each wait, with
 * interrupts off, for the other to take their IPI.
 */
export const ipiIrqsOff: Case = (sys) => {
  const cpus = [cpu(sys, 'cpu0'), cpu(sys, 'cpu1')];
  const ipis = cpus.map((c, i) => ipi(sys, c, `flush_tlb_func@cpu${i}`, () => [step('flush the TLB')]));
  cpus.forEach((on, i) => sys.task(`T${i}`, (self) => {
    const c = context(self), flags = self.local('flags', bool());
    return [local_irq_save(c, flags), ...smp_call_function_many(c, [ipis[1 - i]!], { wait: true }) as Program[], local_irq_restore(c, flags)];
  }, { on }));
  return [];
};
