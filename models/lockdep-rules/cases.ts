/**
 * The known-answer cases, one named record each. The answers are lockdep's
 * (kernel/locking/lockdep.c), quoted where each case is built.
 */
import { bool, step, type System } from '../../src/index.ts';
import {
  complete, completion, context, cpu, file, hardirq, inode_lock, inode_lock_shared, inode_unlock, inode_unlock_shared, mm_struct,
  mmap_read_lock, mmap_read_unlock, mutex, mutex_lock, mutex_unlock, softirq, spin_lock, spin_lock_bh, spin_lock_irq, spin_lock_irqsave,
  spin_unlock, spin_unlock_bh, spin_unlock_irq, spin_unlock_irqrestore, spinlock, wait_for_completion,
} from '../../src/kernel/index.ts';
import type { Params } from './index.ts';

type Case = (sys: System) => void;

/**
 * check_irq_usage(): "Step 1: gather all hard/soft IRQs usages backward in an accumulated usage
 * mask … Step 2: find exclusive uses forward that match the previous backward accumulated
 * mask" — the new dependency A -> B connects A, used in hardirq context, to B, taken with
 * hardirqs enabled. One CPU, one task: no interleaving deadlocks (the handler never takes B),
 * lockdep warns all the same: "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected".
 * `usageLast`: B is taken with irqs on only after A -> B exists, so the usage closes the path and
 * lockdep reports from mark_lock_irq → check_usage_backwards: "possible irq lock inversion
 * dependency detected".
 */
const irqOrder = (usageLast: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), a = spinlock(sys, 'A'), b = spinlock(sys, 'B');
  sys.task('task', (self) => {
    const c = context(self);
    const unsafe = [spin_lock(b, c), step('use B, irqs on'), spin_unlock(b, c)];
    const order = [spin_lock_irq(a, c), spin_lock(b, c), spin_unlock(b, c), spin_unlock_irq(a, c)];
    return usageLast ? [...order, ...unsafe] : [...unsafe, ...order];
  }, { on: cpu0 });
  hardirq(sys, cpu0, 'irq', (c) => [spin_lock(a, c), spin_unlock(a, c)]);
};

/** The softirq form: A taken in a softirq, A -> B under spin_lock_bh(A), B taken with bottom halves on. */
const softirqOrder: Case = (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), a = spinlock(sys, 'A'), b = spinlock(sys, 'B');
  sys.task('task', (self) => {
    const c = context(self);
    return [spin_lock(b, c), step('use B, bh on'), spin_unlock(b, c), spin_lock_bh(a, c), spin_lock(b, c), spin_unlock(b, c), spin_unlock_bh(a, c)];
  }, { on: cpu0 });
  softirq(sys, cpu0, 'tasklet', (c) => [spin_lock(a, c), spin_unlock(a, c)]);
};

/**
 * lockdep_hardirqs_on() → __trace_hardirqs_on_caller(): "We are going to turn hardirqs on, so
 * set the usage bit for all held locks: mark_held_locks(curr, LOCK_ENABLED_HARDIRQ)".
 * spin_unlock_irq(B) enables interrupts while A (taken with spin_lock_irqsave) is held: A
 * becomes HARDIRQ-ON-W, and a hardirq takes A: "inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W}
 * usage". With the handler on another CPU no interleaving deadlocks; on the task's own CPU the
 * interrupt arrives between spin_unlock_irq(B) and spin_unlock_irqrestore(A) and spins on A.
 */
const irqsOnHeld = (sameCpu: boolean): Case => (sys) => {
  const cpu0 = cpu(sys, 'cpu0'), cpu1 = sameCpu ? cpu0 : cpu(sys, 'cpu1'), a = spinlock(sys, 'A'), b = spinlock(sys, 'B');
  sys.task('task', (self) => {
    const c = context(self), flags = self.local('flags', bool());
    return [spin_lock_irqsave(a, c, flags), spin_lock_irq(b, c), spin_unlock_irq(b, c), step('irqs on, A held'), spin_unlock_irqrestore(a, c, flags)];
  }, { on: cpu0 });
  hardirq(sys, cpu1, 'irq', (c) => [spin_lock(a, c), spin_unlock(a, c)]);
};

export const cases: Readonly<Record<Params['case'], Case>> = {
  irq_safe_unsafe_order: irqOrder(false),
  irq_inversion: irqOrder(true),
  softirq_safe_unsafe_order: softirqOrder,
  irqs_on_held: irqsOnHeld(false),
  irqs_on_held_same_cpu: irqsOnHeld(true),
  /**
   * The mm is declared without an mmap_lock writer, and its read acquisitions are still
   * lockdep's: a write path faulting in its user buffer under i_rwsem (&sb->s_type->i_mutex_key
   * -> &mm->mmap_lock) and a `->fault` taking i_rwsem shared under mmap_lock (&mm->mmap_lock ->
   * &sb->s_type->i_mutex_key) close a cycle. Readers of mmap_lock only, so nothing deadlocks
   * here; with any mmap_write_lock queued between them it would, and lockdep warns either way
   * (down_read is a non-recursive read: check_noncircular finds the strong cycle).
   */
  mmap_lock_vs_i_rwsem: (sys) => {
    const A = file(sys, 'A'), mm = mm_struct(sys, 'mm');
    sys.task('write', (t) => [...inode_lock(A, t), mmap_read_lock(mm, t), step('fault in the user buffer'), mmap_read_unlock(mm, t), inode_unlock(A, t)]);
    sys.task('fault', (t) => [mmap_read_lock(mm, t), inode_lock_shared(A, t), step('->fault'), inode_unlock_shared(A, t), mmap_read_unlock(mm, t)]);
  },
  /** lockdep.c's opening comment: "if anytime in the past two locks were taken in a different order, even if it happened for another task … this code will detect it". */
  serialized_abba: (sys) => {
    const a = mutex(sys, 'A'), b = mutex(sys, 'B'), done = completion(sys, 'phase1');
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t), complete(done, t)]);
    sys.task('T2', (t) => [wait_for_completion(done), mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
  },
  /** print_circular_lock_scenario(): "if (parent != source) { printk("Chain exists of:\n  "); …" — a cycle of three. */
  abc: (sys) => {
    const [a, b, c] = ['A', 'B', 'C'].map((n) => mutex(sys, n)) as [ReturnType<typeof mutex>, ReturnType<typeof mutex>, ReturnType<typeof mutex>];
    sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
    sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(c, t), mutex_unlock(c, t), mutex_unlock(b, t)]);
    sys.task('T3', (t) => [mutex_lock(c, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(c, t)]);
  },
  /**
   * print_irq_lock_scenario(): CPU0 holds the irq-unsafe A, CPU1 takes the irq-safe B with
   * interrupts off and then A, and an interrupt on CPU0 asks for B. Explored here as the
   * deadlock it is: the wait-for cycle goes through the interrupted CPU.
   */
  irq_abba_cross_cpu: (sys) => {
    const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1'), a = spinlock(sys, 'A'), b = spinlock(sys, 'B');
    sys.task('T0', (self) => { const c = context(self); return [spin_lock(a, c), step('use A'), spin_unlock(a, c)]; }, { on: cpu0 });
    sys.task('T1', (self) => { const c = context(self); return [spin_lock_irq(b, c), spin_lock(a, c), spin_unlock(a, c), spin_unlock_irq(b, c)]; }, { on: cpu1 });
    hardirq(sys, cpu0, 'irq', (c) => [spin_lock(b, c), spin_unlock(b, c)]);
  },
};
