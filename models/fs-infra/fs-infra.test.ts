/**
 * The known answers of fs-infra, pinned: verdicts, state counts, the runs that show them and the
 * kernel's words. None of these could be written with the library before jbd2.ts,
 * percpu-rwsem.ts, super.ts, pgtable.ts, tlb.ts, gup-fast.ts, ipi.ts and sched.ts: the tests at
 * the end show what the previous primitives answer where they can approximate a case.
 */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { reconstruct } from '../../src/explore/replay.ts';
import { exitCode } from '../../src/explore/verdict.ts';
import { textReport } from '../../src/trace/report.ts';
import { defineModel, never, step } from '../../src/index.ts';
import {
  complete, completion, context, cpu, hardirq, ipi, IRQS_ENABLED, jbd2_journal_stop, journal, LOCK_ORDER, mmu_gather, pte_table,
  read_seqloop, sched_fifo, seqcount, SEQPROP_ASSERT, smp_call_function_many, USE_AFTER_FREE, wait_for_completion, write_seqcount_begin,
  write_seqcount_end, current,
} from '../../src/kernel/index.ts';
import type { Program } from '../../src/model/program.ts';
import model from './index.ts';
import { WITNESS } from './cases.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);
/** The run that reaches a `sometimes` witness. */
const witness = (c: string, w: string): string[] => {
  const r = run(c, w);
  expect(r.verdict).toEqual({ kind: 'ok' });
  return reconstruct(r.instance, r.witnesses.get(w)!).steps.map((s) => `${s.actor.name}: ${s.label}`);
};

describe('fs-infra: jbd2', () => {
  it('a handle held while waiting for the commit of its own transaction deadlocks with the commit thread', () => {
    const r = run('jbd2_wait_commit_in_handle');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 7 }, cycle: { links: [{ actor: 0, resource: 'sda1: t_updates', heldBy: 1 }, { actor: 1, resource: 'sda1: transaction commit', heldBy: 0 }] } });
    expect(r.stats.states).toBe(12);
    expect(steps(r)!.slice(3)).toEqual(['jbd2/sda1: wait_event(j_wait_commit)', 'jbd2/sda1: t_state = T_LOCKED', 'fsync: jbd2_might_wait_for_commit(sda1)', 'fsync: rwsem_release(jbd2_handle)']);
  });

  it('lockdep: the handle (jbd2_handle read) then jbd2_might_wait_for_commit (write) is recursive locking', () => {
    const r = run('jbd2_wait_commit_in_handle', LOCK_ORDER);
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 4 } });
    expect(textReport(r)).toContain('WARNING: possible recursive locking detected\n--------------------------------------------\nfsync/1 is trying to acquire lock:\n (jbd2_handle){++++}-{0:0}, at: jbd2_might_wait_for_commit(sda1)\n\nbut task is already holding lock:\n (jbd2_handle){++++}-{0:0}\n');
  });

  it('stopping the handle first is the fix: no deadlock, no lockdep report', () => {
    expect(run('jbd2_wait_commit_after_stop').verdict).toEqual({ kind: 'ok' });
    expect(run('jbd2_wait_commit_after_stop').stats.states).toBe(23);
  });

  it('a nested start reuses current->journal_info, also while the commit has locked the transaction', () => {
    const r = run('jbd2_nested_start');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(63);
    // the commit locks the transaction between the two starts, and the nested one goes through
    expect(witness('jbd2_nested_start', WITNESS.nested)).toEqual(['write: start_this_handle(sda1)', 'write: ext4_write_begin', 'sync: jbd2_log_start_commit(sda1)',
      'jbd2/sda1: wait_event(j_wait_commit)', 'jbd2/sda1: t_state = T_LOCKED', 'write: jbd2__journal_start(sda1): h_ref++']);
  });

  it('a mutex around one handle and inside another: a three-way cycle through the commit thread, and lockdep\'s circular dependency', () => {
    const r = run('jbd2_handle_abba');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 8 } });
    expect(r.verdict.kind === 'deadlock' && r.verdict.cycle?.links.map((l) => l.resource)).toEqual(['sda1: t_updates', '&ei->i_data_sem', 'sda1: T_LOCKED transaction']);
    expect(r.stats.states).toBe(161);
    const l = run('jbd2_handle_abba', LOCK_ORDER);
    expect(l.verdict).toMatchObject({ kind: 'lockdep', path: { length: 2 } });
    expect(l.stats.states).toBe(269);
    const text = textReport(l);
    expect(text).toContain('WARNING: possible circular locking dependency detected');
    expect(text).toMatch(/\(jbd2_handle\)\{\+\+\+\+\}-\{0:0\}/);
    expect(text).toContain('(&ei->i_data_sem){+.+.}-{4:4}');
  });
});

describe('fs-infra: freeze protection', () => {
  it('sb_start_write inside i_rwsem against a writer in VFS order and freeze_super: deadlock and lockdep', () => {
    const r = run('sb_write_inside_i_rwsem');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 7 } });
    expect(r.stats.states).toBe(128);
    expect(steps(r)).toEqual(['setattr: down_write(&inode->i_rwsem)', 'write: sb_start_write(sb)', 'write: down_write(&inode->i_rwsem)', 'fsfreeze: super_lock_excl(sb)',
      'fsfreeze: sb->s_writers.frozen = SB_FREEZE_WRITE', 'fsfreeze: super_unlock_excl(sb)', 'fsfreeze: sb_wait_write(sb, SB_FREEZE_WRITE)']);
    const l = run('sb_write_inside_i_rwsem', LOCK_ORDER);
    expect(l.verdict).toMatchObject({ kind: 'lockdep', path: { length: 2 } });
    const text = textReport(l);
    expect(text).toContain('setattr/1 is trying to acquire lock:\n (sb_writers){++++}-{4:4}, at: sb_start_write(sb)\n\nbut task is already holding lock:\n (&sb->s_type->i_mutex_key){+.+.}-{4:4}\n');
    expect(text).toContain('  lock(&sb->s_type->i_mutex_key);\n                               lock(sb_writers);\n                               lock(&sb->s_type->i_mutex_key);\n  rlock(sb_writers);\n');   // sb_start_write is a read acquisition (percpu_down_read)
  });

  it('sb_start_write outside i_rwsem in both (file_start_write before inode_lock): ok, and freeze/thaw record no level -> s_umount order', () => {
    const r = run('sb_write_outside_i_rwsem');
    expect(r.verdict).toEqual({ kind: 'ok' });
    expect(r.stats.states).toBe(352);
  });

  it('sb_start_pagefault inside sb_start_intwrite inverts freeze_super\'s level order: deadlock, lockdep', () => {
    const r = run('freeze_levels_inverted');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 14 } });
    expect(r.stats.states).toBe(80);
    expect(steps(r)!.at(-1)).toBe('fsfreeze: sb_wait_write(sb, SB_FREEZE_FS)');
    const l = run('freeze_levels_inverted', LOCK_ORDER);
    expect(l.verdict).toMatchObject({ kind: 'lockdep', path: { length: 12 } });
    expect(textReport(l)).toContain('fsfreeze/1 is trying to acquire lock:\n (sb_internal){++++}-{4:4}, at: sb_wait_write(sb, SB_FREEZE_FS)\n\nbut task is already holding lock:\n (sb_pagefaults){++++}-{4:4}\n');
    expect(run('freeze_levels_in_order').verdict).toEqual({ kind: 'ok' });
    expect(run('freeze_levels_in_order').stats.states).toBe(92);
  });
});

describe('fs-infra: page tables, TLB-flush IPIs, RCU table freeing', () => {
  it('GUP-fast with interrupts off holds off the TLB-flush IPI until its walk is over: no use-after-free', () => {
    for (const c of ['gup_fast_vs_munmap', 'gup_fast_vs_sync_one']) {
      const r = run(c);
      expect(r.verdict).toEqual({ kind: 'ok' });
      expect(r.stats.states).toBe(112);
      // GUP-fast read the PMD; munmap unhooked the table and sent the IPI, which waits for the walk
      expect(witness(c, WITNESS.ipiWaits).slice(0, 2)).toEqual(['gup: local_irq_save(flags)', 'gup: pmdp_get_lockless(pt)']);
      expect(witness(c, WITNESS.ipiWaits).at(-1)).toBe('munmap: smp_call_function_many(cpu0)');
    }
  });

  it('the same walk without local_irq_save takes the IPI mid-walk and reads the freed table', () => {
    const r = run('gup_fast_irqs_on');
    expect(r.verdict).toMatchObject({ kind: 'safety', property: USE_AFTER_FREE, path: { length: 17 } });
    expect(r.stats.states).toBe(96);
    const s = steps(r)!;
    expect(s[0]).toBe('gup: pmdp_get_lockless(pt)');
    expect(s.slice(-8)).toEqual(['munmap: smp_call_function_many(cpu0)', 'flush_tlb_func: <Interrupt>', 'flush_tlb_func: flush the TLB', 'flush_tlb_func: csd_unlock(flush_tlb_func)',
      'flush_tlb_func: irq_exit', 'munmap: csd_lock_wait(cpu0)', 'munmap: __tlb_remove_table(pt)', 'gup: ptep_get_lockless(pt)']);
    expect(textReport(r)).toContain('BUG: KASAN: use-after-free: gup read the PTE table pt after it was freed');
  });

  it('a pte_offset_map walker (RCU) is safe against tlb_remove_table_rcu, not against tables freed at once', () => {
    const ok = run('rcu_table_free');
    expect(ok.verdict).toEqual({ kind: 'ok' });
    expect(ok.stats.states).toBe(90);
    expect(witness('rcu_table_free', WITNESS.unhooked).slice(0, 2)).toEqual(['walker: rcu_read_lock()', 'walker: __pte_offset_map(pt)']);
    const bad = run('immediate_table_free');
    expect(bad.verdict).toMatchObject({ kind: 'safety', property: USE_AFTER_FREE, path: { length: 12 } });
    expect(bad.stats.states).toBe(65);
    expect(steps(bad)!.slice(-2)).toEqual(['munmap: __tlb_remove_table(pt)', 'walker: ptep_get_lockless(pt)']);
  });
});

describe('fs-infra: IPIs and SCHED_FIFO', () => {
  it('smp_call_function_many(wait) holding a lock another CPU spins on with interrupts off: a cycle through that CPU', () => {
    const r = run('ipi_under_irqsafe_lock');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 3 }, cycle: { links: [{ actor: 1, resource: '&pool->lock', heldBy: 2 }, { actor: 2, resource: 'IPI to cpu0', heldBy: 1, how: 'holds' }] } });
    expect(r.stats.states).toBe(10);
    expect(textReport(r)).toContain('irqsave holds cpu0 with interrupts off and waits for &pool->lock');
    expect(run('ipi_after_unlock').verdict).toEqual({ kind: 'ok' });
    expect(run('ipi_after_unlock').stats.states).toBe(46);
    // a spinlock held (preemption off) is allowed: only interrupts off trips the assertion
    expect(run('ipi_under_irqsafe_lock', IRQS_ENABLED).verdict).toEqual({ kind: 'ok' });
    expect(run('ipi_under_irqsafe_lock', IRQS_ENABLED).stats.states).toBe(36);
  });

  it('two CPUs sending each other an IPI with interrupts off: lockdep_assert_irqs_enabled at once, and the deadlock', () => {
    const a = run('ipi_with_irqs_off', IRQS_ENABLED);
    expect(a.verdict).toMatchObject({ kind: 'safety', property: IRQS_ENABLED, path: { length: 2 } });
    expect(textReport(a)).toContain('T0 sends an IPI with interrupts disabled');
    const d = run('ipi_with_irqs_off', 'deadlock');
    expect(d.verdict).toMatchObject({ kind: 'deadlock', path: { length: 4 }, cycle: { links: [{ actor: 2, resource: 'IPI to cpu1', heldBy: 3 }, { actor: 3, resource: 'IPI to cpu0', heldBy: 2 }] } });
    expect(d.stats.states).toBe(15);
  });

  it('a SCHED_FIFO reader woken while the writer on its CPU is mid-write spins and the writer never runs again', () => {
    // lockdep objects first: write_seqcount_begin's seqprop_assert on a preemptible seqcount_t writer
    expect(run('rt_reader_livelock').verdict).toEqual({ kind: 'safety', property: SEQPROP_ASSERT, path: [2] });
    const r = run('rt_reader_livelock', 'deadlock');
    // before: a deadlock verdict (exit 11) with this cycle; now the lasso (exit 13), the reader's spin its cycle
    expect(r.verdict).toMatchObject({ kind: 'livelock', path: { length: 6 }, loop: 5, cycle: { links: [{ actor: 0, resource: 'cpu0', heldBy: 2, how: 'preempts' }, { actor: 2, resource: 'seq.sequence to become even', heldBy: 0, retries: true }] } });
    expect(exitCode(r.verdict)).toBe(13);
    expect(r.stats.states).toBe(20);
    expect(steps(r)).toEqual(['writer: write_seqcount_begin(seq)', 'timer: <Interrupt>', 'timer: complete(tick)', 'timer: irq_exit', 'reader: wait_for_completion(tick)', 'reader: read_seqbegin(seq)']);
    expect(textReport(r)).toContain('livelock: wait-for cycle (a retry loop: the higher-priority task\npreempted the writer it waits for) after 5 steps (shortest), then a\ncycle of 1 step that changes nothing\n');
    expect(textReport(r)).toContain('--- cycle starts here ---\n6  reader: read_seqbegin(seq) retries, waiting for seq.sequence to\n   become even: no change\n--- back to the start of the cycle, forever ---\n');
    expect(textReport(r)).toContain('  writer holds the write side of seq and cannot run: reader preempted it\n      on cpu0 (higher priority, runnable)\n');
    // the writer non-preemptible, as seqcount_t writers must be: the woken reader waits for it
    const fixed = run('rt_reader_writer_preempt_off');
    expect(fixed.verdict).toEqual({ kind: 'ok' });
    expect(fixed.stats.states).toBe(37);
    expect(witness('rt_reader_writer_preempt_off', WITNESS.midWrite)).toEqual(['writer: preempt_disable()', 'writer: write_seqcount_begin(seq)', 'timer: <Interrupt>', 'timer: complete(tick)']);
  });
});

describe('fs-infra: what the library answered before', () => {
  /** The livelock case as it could be written before sched.ts: the reader an ordinary task on cpu0. */
  const rt = (fifo: boolean) => defineModel({
    name: 'rt-reader', doc: 'a seqcount reader on the writer\'s CPU',
    setup(_, sys) {
      const cpu0 = cpu(sys, 'cpu0'), sc = seqcount(sys, 'seq'), tick = completion(sys, 'tick');
      sys.task('writer', (self) => [write_seqcount_begin(sc, context(self)), step('update'), write_seqcount_end(sc, context(self))], { on: cpu0 });
      hardirq(sys, cpu0, 'timer', (c) => [complete(tick, c.self)]);
      const reader = (self: Parameters<Parameters<typeof sys.task>[1]>[0]): Program => [wait_for_completion(tick), ...read_seqloop(sc, context(self), [step('read')]) as Program[]];
      if (fifo) sched_fifo(sys, cpu0, 'reader', 50, reader);
      else sys.task('reader', reader, { on: cpu0 });
      return [];
    },
  });

  it('a reader with no scheduling class lets the preempted writer finish: ok, the kernel\'s SCHED_FIFO livelock missed', () => {
    expect(check(rt(false), { property: 'deadlock' }).verdict).toEqual({ kind: 'ok' });
    expect(check(rt(true), { property: 'deadlock' }).verdict).toMatchObject({ kind: 'livelock', path: { length: 6 }, loop: 5 });
  });

  it('an interrupt that is not raised never fires (a hardirq without pending fires whenever interrupts are on)', () => {
    const m = (raised: boolean) => defineModel({
      name: 'ipi', doc: 'an IPI nobody sends',
      setup(_, sys) {
        const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), x = ipi(sys, cpu0, 'flush_tlb_func', () => [step('flush the TLB')]);
        sys.task('idle', () => [step('nothing')], { on: cpu1 });
        if (raised) sys.task('sender', (self) => smp_call_function_many(context(self), [x], { wait: true }), { on: cpu1 });
        return [never('the IPI was handled', (s) => s.test(x.handled))];
      },
    });
    expect(check(m(false)).verdict).toEqual({ kind: 'ok' });
    expect(check(m(true)).verdict).toMatchObject({ kind: 'safety', property: 'the IPI was handled' });
  });
});

describe('fs-infra: bad input', () => {
  const build = (setup: Parameters<typeof defineModel>[0]['setup']) => () => check(defineModel({ name: 'bad', doc: 'bad input', setup }));
  it('each refusal names what is wrong', () => {
    expect(build((_, sys) => { sched_fifo(sys, cpu(sys, 'cpu0'), 'rt', 0, () => [step('x')]); return []; })).toThrow(/KMC013 .*sched_fifo 'rt': priority 0 is not in 1\.\.99/);
    expect(build((_, sys) => { const c0 = cpu(sys, 'cpu0'); sched_fifo(sys, c0, 'a', 5, () => [step('x')]); sched_fifo(sys, c0, 'b', 5, () => [step('x')]); return []; }))
      .toThrow(/sched_fifo 'b': another FIFO task on cpu0 has priority 5/);
    expect(build((_, sys) => { mmu_gather(sys, 'tlb', [pte_table(sys, 'pt')], { table_free: 'rcu' }); return []; })).toThrow(/mmu_gather 'tlb': table_free 'rcu' needs rcu/);
    expect(build((_, sys) => {
      const c0 = cpu(sys, 'cpu0'), a = ipi(sys, c0, 'a', () => [step('x')]);
      mmu_gather(sys, 'tlb', [pte_table(sys, 'pt')], { table_free: 'sync_one', flush: [a], sync: [a] });
      return [];
    })).toThrow(/cpu0 is both a flush and a sync target/);
    expect(build((_, sys) => { journal(sys, 'j', { transactions: 0 }); return []; })).toThrow(/journal 'j': transactions 0 is not a positive integer/);
    expect(build((_, sys) => { const j = journal(sys, 'j'); sys.task('T', (self) => jbd2_journal_stop(j, current(self))); return []; }))
      .toThrow(/KMC002 .*jbd2_journal_stop\(j\) by T, which holds no handle/);
  });
});
