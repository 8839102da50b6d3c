/**
 * lockdep's rulebook with known answers (kernel/locking/lockdep.c): irq-safe -> irq-unsafe lock
 * order (`check_irq_usage`) and irq lock inversion (`check_usage_forwards`/`_backwards`), held
 * locks marked when interrupts come back on (`lockdep_hardirqs_on` → `mark_held_locks`), every
 * acquisition seen (an mm's read-only `mmap_lock` included), lockdep on without asking, and the
 * scenarios lockdep draws for a chain of three locks and for an interrupt across CPUs. The
 * model calls no `lockdep(sys)`: declaring the locks turns the rules on.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { INCONSISTENT, IRQ_INVERSION, LOCK_ORDER } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';

export type Params = ParamValues<typeof params>;

const DEADLOCKS = ['irqs_on_held_same_cpu', 'abc', 'irq_abba_cross_cpu'];

export default defineModel({
  name: 'lockdep-rules',
  doc: 'lockdep\'s irq rules, held-lock marking, every acquisition: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: DEADLOCKS.includes(p.case) ? 'violated' : 'holds',
    [LOCK_ORDER]: ['mmap_lock_vs_i_rwsem', 'serialized_abba', 'abc'].includes(p.case) ? 'violated' : 'holds',
    [INCONSISTENT]: ['irqs_on_held', 'irqs_on_held_same_cpu'].includes(p.case) ? 'violated' : 'holds',
    [IRQ_INVERSION]: ['irq_safe_unsafe_order', 'irq_inversion', 'softirq_safe_unsafe_order', 'irq_abba_cross_cpu'].includes(p.case) ? 'violated' : 'holds',
  }),
  setup(p, sys) {
    cases[p.case](sys);
    return [];
  },
});
