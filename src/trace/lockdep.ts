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
  if (n === 1) {
    const l = links[0]!;
    return [
      ' Possible unsafe locking scenario:', '',
      `       CPU0 (${name(l.actor)})`, '       ----',
      `  lock(${l.heldAs});`, `  lock(${l.resource});`, '',
      ' *** DEADLOCK ***', '',
      ' May be due to missing lock nesting notation',
    ];
  }
  const holds = (i: number): string => links[(i + n - 1) % n]!.heldAs;
  const col = n === 2 ? 29 : Math.floor(70 / n);
  const at = (i: number, text: string): string => `${' '.repeat(2 + i * col)}${text}`;
  // lockdep puts CPU0's title at column 7 and the others over their steps
  const row = (word: (i: number) => string): string => links.reduce((acc, _, i) => (i === 0 ? `       ${word(0)}` : acc.padEnd(2 + i * col) + word(i)), '');
  const lines = [' Possible unsafe locking scenario:', '', row((i) => `CPU${i}`), row(() => '----')];
  if (n === 2) {
    // lockdep's order: CPU0 PREV, CPU1 PARENT, CPU1 PREV, CPU0 NEXT
    lines.push(at(0, `lock(${holds(0)});`), at(1, `lock(${holds(1)});`), at(1, `lock(${links[1]!.resource});`), at(0, `lock(${links[0]!.resource});`));
  } else {
    links.forEach((_, i) => lines.push(at(i, `lock(${holds(i)});`)));
    links.forEach((l, i) => lines.push(at(i, `lock(${l.resource});`)));
  }
  lines.push('', ' *** DEADLOCK ***', '', ...links.map((l, i) => ` CPU${i} is ${name(l.actor)}`));
  return lines;
}
