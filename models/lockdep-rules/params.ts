/** The cases of the lockdep-rules model; each value's doc says what lockdep reports and why. */
import { param } from '../../src/index.ts';

export const params = {
  case: param.enum({ doc: 'the locking pattern', default: 'irq_safe_unsafe_order', values: {
    irq_safe_unsafe_order: 'A taken in a hardirq, A -> B in a task, B taken with irqs on: HARDIRQ-safe -> HARDIRQ-unsafe (one CPU, no deadlock)',
    irq_inversion: 'the same three facts, the usage last: possible irq lock inversion dependency (one CPU, no deadlock)',
    softirq_safe_unsafe_order: 'A taken in a softirq, A -> B under spin_lock_bh, B taken with bottom halves on: SOFTIRQ-safe -> SOFTIRQ-unsafe',
    irqs_on_held: 'spin_unlock_irq(B) inside spin_lock_irqsave(A), A also taken in a hardirq of another CPU: inconsistent lock state, no deadlock',
    irqs_on_held_same_cpu: 'the same with the hardirq on the task\'s CPU: the interrupt arrives while A is held, a deadlock',
    mmap_lock_vs_i_rwsem: 'inode_lock then a fault (mmap_read_lock), and a ->fault taking i_rwsem under mmap_lock: circular, readers only',
    serialized_abba: 'A then B, later B then A on plain mutexes, never concurrently (a completion orders them), no lockdep() call',
    abc: 'three mutexes taken around a cycle by three tasks: a deadlock lockdep draws with "Chain exists of"',
    irq_abba_cross_cpu: 'a hardirq on cpu0 wants B, held by cpu1\'s task (irqs off) waiting for A, held by the task the interrupt stopped',
  } }),
};
