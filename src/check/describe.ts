/** One-line descriptions of verdicts, as the CLI, the matrix and test matchers print them. */
import { match } from 'ts-pattern';
import type { Verdict } from '../explore/verdict.ts';
import { livelock, type WaitCycle } from '../explore/deadlock.ts';
import type { Stats } from '../explore/options.ts';
import { thousands } from '../util/thousands.ts';


/** `AA`, `AB-BA`, `cycle of N` locks; a cycle through one rwsem is a read recursion behind a queued writer, not AB-BA. */
export const cycleKind = (c: WaitCycle): string => {
  if (livelock(c)) return c.links.length === 2 && c.links.some((l) => l.how === 'interrupts') ? `a retry loop: the handler interrupted the writer it waits for`
    : c.links.length === 2 && c.links.some((l) => l.how === 'preempts') ? `a retry loop: the higher-priority task preempted the writer it waits for` : `a retry loop in a cycle of ${c.links.length}`;
  const locks = new Set(c.links.map((l) => l.resource)).size;
  if (c.links.length === 1) return `AA`;
  if (c.links.length === 2 && c.links.some((l) => l.how === 'interrupts')) return `AA: the handler interrupted the holder`;
  if (locks === 1) return c.links.some((l) => l.how === 'queued') ? `AA: read recursion behind a queued writer` : `AA`;
  return locks === 2 && c.links.length === 2 ? `AB-BA` : `cycle of ${c.links.length}`;
};

/** `1 step`, `2 steps`. */
export const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;

const shortest = (s: Stats): string => (s.notShortest ? '(a path of the reduced search, not necessarily shortest)' : '(shortest)');

export const headline = (v: Verdict, s: Stats): string =>
  match(v)
    .with({ kind: 'ok' }, () => `ok: all ${thousands(s.states)} states explored`)
    .with({ kind: 'incomplete' }, (v) => `incomplete: ${v.reason}, no violation so far`)
    .with({ kind: 'deadlock' }, (v) =>
      `${v.cycle && livelock(v.cycle) ? 'livelock' : 'deadlock'}: ${v.cycle ? `wait-for cycle (${cycleKind(v.cycle)})` : 'no step enabled with tasks unfinished'} after ${steps(v.path.length)} ${shortest(s)}`)
    .with({ kind: 'livelock' }, (v) =>
      `livelock: ${v.cycle ? `wait-for cycle (${cycleKind(v.cycle)})` : 'a retry loop with nothing left to end it'} after ${steps(v.loop)} ${shortest(s)}, then a cycle of ${steps(v.path.length - v.loop)} that changes nothing`)
    .with({ kind: 'safety' }, (v) => `violated: '${v.property}' after ${steps(v.path.length)} ${shortest(s)}`)
    .with({ kind: 'unreached' }, (v) => `unreached: no reachable state satisfies sometimes '${v.property}'`)
    .with({ kind: 'liveness' }, (v) => `liveness violated: '${v.property}' on a fair run of ${steps(v.loop)} then a cycle of ${steps(v.path.length - v.loop)} (${v.fairness})`)
    .with({ kind: 'lockdep' }, (v) => `lockdep: ${v.property}, shown by a run of ${steps(v.path.length)} (shortest)`)
    .exhaustive();

/** Short cell for tables: `ok`, `deadlock(3)`, `violated(4)`. */
export const cell = (v: Verdict): string =>
  match(v)
    .with({ kind: 'ok' }, () => `ok`)
    .with({ kind: 'incomplete' }, () => `incomplete`)
    .with({ kind: 'deadlock' }, (v) => `deadlock(${v.path.length})`)
    .with({ kind: 'livelock' }, (v) => `livelock(${v.loop}+${v.path.length - v.loop})`)
    .with({ kind: 'safety' }, (v) => `violated(${v.path.length})`)
    .with({ kind: 'unreached' }, () => `unreached`)
    .with({ kind: 'liveness' }, (v) => `lasso(${v.loop}+${v.path.length - v.loop})`)
    .with({ kind: 'lockdep' }, (v) => `warning(${v.path.length})`)
    .exhaustive();
