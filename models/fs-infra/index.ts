/**
 * Filesystem infrastructure with known answers: jbd2 handles and the commit thread, freeze
 * protection (percpu_rw_semaphore levels and freeze_super), page tables freed under lockless
 * walkers (GUP-fast, TLB-flush IPIs, RCU table freeing), IPIs, and SCHED_FIFO. Each case is
 * checked for deadlock, use-after-free and lockdep's rules on every interleaving.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { IRQS_ENABLED, LOCK_ORDER, SEQPROP_ASSERT, USE_AFTER_FREE } from '../../src/kernel/index.ts';
import { WITNESS, cases } from './cases.ts';
import { params } from './params.ts';
import { mayBeUnreached } from './unreached.ts';

export type Params = ParamValues<typeof params>;

const DEADLOCK = ['jbd2_wait_commit_in_handle', 'jbd2_handle_abba', 'sb_write_inside_i_rwsem', 'freeze_levels_inverted', 'ipi_under_irqsafe_lock', 'ipi_with_irqs_off', 'rt_reader_livelock'];
const ORDER = ['jbd2_wait_commit_in_handle', 'jbd2_handle_abba', 'sb_write_inside_i_rwsem', 'freeze_levels_inverted'];
const TABLES = ['gup_fast_vs_munmap', 'gup_fast_irqs_on', 'gup_fast_vs_sync_one', 'rcu_table_free', 'immediate_table_free'];

export default defineModel({
  name: 'fs-infra',
  doc: 'jbd2, freeze protection, page-table freeing, IPIs, SCHED_FIFO: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    // rt_reader_livelock: a livelock lasso, five steps there and the SCHED_FIFO reader's read_seqbegin spinning (5 + 1)
    deadlock: p.case === 'rt_reader_livelock' ? { violated: 6 } : DEADLOCK.includes(p.case) ? 'violated' : 'holds',
    ...(TABLES.includes(p.case) ? { [USE_AFTER_FREE]: ['gup_fast_irqs_on', 'immediate_table_free'].includes(p.case) ? 'violated' : 'holds' } : {}),
    ...(p.case.startsWith('ipi') || p.case.startsWith('gup_fast') ? { [IRQS_ENABLED]: p.case === 'ipi_with_irqs_off' ? 'violated' : 'holds' } : {}),
    ...(p.case === 'jbd2_nested_start' ? { [WITNESS.nested]: 'holds' } : {}),
    ...(['gup_fast_vs_munmap', 'gup_fast_vs_sync_one'].includes(p.case) ? { [WITNESS.ipiWaits]: 'holds' } : {}),
    ...(['rcu_table_free', 'immediate_table_free'].includes(p.case) ? { [WITNESS.unhooked]: 'holds' } : {}),
    ...(p.case.startsWith('rt_') ? { [WITNESS.midWrite]: 'holds', [SEQPROP_ASSERT]: p.case === 'rt_reader_livelock' ? 'violated' : 'holds' } : {}),
    ...(p.case.startsWith('jbd2') || p.case.startsWith('sb_') || p.case.startsWith('freeze') ? { [LOCK_ORDER]: ORDER.includes(p.case) ? 'violated' : 'holds' } : {}),
  }),
  mayBeUnreached,
  setup(p, sys) {
    return cases[p.case](sys);
  },
});
