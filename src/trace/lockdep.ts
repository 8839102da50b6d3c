/**
 * lockdep's "Possible unsafe locking scenario" (kernel/locking/lockdep.c,
 * print_circular_lock_scenario / print_deadlock_scenario / print_usage_bug_scenario /
 * print_irq_lock_scenario), drawn from a confirmed wait-for cycle.
 *
 * lockdep draws at most two CPUs: CPU0 holds PREV and asks for NEXT, CPU1 holds PARENT (the
 * lock before PREV on the chain NEXT --> … --> PARENT --> PREV) and asks for PREV; a longer
 * cycle adds "Chain exists of:" (columns 2 and 31, as lockdep prints them). A cycle through an
 * interrupt is an AA on one CPU (`<Interrupt>` takes what the interrupted task holds) or, across
 * CPUs, lockdep's irq-safe -> irq-unsafe scenario. kmc adds which actor each CPU stands for.
 */
import type { Instance } from '../state/instance.ts';
import type { WaitCycle, WaitLink } from '../explore/deadlock.ts';

const COL1 = ' '.repeat(31);

export function renderLockdep(inst: Instance, cycle: WaitCycle): string[] {
  const links = cycle.links, n = links.length;
  const name = (a: number): string => inst.actors[a]!.ref.name;
  const at = (i: number): WaitLink => links[((i % n) + n) % n]!;
  const spin = links.find((l) => l.retries);
  if (spin !== undefined) {
    // no lock scenario: the waiter spins (read_seqbegin: while the sequence is odd, cpu_relax() and read it again)
    return [` ${name(spin.actor)} spins in a retry loop waiting for ${spin.resource}; ${name(spin.heldBy)} holds ${spin.heldAs} and cannot run to end it: a livelock, not a sleep`];
  }
  const irq = links.findIndex((l) => l.how === 'interrupts');
  if (n === 2 && irq >= 0) {
    // print_usage_bug_scenario: the handler takes the lock the task it interrupted holds
    const handler = links[1 - irq]!;
    return [
      ' Possible unsafe locking scenario:', '',
      '       CPU0', '       ----',
      `  lock(${handler.heldAs === handler.resource ? handler.resource : handler.heldAs});`, '  <Interrupt>', `    ${handler.shared ? 'r' : ''}lock(${handler.resource});`, '',
      ' *** DEADLOCK ***', '',
      ` ${name(links[irq]!.actor)} holds it; ${name(handler.actor)} is the interrupt`,
    ];
  }
  if (irq >= 0) {
    // print_irq_lock_scenario: the handler asks for SAFE, whose chain ends at UNSAFE, held by the task it interrupted
    const handler = at(irq + 1), safe = handler.resource, unsafe = at(irq - 1).resource;
    const parent = at(irq - 2).heldAs, middle = parent === safe ? unsafe : parent;
    return [
      ...(middle !== unsafe ? ['Chain exists of:', `  ${safe} --> ${middle} --> ${unsafe}`, ''] : []),
      ' Possible interrupt unsafe locking scenario:', '',
      '       CPU0                    CPU1', '       ----                    ----',
      `  lock(${unsafe});`, `${COL1}local_irq_disable();`, `${COL1}lock(${safe});`, `${COL1}lock(${middle});`,
      '  <Interrupt>', `    ${handler.shared ? 'r' : ''}lock(${safe});`, '',
      ' *** DEADLOCK ***', '',
      ` CPU0 is ${name(links[irq]!.actor)}, interrupted by ${name(handler.actor)}`,
      ` CPU1 is ${Array.from({ length: n - 2 }, (_, j) => name(at(irq + 2 + j).actor)).join(', ')}`,
    ];
  }
  if (n === 1) {
    const l = links[0]!;
    return [
      ' Possible unsafe locking scenario:', '',
      `       CPU0 (${name(l.actor)})`, '       ----',
      `  ${l.how === 'shares' ? 'r' : ''}lock(${l.heldAs});`, `  ${l.shared ? 'r' : ''}lock(${l.resource});`, '',
      ' *** DEADLOCK ***', '',
      ' May be due to missing lock nesting notation',
    ];
  }
  // actor i holds what actor i-1 waits for (rlock() when it holds it for read), and asks for links[i]
  const held = (i: number): string => { const l = at(i - 1); return `${l.how === 'shares' ? 'r' : ''}lock(${l.heldAs});`; };
  const wants = (i: number): string => `${at(i).shared ? 'r' : ''}lock(${at(i).resource});`;
  // CPU0 holds PREV and asks for NEXT; the chain NEXT --> … --> PARENT --> PREV runs through the others
  const next = at(0).resource, prev = at(-1).heldAs, parent = at(-2).heldAs;
  return [
    ...(n > 2 ? ['Chain exists of:', `  ${next} --> ${parent} --> ${prev}`, ''] : []),
    ' Possible unsafe locking scenario:', '',
    '       CPU0                    CPU1', '       ----                    ----',
    `  ${held(0)}`, `${COL1}${held(n - 1)}`, `${COL1}${wants(n - 1)}`, `  ${wants(0)}`, '',
    ' *** DEADLOCK ***', '',
    ` CPU0 is ${name(links[0]!.actor)}`,
    ` CPU1 is ${links.slice(1).reverse().map((l) => name(l.actor)).join(', ')}`,
  ];
}

const HEADER = '       CPU0                    CPU1';

/**
 * lockdep's text within `width` columns, for a mail: where the two-CPU table (CPU1's column at
 * 31, as lockdep prints it) would pass the margin, one line per lock taken, in the same order,
 * each naming its CPU; a "Chain exists of:" line too long is continued at its arrows. Lines that
 * fit are left as lockdep prints them.
 */
export function narrowLockdep(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  let table = false, narrow = false;
  lines.forEach((l, i) => {
    if (l === HEADER) {
      table = true;
      // the table runs to the blank line after it
      const end = lines.indexOf('', i);
      narrow = lines.slice(i, end < 0 ? undefined : end).some((x) => x.length > width);
      if (!narrow) out.push(l);
      return;
    }
    if (table && l === '') table = false;
    if (table && narrow) {
      if (/^ *-+ *-+$/.test(l)) return;
      out.push(l.startsWith(COL1) ? `  CPU1: ${l.slice(COL1.length)}` : `  CPU0: ${l.slice(2)}`);
      return;
    }
    if (l.length > width && l.includes(' --> ')) {
      const locks = l.trim().split(' --> ');
      locks.forEach((k, j) => out.push(`${j === 0 ? '  ' : '    '}${j === 0 ? '' : '--> '}${k}`));
      return;
    }
    out.push(l);
  });
  return out;
}
