/**
 * Scheduling classes (kernel/sched/rt.c, kernel/sched/core.c): a runnable SCHED_FIFO task runs
 * until it blocks, yields or a higher-priority task preempts it; while it is runnable no task of
 * lower priority (a lower FIFO priority, or SCHED_NORMAL) runs on its CPU.
 *
 * `sched_fifo(sys, cpu, name, prio, build)` declares a task that did `sched_setscheduler(p,
 * SCHED_FIFO, { sched_priority: prio })` on `cpu`. It leaves the CPU only when it is done or
 * sleeping: standing at a step that may sleep (`mutex_lock`, `wait_event`, a rwsem) whose guard
 * is false. A FIFO task at a spinning guard (`read_seqbegin` on an odd count, a spinlock) is
 * runnable: it keeps a preempted lower-priority task off the CPU, so if that task is the one it
 * waits for nothing moves — the PREEMPT_RT livelock of a reader spinning on a seqcount whose
 * preempted writer shares its CPU (include/linux/seqlock.h: "To remain preemptible while avoiding
 * a possible livelock caused by the reader preempting the writer"). A task that owns its CPU
 * (preemption or interrupts off) is never preempted by it.
 *
 * Only tasks are scheduled this way; hardirqs and softirqs preempt every task as before.
 *
 * @example
 * const cpu0 = cpu(sys, 'cpu0');
 * sys.task('writer', (self) => [...], { on: cpu0 });                 // SCHED_NORMAL
 * sched_fifo(sys, cpu0, 'reader', 50, (self) => read_seqloop(sc, context(self), [...]));
 */
import { label, type Node, type Program } from '../model/program.ts';
import type { State } from '../model/state.ts';
import { systemKey, type Self, type System } from '../model/system.ts';
import type { ActorRef, Fairness } from '../model/vars.ts';
import { ModelError } from '../util/errors.ts';
import { cpu_gate, type Cpu } from './context.ts';

interface FifoTask { ref: ActorRef | undefined; readonly prio: number; readonly sleeping: [string, (s: State) => boolean][] }

/** The SCHED_FIFO tasks of each CPU of a system (its entry in `sys.registry`). */
const RQS = systemKey<Map<Cpu, FifoTask[]>>('sched', () => new Map());

/** Labels each step that may sleep and has a guard, so its task can be seen sleeping there. */
function mark(p: Program, name: string, out: [string, (s: State) => boolean][]): Program {
  if (Array.isArray(p)) return p.map((q: Program) => mark(q, name, out));
  const n = p as Node;
  switch (n.kind) {
    case 'step': {
      if (!n.spec.sleeps || n.spec.when === undefined) return n;
      const l = `${name}: sleeps#${out.length + 1}`;
      out.push([l, n.spec.when]);
      return [label(l), n];
    }
    case 'if': return { ...n, then: mark(n.then, name, out), else: mark(n.else, name, out) };
    case 'loop': case 'while': case 'call': return { ...n, body: mark(n.body, name, out) };
    case 'choice': case 'label': case 'goto': case 'break': case 'ret': return n;   // a choice's arms may begin with a sleeping step: seen as runnable
    default: { const never: never = n; return never; }
  }
}

/** `prio` of a task on `where` (0: SCHED_NORMAL). */
const prioOf = (rq: readonly FifoTask[], id: number): number => rq.find((t) => t.ref?.id === id)?.prio ?? 0;

/** A SCHED_FIFO task at priority `prio` (1..99) on `where`. */
export function sched_fifo(sys: System, where: Cpu, name: string, prio: number, build: (self: Self) => Program, opts: { fairness?: Fairness } = {}): ActorRef {
  if (!Number.isInteger(prio) || prio < 1 || prio > 99) throw new ModelError('KMC013', `sched_fifo '${name}': priority ${prio} is not in 1..99 (MAX_RT_PRIO - 1)`);
  if (where.owner === undefined) throw new ModelError('KMC013', `sched_fifo '${name}': '${where.name}' is a task's own CPU; declare cpu(sys, …)`);
  const rqs = sys.registry.get(RQS);
  let rq = rqs.get(where);
  if (rq === undefined) {
    const q: FifoTask[] = rq = [];
    rqs.set(where, q);
    cpu_gate(sys, where, (s, task) => {
      const mine = prioOf(q, task);
      return q.filter((t) => t.prio > mine && t.ref !== undefined && !s.done(t.ref) && !t.sleeping.some(([l, when]) => s.at(t.ref!, l) && !when(s))).map((t) => t.ref!.id);
    });
  }
  if (rq.some((t) => t.prio === prio)) throw new ModelError('KMC013', `sched_fifo '${name}': another FIFO task on ${where.name} has priority ${prio} (kmc does not model round-robin among equals)`);
  const me: FifoTask = { ref: undefined, prio, sleeping: [] };
  rq.push(me);
  me.ref = sys.task(name, (self) => mark(build(self), name, me.sleeping), { on: where, ...(opts.fairness ? { fairness: opts.fairness } : {}) });
  return me.ref;
}
