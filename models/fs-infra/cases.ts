/**
 * The known-answer cases of fs-infra, one named record each: the actors they declare and the
 * witnesses they return. Each answer is the kernel's; the doc of each case builder quotes where
 * the kernel says so.
 */
import type { Params } from './index.ts';
import type { Case } from './case.ts';
import { handleAbba, nestedStart, waitCommit } from './jbd2.ts';
import { levels, writeVsIRwsem } from './freeze.ts';
import { gupFast, ipiIrqsOff, ipiLock, rcuWalker } from './pgtable.ts';
import { rtReader } from './sched.ts';

export { WITNESS } from './case.ts';

export const cases: Readonly<Record<Params['case'], Case>> = {
  jbd2_wait_commit_in_handle: waitCommit(false),
  jbd2_wait_commit_after_stop: waitCommit(true),
  jbd2_nested_start: nestedStart,
  jbd2_handle_abba: handleAbba,
  sb_write_inside_i_rwsem: writeVsIRwsem(true),
  sb_write_outside_i_rwsem: writeVsIRwsem(false),
  freeze_levels_inverted: levels(false),
  freeze_levels_in_order: levels(true),
  gup_fast_vs_munmap: gupFast(true, 'immediate'),
  gup_fast_irqs_on: gupFast(false, 'immediate'),
  gup_fast_vs_sync_one: gupFast(true, 'sync_one'),
  rcu_table_free: rcuWalker('rcu'),
  immediate_table_free: rcuWalker('immediate'),
  ipi_under_irqsafe_lock: ipiLock(true),
  ipi_after_unlock: ipiLock(false),
  ipi_with_irqs_off: ipiIrqsOff,
  rt_reader_livelock: rtReader(false),
  rt_reader_writer_preempt_off: rtReader(true),
};
