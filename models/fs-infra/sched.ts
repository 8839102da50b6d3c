/**
 * SCHED_FIFO (kernel/sched/rt.c) against a preempted seqcount writer (include/linux/seqlock.h).
 * Each case's doc quotes the kernel source its answer comes from.
 */
import { sometimes, step } from '../../src/index.ts';
import {
  complete, completion, context, cpu, hardirq, preempt_disable, preempt_enable, read_seqloop, sched_fifo,
  seqcount, wait_for_completion, write_seqcount_begin, write_seqcount_end,
} from '../../src/kernel/index.ts';
import type { Program } from '../../src/model/program.ts';
import { type Case, WITNESS } from './case.ts';

/**
 * A SCHED_FIFO reader on the writer's CPU. include/linux/seqlock.h: "To remain preemptible while
 * avoiding a possible livelock caused by the reader preempting the writer, use a different
 * technique"; seqcount_t: "Write side critical sections must be serialized and non-preemptible."
 * The reader sleeps until a timer interrupt on the CPU wakes it.
 */
export const rtReader = (preemptOff: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), sc = seqcount(sys, 'seq'), tick = completion(sys, 'tick');
  sys.task('writer', (self) => {
    const c = context(self), body = [write_seqcount_begin(sc, c), step('update'), write_seqcount_end(sc, c)];
    return preemptOff ? [preempt_disable(c), ...body, preempt_enable(c)] : body;
  }, { on: cpu0 });
  hardirq(sys, cpu0, 'timer', (c) => [complete(tick, c.self)]);
  sched_fifo(sys, cpu0, 'reader', 50, (self) => [wait_for_completion(tick), ...read_seqloop(sc, context(self), [step('read')]) as Program[]]);
  return [sometimes(WITNESS.midWrite, (s) => s.get(sc.seq) % 2 === 1 && s.get(tick.done) > 0)];
};
