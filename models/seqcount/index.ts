/**
 * Seqcount writers and seqlock variants, with known answers (include/linux/seqlock.h):
 * `write_seqcount_begin` runs `seqprop_assert(s)` — for a `seqcount_t`, `__seqprop_assert`:
 * `lockdep_assert_preemption_disabled()`; for a `seqcount_LOCKNAME_t`,
 * `__seqprop_##lockname##_assert`: `lockdep_assert_held(s->lock)` — and disables preemption
 * when the associated lock is preemptible (`seqcount_mutex_t`: `SEQCOUNT_LOCKNAME(mutex,
 * struct mutex, true, mutex)`); `write_seqlock_irqsave` is `spin_lock_irqsave` then the
 * write; `read_seqlock_excl*` take the spinlock only. A reader in `read_seqbegin` spins
 * (`while ((seq = READ_ONCE(s->sequence)) & 1) cpu_relax();`): interrupting the writer it
 * waits for, it retries for ever.
 */
import { defineModel } from '../../src/index.ts';
import type { ParamValues } from '../../src/model/params.ts';
import { INCONSISTENT, SEQPROP_ASSERT } from '../../src/kernel/index.ts';
import { cases } from './cases.ts';
import { params } from './params.ts';

export type Params = ParamValues<typeof params>;

const WRITERS = ['plain_preemptible', 'plain_preempt_off', 'spinlock_unlocked', 'spinlock_locked', 'mutex_unlocked', 'mutex_locked'];

export default defineModel({
  name: 'seqcount',
  doc: 'seqcount writers\' exclusion and seqlock variants against interrupts: known answers',
  params,
  configurations: params.case.values.map((c) => ({ case: c })),
  expect: (p) => ({
    // irq_reader_livelock: a livelock lasso, the two steps there and the reader's read_seqbegin spinning (2 + 1)
    deadlock: p.case === 'irq_reader_livelock' ? { violated: 3 } : p.case === 'excl_reader_softirq' ? 'violated' : 'holds',
    ...(WRITERS.includes(p.case) ? { [SEQPROP_ASSERT]: ['plain_preemptible', 'spinlock_unlocked', 'mutex_unlocked'].includes(p.case) ? 'violated' : 'holds' } : {}),
    // irq_reader_livelock: lockdep also reports the seqcount's own class ({HARDIRQ-ON-W} -> {IN-HARDIRQ-R}: the
    // reader's seqcount_lockdep_reader_access in the interrupt); kmc does not model the seqcount's dep_map, so no answer is claimed
    ...(p.case === 'irq_reader_livelock' ? {} : { [INCONSISTENT]: p.case === 'excl_reader_softirq' ? 'violated' : 'holds' }),
  }),
  setup: (p, sys) => cases[p.case](sys),
});
