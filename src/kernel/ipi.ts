/**
 * Inter-processor interrupts (kernel/smp.c): `smp_call_function_many` queues a function on other
 * CPUs and raises their call-function IPI; with `wait` it spins until every target has run it
 * (`csd_lock_wait`).
 *
 * `ipi(sys, cpu, name, build)` declares the IPI of `cpu` and what its handler runs (for a TLB
 * flush, `flush_tlb_func`): a hardirq handler that fires only once raised, and then as soon as
 * the CPU has interrupts enabled and runs no other hardirq — never while a task there has them
 * off (`local_irq_save`, `spin_lock_irq`). A sender that waits for a CPU spinning with interrupts
 * off for a lock the sender holds is the kernel's IPI deadlock (kernel/smp.c: "You must not call
 * this function with disabled interrupts or from a hardware interrupt handler"): a wait-for
 * cycle through the target's interrupts-off owner.
 *
 * Calling it with interrupts disabled (or from a handler) is the kernel's
 * `lockdep_assert_irqs_enabled()` in `smp_call_function_many_cond` ("Can deadlock when called
 * with interrupts disabled"): the built-in property `IRQS_ENABLED` of every model that sends one.
 *
 * kmc models one IPI per CPU and model: the handler fires once (raising it again is a model
 * error).
 *
 * @example
 * const cpu0 = cpu(sys, 'cpu0'), cpu1 = cpu(sys, 'cpu1');
 * const flush0 = ipi(sys, cpu0, 'flush_tlb_func@cpu0', () => [step('flush the TLB')]);
 * sys.task('munmap', (self) => smp_call_function_many(context(self), [flush0], { wait: true }), { on: cpu1 });
 */
import { NONE, bool, owner } from '../model/domain.ts';
import { never } from '../model/property.ts';
import { step, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { contextsOf, hardirq, irqs_disabled, type Context, type Cpu } from './context.ts';

export interface Ipi {
  readonly name: string;
  readonly cpu: Cpu;
  /** Raised and not yet handled (the csd is queued on the target's call_single_queue). */
  readonly raised: Var;
  /** The handler has run the function (the csd is unlocked). */
  readonly handled: Var;
  readonly handler: ActorRef;
}

const SMP = 'kernel/smp.c';

/** The call-function IPI of `where`, whose handler runs `build` (the function sent). */
export function ipi(sys: System, where: Cpu, name: string, build: (c: Context) => Program): Ipi {
  const raised = sys.var(`${name}.raised`, bool()), handled = sys.var(`${name}.handled`, bool());
  const handler = hardirq(sys, where, name, (c) => [
    build(c),
    step(`csd_unlock(${name})`, { fn: `${SMP}: __flush_smp_call_function_queue`, then: (s) => s.set(raised, false).set(handled, true) }),
  ], { pending: (s) => s.test(raised), fn: `${SMP}: generic_smp_call_function_single_interrupt` });
  return { name, cpu: where, raised, handled, handler };
}

export const IRQS_ENABLED = 'lockdep_assert_irqs_enabled';

/** The first actor that called `smp_call_function_many` with interrupts disabled (a ghost, per system: its entry in `sys.registry`), and the rule that reads it. */
const OFFENDER = systemKey<Var>('ipi', (sys) => {
  const w = sys.var('smp_call_function_many.irqs_disabled_by', owner());
  sys.builtin(never(IRQS_ENABLED, (s) => s.get(w) !== NONE, {
    explain: (s) => {
      const who = contextsOf(sys).find((c) => c.self.id === s.get(w))?.self.name ?? `actor ${s.get(w)}`;
      return [`WARNING: at kernel/smp.c: smp_call_function_many_cond: lockdep_assert_irqs_enabled() failed`, `${who} sends an IPI with interrupts disabled ("Can deadlock when called with interrupts disabled")`];
    },
  }));
  return w;
});

/** Who a sender waiting for `t` waits for: a hardirq running there, the task that has interrupts off there, or the handler about to fire. */
const blocker = (s: State, t: Ipi): number => {
  if (s.get(t.cpu.hardirq!) !== NONE) return s.get(t.cpu.hardirq!);
  if (s.test(t.cpu.irqs_off) && s.get(t.cpu.owner!) !== NONE) return s.get(t.cpu.owner!);
  return t.handler.id;
};

/**
 * `smp_call_function_many(mask, func, info, wait)` from `c`: raises the IPI of every target
 * (`send_call_function_ipi_mask`); with `wait`, spins until each has run it (`csd_lock_wait`).
 */
export function smp_call_function_many(c: Context, targets: readonly Ipi[], opts: { wait: boolean }): Program {
  const bad = c.self.sys.registry.get(OFFENDER);
  const names = targets.map((t) => t.cpu.name).join(',');
  const wait: Resource = {
    name: `IPI to ${names}`, heldAs: `${names} with interrupts off`,
    waitsFor: (s) => targets.filter((t) => !s.test(t.handled)).map((t) => blocker(s, t)),
    relation: (s, a) => (targets.some((t) => s.test(t.cpu.irqs_off) && s.get(t.cpu.owner!) === a) ? 'holds' : 'interrupts'),
  };
  return [
    step(`smp_call_function_many(${names})`, {
      fn: `${SMP}: smp_call_function_many_cond`,
      then: (s) => {
        const off = irqs_disabled(s, c) && s.get(bad) === NONE;
        return targets.reduce((t, x) => {
          if (t.test(x.raised) || t.test(x.handled)) throw new Error(`${x.name} raised again by ${c.self.name}: kmc models one IPI per CPU`);
          return t.set(x.raised, true);
        }, off ? s.set(bad, c.self.id) : s);
      },
    }),
    ...(opts.wait ? [step(`csd_lock_wait(${names})`, { fn: `${SMP}: csd_lock_wait`, when: (s) => targets.every((t) => s.test(t.handled)), blocksOn: wait })] : []),
  ];
}
