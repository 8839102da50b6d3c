/**
 * @internal What a spinning lock's `_bh`, `_irq` and `_irqsave` variants do besides the lock
 * (include/linux/spinlock_api_smp.h `__raw_spin_lock_irqsave` and friends): shared by spinlocks,
 * rwlocks and the spinlock inside a `seqlock_t`.
 */
import type { State } from '../model/state.ts';
import type { Var } from '../model/vars.ts';
import { bh_add, irqs_disabled, irqs_set, preempt_add, type Context } from './context.ts';
import { IRQS_ON } from './lockdep-map.ts';

/** What a variant disables with the lock, and restores with the unlock. */
export interface Variant { readonly suffix: string; readonly irq?: boolean; readonly save?: Var; readonly bh?: boolean }

/** The lock side: flags saved, interrupts or bottom halves disabled, then preemption. */
export const enter = (s: State, c: Context, v: Variant): State => {
  if (v.save) s = s.set(v.save, irqs_disabled(s, c));
  if (v.irq || v.save) s = irqs_set(s, c, true);
  if (v.bh) s = bh_add(s, c, 1);
  return preempt_add(s, c, 1);
};

/** The unlock side, in reverse. */
export const leave = (s: State, c: Context, v: Variant): State => {
  s = preempt_add(s, c, -1);
  if (v.bh) s = bh_add(s, c, -1);
  if (v.save) return irqs_set(s, c, s.test(v.save));
  return v.irq ? irqs_set(s, c, false) : s;
};

/** What an unlock that may enable interrupts or bottom halves shows lockdep (`lockdep_hardirqs_on`: `mark_held_locks`). */
export const irqsOn = (v: Variant): { acquires?: typeof IRQS_ON } => (v.irq || v.save || v.bh ? { acquires: IRQS_ON } : {});
