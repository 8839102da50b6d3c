/**
 * Every RCU reader, with known answers (kernel/rcu/tree.c `synchronize_rcu` and `call_rcu`:
 * "RCU read-side critical sections are delimited by rcu_read_lock() and rcu_read_unlock(), and
 * may be nested. In addition, regions of code across which interrupts, preemption, or softirqs
 * have been disabled also serve as RCU read-side critical sections. This includes hardware
 * interrupt handlers, softirq handlers, and NMI handlers."), and lockdep's check of each
 * `rcu_dereference*` (include/linux/rcupdate.h `__rcu_dereference_check`:
 * `RCU_LOCKDEP_WARN(!(c), "suspicious rcu_dereference_check() usage")`, with `c` the caller's
 * condition or `rcu_read_lock_held()` / `rcu_read_lock_bh_held()` /
 * `rcu_read_lock_sched_held()`, kernel/rcu/update.c; printed by `lockdep_rcu_suspicious`,
 * kernel/locking/lockdep.c, as "WARNING: suspicious RCU usage").
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { SUSPICIOUS_RCU } from '../../src/kernel/index.ts';
import { USE_AFTER_FREE, setupCase } from './cases.ts';
import { params } from './params.ts';

export type Params = ParamValues<typeof params>;

export default defineModel({
  name: 'rcu-readers',
  doc: 'which regions a grace period waits for, and which rcu_dereference lockdep accepts: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    deadlock: 'holds',
    [USE_AFTER_FREE]: p.case === 'no_reader' ? 'violated' : 'holds',
    [SUSPICIOUS_RCU]: ['preempt_plain', 'wrong_flavour', 'no_reader', 'protected_unlocked'].includes(p.case) ? 'violated' : 'holds',
  }),
  setup: setupCase,
});
