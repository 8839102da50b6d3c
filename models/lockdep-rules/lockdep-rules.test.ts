/** The known answers of lockdep-rules, pinned: verdicts, state counts, runs and lockdep's words. */
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/check.ts';
import { textReport } from '../../src/trace/report.ts';
import { INCONSISTENT, IRQ_INVERSION, LOCK_ORDER } from '../../src/kernel/index.ts';
import model from './index.ts';

const run = (c: string, property?: string) => check(model, { params: { case: c }, ...(property ? { property } : {}) });
const steps = (r: ReturnType<typeof run>) => r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`);

const IRQ_SCENARIO = [
  ' Possible interrupt unsafe locking scenario:', '',
  '       CPU0                    CPU1',
  '       ----                    ----',
  '  lock(B);',
  '                               local_irq_disable();',
  '                               lock(A);',
  '                               lock(B);',
  '  <Interrupt>',
  '    lock(A);', '',
  ' *** DEADLOCK ***',
].join('\n');

describe('lockdep-rules: irq-safe -> irq-unsafe (check_irq_usage) on one CPU', () => {
  it('the dependency A -> B closes the path: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected, though nothing deadlocks', () => {
    expect(run('irq_safe_unsafe_order', 'deadlock').verdict).toEqual({ kind: 'ok' });
    const r = run('irq_safe_unsafe_order');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: IRQ_INVERSION, path: { length: 5 } });
    expect(r.stats.states).toBe(31);
    expect(steps(r)).toEqual(['task: spin_lock(B)', 'task: use B, irqs on', 'task: spin_unlock(B)', 'task: spin_lock_irq(A)', 'task: spin_lock(B)']);
    const text = textReport(r);
    expect(text).toContain([
      '=====================================================',
      'WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected',
      '-----------------------------------------------------',
      'task/0 [HC0[0]:SC0[0]:HE0:SE0] is trying to acquire:',
      ' (B){+.+.}-{2:2}, at: spin_lock(B)', '',
      'and this task is already holding:',
      ' (A){-...}-{2:2}',
      'which would create a new lock dependency:',
      ' (A){-...}-{2:2} -> (B){+.+.}-{2:2}', '',
      'but this new dependency connects a HARDIRQ-irq-safe lock:',
      ' (A){-...}-{2:2}', '',
      '... which became HARDIRQ-irq-safe at:',
      '       step 1 irq: <Interrupt>',
      '       step 2 irq: spin_lock(A)', '',
      'to a HARDIRQ-irq-unsafe lock:',
      ' (B){+.+.}-{2:2}', '',
      '... which became HARDIRQ-irq-unsafe at:',
      '...',
      '       step 1 task: spin_lock(B)', '',
      'other info that might help us debug this:', '',
    ].join('\n'));
    expect(text).toContain(`${IRQ_SCENARIO}\n\n1 lock held by task/0:\n #0: (A)-{2:2}, A\n`);
  });

  it('the usage B taken with irqs on comes last: possible irq lock inversion dependency detected', () => {
    const r = run('irq_inversion', IRQ_INVERSION);
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: IRQ_INVERSION, path: { length: 5 } });
    expect(steps(r)).toEqual(['task: spin_lock_irq(A)', 'task: spin_lock(B)', 'task: spin_unlock(B)', 'task: spin_unlock_irq(A)', 'task: spin_lock(B)']);
    expect(textReport(r)).toContain([
      '========================================================',
      'WARNING: possible irq lock inversion dependency detected',
      '--------------------------------------------------------',
      'task/0 just changed the state of lock:',
      ' (B){+.+.}-{2:2}, at: spin_lock(B)',
      'but this lock was taken by another, HARDIRQ-safe lock in the past:',
      ' (A){-...}-{2:2}', '',
      'and interrupts could create inverse lock ordering between them.', '', '',
      'other info that might help us debug this:',
      IRQ_SCENARIO, '',
      'no locks held by task/0.', '',
      'the shortest dependencies between 2nd lock and 1st lock:',
      '-> (A){-...}-{2:2} -> (B){+.+.}-{2:2} ... acquired at:',
      '       step 1 task: spin_lock_irq(A)',
      '       step 2 task: spin_lock(B)',
    ].join('\n'));
    for (const p of ['deadlock', LOCK_ORDER, INCONSISTENT]) expect(run('irq_inversion', p).verdict).toEqual({ kind: 'ok' });
  });

  it('the softirq form: SOFTIRQ-safe -> SOFTIRQ-unsafe, A used in a softirq and taken under spin_lock_bh', () => {
    const r = run('softirq_safe_unsafe_order');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: IRQ_INVERSION, path: { length: 5 } });
    const text = textReport(r);
    expect(text).toContain('WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected\n');
    expect(text).toContain('task/0 [HC0[0]:SC0[0]:HE1:SE0] is trying to acquire:\n (B){+.+.}-{2:2}, at: spin_lock(B)\n');
    expect(text).toContain('... which became SOFTIRQ-irq-safe at:\n       step 1 tasklet: <SoftIRQ>\n       step 2 tasklet: spin_lock(A)\n');
  });
});

describe('lockdep-rules: locks held when interrupts come back on (mark_held_locks)', () => {
  it('spin_unlock_irq(B) inside spin_lock_irqsave(A) makes A HARDIRQ-ON-W: inconsistent with its hardirq use on another CPU, no deadlock', () => {
    expect(run('irqs_on_held', 'deadlock').verdict).toEqual({ kind: 'ok' });
    const r = run('irqs_on_held');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: INCONSISTENT, path: { length: 3 } });
    expect(r.stats.states).toBe(26);
    expect(steps(r)).toEqual(['task: spin_lock_irqsave(A)', 'task: spin_lock_irq(B)', 'task: spin_unlock_irq(B)']);
    expect(textReport(r)).toContain([
      'inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.',
      'task/0 [HC0[0]:SC0[0]:HE1:SE1] takes:',
      ' (A){?.+.}-{2:2}, at: spin_unlock_irq(B)',
      '{IN-HARDIRQ-W} state was registered at:',
      '       step 1 irq: <Interrupt>',
      '       step 2 irq: spin_lock(A)',
    ].join('\n'));
  });

  it('with the handler on the task\'s own CPU the interrupt arrives while A is held: the deadlock, and the same usage bug', () => {
    const r = run('irqs_on_held_same_cpu');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 4 } });
    expect(steps(r)).toEqual(['task: spin_lock_irqsave(A)', 'task: spin_lock_irq(B)', 'task: spin_unlock_irq(B)', 'irq: <Interrupt>']);
    expect(r.stats.states).toBe(12);
    expect(run('irqs_on_held_same_cpu', INCONSISTENT).verdict).toMatchObject({ kind: 'lockdep', property: INCONSISTENT, path: { length: 3 } });
  });
});

describe('lockdep-rules: every acquisition, without asking', () => {
  it('mmap_read_lock in an mm without a writer is an acquisition lockdep sees: &mm->mmap_lock vs i_rwsem is circular', () => {
    expect(run('mmap_lock_vs_i_rwsem', 'deadlock').verdict).toEqual({ kind: 'ok' });
    const r = run('mmap_lock_vs_i_rwsem');
    expect(r.verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 2 } });
    expect(r.stats.states).toBe(32);
    const text = textReport(r);
    expect(text).toContain('fault/1 is trying to acquire lock:\n (&sb->s_type->i_mutex_key){++++}-{4:4}, at: inode_lock_shared(A)\n\nbut task is already holding lock:\n (&mm->mmap_lock){.+.+}-{4:4}\n');
    expect(text).toContain('-> #1 (&mm->mmap_lock){.+.+}-{4:4}:\n       step 1 write: inode_lock(A)\n       step 2 write: mmap_read_lock\n');
    expect(text).toContain('  rlock(&mm->mmap_lock);\n                               lock(&sb->s_type->i_mutex_key);\n                               rlock(&mm->mmap_lock);\n  rlock(&sb->s_type->i_mutex_key);\n');
  });

  it('plain mutexes turn lockdep on: an inversion no interleaving deadlocks on is reported', () => {
    expect(run('serialized_abba', 'deadlock').verdict).toEqual({ kind: 'ok' });
    expect(run('serialized_abba').verdict).toMatchObject({ kind: 'lockdep', property: LOCK_ORDER, path: { length: 8 } });
  });
});

describe('lockdep-rules: the scenarios lockdep draws', () => {
  it('a deadlock of three locks: "Chain exists of" NEXT --> PARENT --> PREV and two CPUs, within 72 columns', () => {
    const r = run('abc');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 3 } });
    const text = textReport(r);
    expect(text).toContain([
      'Chain exists of:', '  B --> C --> A', '',
      ' Possible unsafe locking scenario:', '',
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  lock(A);',
      '                               lock(C);',
      '                               lock(A);',
      '  lock(B);', '',
      ' *** DEADLOCK ***', '',
      ' CPU0 is T1',
      ' CPU1 is T3, T2',
    ].join('\n'));
    expect(text.split('\nreplay:')[0]!.split('\n').filter((l) => l.length > 72)).toEqual([]);
    // the order graph says the same from T3's point of view
    expect(textReport(run('abc', LOCK_ORDER))).toContain('Chain exists of:\n  A --> B --> C\n\n Possible unsafe locking scenario:\n\n       CPU0                    CPU1\n       ----                    ----\n  lock(C);\n                               lock(B);\n                               lock(C);\n  lock(A);\n');
  });

  it('an interrupt in a cycle across CPUs prints lockdep\'s <Interrupt> scenario, and the irq rule finds the same order', () => {
    const r = run('irq_abba_cross_cpu');
    expect(r.verdict).toMatchObject({ kind: 'deadlock', path: { length: 3 } });
    const text = textReport(r);
    expect(text).toContain([
      ' Possible interrupt unsafe locking scenario:', '',
      '       CPU0                    CPU1',
      '       ----                    ----',
      '  lock(A);',
      '                               local_irq_disable();',
      '                               lock(B);',
      '                               lock(A);',
      '  <Interrupt>',
      '    lock(B);', '',
      ' *** DEADLOCK ***', '',
      ' CPU0 is T0, interrupted by irq',
      ' CPU1 is T1',
    ].join('\n'));
    expect(text).not.toContain('lock(cpu0)');
    const irq = run('irq_abba_cross_cpu', IRQ_INVERSION);
    expect(irq.verdict).toMatchObject({ kind: 'lockdep', property: IRQ_INVERSION, path: { length: 2 } });
    expect(irq.stats.states).toBe(78);
  });
});
