/**
 * CPUs and the contexts code runs in (include/linux/preempt.h, include/linux/irqflags.h,
 * include/linux/bottom_half.h, kernel/softirq.c).
 *
 * A model places tasks on CPUs: `const cpu0 = cpu(sys, 'cpu0')`, then
 * `sys.task('T', build, { on: cpu0 })`. A CPU runs one context at a time:
 *
 * - a **hardirq** handler (`hardirq(sys, cpu0, 'timer', build)`) fires whenever its CPU has
 *   interrupts enabled and no other hardirq runs there; while it runs, nothing else on the CPU
 *   steps;
 * - a **softirq** handler (`softirq(...)`) runs whenever its CPU has bottom halves and
 *   interrupts enabled and no handler runs there (at `irq_exit`, `local_bh_enable`, or from
 *   ksoftirqd: kmc does not distinguish); a hardirq may interrupt it;
 * - a **task** steps only while no handler runs on its CPU and no other task there is
 *   non-preemptible: a task that disabled preemption (`preempt_disable`, a spinlock,
 *   `local_irq_disable`, `local_bh_disable`) owns its CPU until it is preemptible again.
 *
 * Handlers are kthreads bound to a CPU that idle until they fire, once (write a `loop` inside
 * for an interrupt that recurs). An actor not placed on a CPU runs as on a CPU of its own; a
 * model without CPUs behaves as before they existed.
 *
 * State per CPU: `irqs_off`, `bh` (local_bh_disable depth), `preempt` (preempt_disable depth,
 * spinlocks included), `owner` (the non-preemptible task), `hardirq`, `softirq` (the handler
 * running). Its contexts are what lockdep's rules read (`lockdep.ts`).
 *
 * A task is atomic (may not sleep) while it owns its CPU with something disabled, or is inside
 * an RCU read-side section; a handler always is.
 *
 * **Rules.** Declaring a context (a task placed on a CPU, `context(self)`, a handler) adds one
 * built-in rule, "sleeping function called from invalid context" (`__might_resched`,
 * kernel/sched/core.c), which reads every context. It does not turn on lockdep's lock rules
 * (lock order, irq usage, irq inversion): they come with the first thing lockdep tracks — a lock
 * (`registerLock`), a seqcount, RCU's read side — or with `lockdep(sys)` (`lockdep.ts`).
 *
 * @example
 * const cpu0 = cpu(sys, 'cpu0'), lock = spinlock(sys, '&dev->lock');
 * sys.task('T', (self) => { const c = context(self); return [spin_lock(lock, c), step('work'), spin_unlock(lock, c)]; }, { on: cpu0 });
 * hardirq(sys, cpu0, 'dev_irq', (c) => [spin_lock(lock, c), spin_unlock(lock, c)]);
 */
import { ModelError } from '../util/errors.ts';
import { NONE, bool, int, owner } from '../model/domain.ts';
import { step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type Placement, type Self, type System } from '../model/system.ts';
import type { Var } from '../model/vars.ts';
import { invalidContext } from './lockdep.ts';
import { rcu_qs } from './rcu.ts';
import { IRQS_ON } from './lockdep-map.ts';

/** How deep preempt_disable / local_bh_disable may nest (spinlocks count). */
const DEPTH = 4;

export interface Cpu extends Placement {
  readonly name: string;
  readonly irqs_off: Var;
  readonly bh: Var;
  readonly preempt: Var;
  /** The task whose non-preemptible section the CPU runs (NONE: preemptible); undefined on a task's own CPU. */
  readonly owner: Var | undefined;
  readonly hardirq: Var | undefined;
  readonly softirq: Var | undefined;
}

export type ContextKind = 'task' | 'hardirq' | 'softirq';

/** An actor's execution context: where it runs and as what. */
export interface Context {
  readonly self: Self;
  readonly kind: ContextKind;
  readonly cpu: Cpu;
}

/**
 * @internal What else keeps a task placed on a CPU from running there (the scheduler, `sched.ts`):
 * per CPU, gates answering the actors the task must wait for (none: it may run). A task that owns
 * its CPU (non-preemptible) is never gated.
 */
export type CpuGate = (s: State, task: number) => readonly number[];

/** The contexts of a system (its entry in `sys.registry`). */
interface Contexts {
  /** Every context, in declaration order, for lockdep's rules. */
  readonly all: Context[];
  readonly bySelf: Map<Self, Context>;
  /** The gates of each CPU (`cpu_gate`). */
  readonly gates: Map<Cpu, CpuGate[]>;
}
const CONTEXTS = systemKey<Contexts>('contexts', () => ({ all: [], bySelf: new Map(), gates: new Map() }));

/** The contexts declared so far in `sys`. */
export const contextsOf = (sys: System): readonly Context[] => sys.registry.peek(CONTEXTS)?.all ?? [];

/**
 * Records `c`, and adds the rule that reads every context: "sleeping function called from
 * invalid context" (`__might_resched`). Only that rule: lockdep's lock rules are turned on by
 * what it tracks (`registerLock`, a seqcount, RCU) or by `lockdep(sys)`, not by a context.
 */
function register(c: Context): Context {
  const sys = c.self.sys, known = sys.registry.get(CONTEXTS);
  known.bySelf.set(c.self, c);
  known.all.push(c);
  sys.builtin(invalidContext(sys));
  return c;
}

/** @internal Adds a gate to `where`, a CPU of `sys` (read when guards are evaluated, so tasks declared earlier obey it too). */
export const cpu_gate = (sys: System, where: Cpu, gate: CpuGate): void => {
  const gates = sys.registry.get(CONTEXTS).gates;
  gates.set(where, [...(gates.get(where) ?? []), gate]);
};

/** A CPU that tasks (`{ on: cpu }`) and handlers share. */
export function cpu(sys: System, name: string): Cpu {
  const gates = sys.registry.get(CONTEXTS).gates;
  const hard = sys.var(`${name}.hardirq`, owner()), soft = sys.var(`${name}.softirq`, owner()), own = sys.var(`${name}.owner`, owner());
  const c: Cpu = {
    name,
    irqs_off: sys.var(`${name}.irqs_off`, bool()),
    bh: sys.var(`${name}.bh_disabled`, int(0, DEPTH)),
    preempt: sys.var(`${name}.preempt_count`, int(0, DEPTH)),
    owner: own, hardirq: hard, softirq: soft,
    runs: (self) => {
      register({ self, kind: 'task', cpu: c });
      const gated = (s: State): number[] => (s.get(own) === self.id ? [] : (gates.get(c) ?? []).flatMap((g) => g(s, self.id)));
      const resource: Resource = {
        name,
        waitsFor: (s, me) => [s.get(hard), s.get(soft), s.get(own) === me ? NONE : s.get(own), ...gated(s)].filter((a) => a !== NONE),
        relation: (s, a) => (s.get(own) === a ? 'holds' : s.get(hard) === a || s.get(soft) === a ? 'interrupts' : 'preempts'),
      };
      return { when: (s) => s.get(hard) === NONE && s.get(soft) === NONE && (s.get(own) === NONE || s.get(own) === self.id) && gated(s).length === 0, resource };
    },
  };
  return c;
}

/** The actor's context: the one it was placed in, or a task on a CPU of its own (declared on first use). */
export function context(self: Self): Context {
  const known = self.sys.registry.peek(CONTEXTS)?.bySelf.get(self);
  if (known) return known;
  const own: Cpu = {
    name: `${self.name}'s CPU`,
    irqs_off: self.local('irqs_off', bool()),
    bh: self.local('bh_disabled', int(0, DEPTH)),
    preempt: self.local('preempt_count', int(0, DEPTH)),
    owner: undefined, hardirq: undefined, softirq: undefined,
    runs: () => undefined,
  };
  return register({ self, kind: 'task', cpu: own });
}

/** The task context `c` owns its CPU (or has one of its own). */
const owns = (s: State, c: Context): boolean => c.cpu.owner === undefined || s.get(c.cpu.owner) === c.self.id;

/** `irqs_disabled()` as `c` sees it. */
export const irqs_disabled = (s: State, c: Context): boolean =>
  c.kind === 'hardirq' || ((c.kind === 'softirq' || owns(s, c)) && s.test(c.cpu.irqs_off));
/** `preempt_count()` of `c` (preempt_disable and spinlocks; bottom halves and irq context not included). */
export const preempt_count = (s: State, c: Context): number => (c.kind !== 'task' || owns(s, c) ? s.get(c.cpu.preempt) : 0);
/** Bottom halves disabled by `c` (a task) or by the context it runs in (a softirq, a hardirq). */
export const softirqs_disabled = (s: State, c: Context): boolean => c.kind !== 'task' || irqs_disabled(s, c) || (owns(s, c) && s.get(c.cpu.bh) > 0);
/** `in_hardirq()` / `in_serving_softirq()`. */
export const in_hardirq = (c: Context): boolean => c.kind === 'hardirq';
export const in_serving_softirq = (c: Context): boolean => c.kind === 'softirq';

/** After a task changed what it disabled: it owns the CPU while anything is disabled (and, enabled again, passed an RCU quiescent state). */
const reown = (s: State, c: Context): State => {
  if (c.kind !== 'task' || c.cpu.owner === undefined) return rcu_qs(s, c);
  const atomic = s.test(c.cpu.irqs_off) || s.get(c.cpu.bh) > 0 || s.get(c.cpu.preempt) > 0;
  return rcu_qs(s.set(c.cpu.owner, atomic ? c.self.id : NONE), c);
};

/** @internal For spinlocks: `preempt_count` +/- 1 (and ownership of the CPU follows). */
export const preempt_add = (s: State, c: Context, d: 1 | -1): State => reown(s.set(c.cpu.preempt, s.get(c.cpu.preempt) + d), c);
/** @internal For `_bh` spinlocks: the bottom-half disable depth +/- 1. */
export const bh_add = (s: State, c: Context, d: 1 | -1): State => reown(s.set(c.cpu.bh, s.get(c.cpu.bh) + d), c);
/** @internal For `_irq` spinlocks: interrupts off (true) or on; `_irqsave` keeps the old value in `flags`. */
export const irqs_set = (s: State, c: Context, off: boolean): State => (c.kind === 'hardirq' ? s : reown(s.set(c.cpu.irqs_off, off), c));

const H = 'include/linux/irqflags.h', P = 'include/linux/preempt.h', B = 'include/linux/bottom_half.h';

/** `local_irq_disable()`. */
export const local_irq_disable = (c: Context): Node => step('local_irq_disable()', { fn: `${H}: local_irq_disable`, then: (s) => irqs_set(s, c, true) });
/** `local_irq_enable()`. */
export const local_irq_enable = (c: Context): Node => step('local_irq_enable()', { fn: `${H}: local_irq_enable`, acquires: IRQS_ON, then: (s) => irqs_set(s, c, false) });
/** `local_irq_save(flags)`: `flags` (a bool local: `c.self.local('flags', bool())`) keeps whether they were off. */
export const local_irq_save = (c: Context, flags: Var): Node =>
  step('local_irq_save(flags)', { fn: `${H}: local_irq_save`, then: (s) => irqs_set(s.set(flags, irqs_disabled(s, c)), c, true) });
/** `local_irq_restore(flags)`. */
export const local_irq_restore = (c: Context, flags: Var): Node =>
  step('local_irq_restore(flags)', { fn: `${H}: local_irq_restore`, acquires: IRQS_ON, then: (s) => irqs_set(s, c, s.test(flags)) });
/** `local_bh_disable()`. */
export const local_bh_disable = (c: Context): Node => step('local_bh_disable()', { fn: `${B}: local_bh_disable`, then: (s) => bh_add(s, c, 1) });
/** `local_bh_enable()`: pending softirqs may run from here on (their handlers become enabled). */
export const local_bh_enable = (c: Context): Node => step('local_bh_enable()', { fn: `kernel/softirq.c: __local_bh_enable_ip`, acquires: IRQS_ON, then: (s) => bh_add(s, c, -1) });
/** `preempt_disable()`. */
export const preempt_disable = (c: Context): Node => step('preempt_disable()', { fn: `${P}: preempt_disable`, then: (s) => preempt_add(s, c, 1) });
/** `preempt_enable()`. */
export const preempt_enable = (c: Context): Node => step('preempt_enable()', { fn: `${P}: preempt_enable`, then: (s) => preempt_add(s, c, -1) });

function handler(sys: System, where: Cpu, name: string, kind: 'hardirq' | 'softirq', build: (c: Context) => Program, enter: { label: string; fn: string; when: (s: State) => boolean }, opts: { fairness?: 'weak' | 'strong' | 'none' }) {
  const slot = kind === 'hardirq' ? where.hardirq! : where.softirq!;
  const runs: Placement | undefined = kind === 'softirq'
    ? { runs: () => ({ when: (s) => s.get(where.hardirq!) === NONE, resource: { name: where.name, waitsFor: (s) => [s.get(where.hardirq!)].filter((a) => a !== NONE), relation: () => 'interrupts' as const } }) }
    : undefined;
  return sys.kthread(name, (self) => {
    const c = register({ self, kind, cpu: where });
    return [
      step(enter.label, { fn: enter.fn, idle: true, when: enter.when, then: (s) => s.set(slot, self.id) }),
      build(c),
      step(kind === 'hardirq' ? 'irq_exit' : 'softirq done', {
        fn: kind === 'hardirq' ? 'kernel/softirq.c: irq_exit_rcu' : 'kernel/softirq.c: handle_softirqs',
        then: (s) => rcu_qs(s.set(slot, NONE), c),
      }),
    ];
  }, { fairness: opts.fairness ?? 'weak', ...(runs ? { on: runs } : {}) });
}

/**
 * A hardirq handler on `where`: fires once, whenever the CPU has interrupts enabled and runs no
 * other hardirq, and runs to its end before anything else on the CPU steps. `pending` (default:
 * always) is when the interrupt is raised: an IPI fires only once another CPU sent it (`ipi.ts`).
 */
export const hardirq = (sys: System, where: Cpu, name: string, build: (c: Context) => Program, opts: { fairness?: 'weak' | 'strong' | 'none'; pending?: (s: State) => boolean; fn?: string } = {}) => {
  if (where.hardirq === undefined) throw new ModelError('KMC013', `hardirq '${name}': '${where.name}' is a task's own CPU; declare cpu(sys, …) and place the task on it`);
  const pending = opts.pending;
  return handler(sys, where, name, 'hardirq', build, {
    label: '<Interrupt>', fn: opts.fn ?? 'kernel/irq/irqdesc.c: generic_handle_irq',
    when: (s) => !s.test(where.irqs_off) && s.get(where.hardirq!) === NONE && (pending === undefined || pending(s)),
  }, opts);
};

/**
 * A softirq handler on `where` (a tasklet, a timer, an RCU callback): runs once, whenever the CPU
 * has bottom halves and interrupts enabled and runs no handler; a hardirq may interrupt it.
 * `pending` (default: always) is when it has work, e.g. a callback queued.
 */
export const softirq = (sys: System, where: Cpu, name: string, build: (c: Context) => Program, opts: { fairness?: 'weak' | 'strong' | 'none'; pending?: (s: State) => boolean } = {}) => {
  if (where.softirq === undefined) throw new ModelError('KMC013', `softirq '${name}': '${where.name}' is a task's own CPU; declare cpu(sys, …) and place the task on it`);
  const pending = opts.pending;
  return handler(sys, where, name, 'softirq', build, {
    label: '<SoftIRQ>', fn: 'kernel/softirq.c: handle_softirqs',
    when: (s) => !s.test(where.irqs_off) && s.get(where.bh) === 0 && s.get(where.hardirq!) === NONE && s.get(where.softirq!) === NONE
      && (pending === undefined || pending(s)),
  }, opts);
};
