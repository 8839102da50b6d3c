/**
 * lockdep's "Possible unsafe locking scenario" (kernel/locking/lockdep.c,
 * print_circular_lock_scenario / print_deadlock_scenario), drawn from a confirmed wait-for
 * cycle: each CPU first takes what it holds, then asks for what the next one holds.
 * Two CPUs print exactly as lockdep does (columns 2 and 31); longer cycles add columns.
 */
import type { Instance } from '../state/instance.ts';
import type { WaitCycle } from '../explore/deadlock.ts';

export function renderLockdep(inst: Instance, cycle: WaitCycle): string[] {
  const links = cycle.links, n = links.length;
  const name = (a: number): string => inst.actors[a]!.ref.name;
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
  // lockdep prints a read acquisition as rlock(): what CPU i holds is what the one before waits on
  const held = (i: number): string => { const l = links[(i + n - 1) % n]!; return `${l.how === 'shares' ? 'r' : ''}lock(${l.heldAs});`; };
  const wants = (i: number): string => `${links[i]!.shared ? 'r' : ''}lock(${links[i]!.resource});`;
  const col = n === 2 ? 29 : Math.floor(70 / n);
  const at = (i: number, text: string): string => `${' '.repeat(2 + i * col)}${text}`;
  // lockdep puts CPU0's title at column 7 and the others over their steps
  const row = (word: (i: number) => string): string => links.reduce((acc, _, i) => (i === 0 ? `       ${word(0)}` : acc.padEnd(2 + i * col) + word(i)), '');
  const lines = [' Possible unsafe locking scenario:', '', row((i) => `CPU${i}`), row(() => '----')];
  if (n === 2) {
    // lockdep's order: CPU0 PREV, CPU1 PARENT, CPU1 PREV, CPU0 NEXT
    lines.push(at(0, held(0)), at(1, held(1)), at(1, wants(1)), at(0, wants(0)));
  } else {
    links.forEach((_, i) => lines.push(at(i, held(i))));
    links.forEach((_, i) => lines.push(at(i, wants(i))));
  }
  lines.push('', ' *** DEADLOCK ***', '', ...links.map((l, i) => ` CPU${i} is ${name(l.actor)}`));
  return lines;
}
