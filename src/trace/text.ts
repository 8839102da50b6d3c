/**
 * Plain-text counterexamples for mailing-list replies: at most 72 columns, ASCII, one column
 * per actor that takes a step (falling back to one line per step when the columns would be
 * too narrow), each step with its kernel function and what it changed.
 */
import { diff } from './diff.ts';
import type { Instance } from '../state/instance.ts';
import type { StepInfo } from '../model/property.ts';
import type { WaitCycle } from '../explore/deadlock.ts';
import type { Trace } from '../explore/replay.ts';

const MIN_COLUMN = 16;

/** Greedy word wrap at spaces; a word longer than the width stays whole on its own line (never cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else { lines.push(line); line = word; }
  }
  if (line) lines.push(line);
  return lines;
}

/** `mm/gup.c: __get_user_pages` → `__get_user_pages`. */
const fnName = (fn: string): string => fn.slice(fn.lastIndexOf(' ') + 1);

function cell(step: StepInfo, changes: string[], prev: StepInfo | undefined): string[] {
  const sameFrame = prev !== undefined && prev.frame.join() === step.frame.join();
  const parts = [step.frame.length && !sameFrame ? `[${step.frame.join(' > ')}]` : '', step.label];
  const f = fnName(step.fn);
  if (f && !step.label.includes(f)) parts.push(`(${f})`);
  return [...parts.filter((p) => p !== ''), ...(changes.length ? [changes.join(' ')] : [])];
}

/** `loop`: the step index at which a liveness cycle starts (marked in the table). */
export function renderTrace(inst: Instance, trace: Trace, width = 72, loop?: number): string[] {
  const n = trace.steps.length;
  const gutter = String(n).length + 2;
  const ids = [...new Set(trace.steps.map((s) => s.actor.id))].sort((a, b) => a - b);
  if (ids.length === 0) ids.push(...inst.actors.map((a) => a.ref.id).slice(0, 1));
  const changes = trace.steps.map((s, i) => (trace.spinsFrom !== undefined && i >= trace.spinsFrom ? [spun(inst, s)] : diff(inst, trace.states[i]!, trace.states[i + 1]!)));
  const num = (i: number | undefined): string => (i === undefined ? '' : String(i)).padStart(gutter - 2) + '  ';
  const out: string[] = [];
  // each step's cell, next to the same actor's previous step (linear: traces run to 10^5 steps)
  const lastOf = new Map<number, StepInfo>();
  const cells = trace.steps.map((s, i) => { const c = cell(s, changes[i]!, lastOf.get(s.actor.id)); lastOf.set(s.actor.id, s); return c; });
  // each column as wide as its longest word (words are never cut), the room left shared out
  const widest = new Map<number, number>();
  cells.forEach((c, i) => {
    const a = trace.steps[i]!.actor.id;
    for (const p of c) for (const w of p.split(' ')) widest.set(a, Math.max(widest.get(a) ?? 0, w.length + 1));
  });
  const need = ids.map((a) => Math.max(MIN_COLUMN, inst.actors[a]!.ref.name.length + 1, widest.get(a) ?? 0));
  const room = width - gutter - need.reduce((x, y) => x + y, 0);
  if (room < 0) {
    trace.steps.forEach((s, i) => {
      if (i === loop) out.push(CYCLE);
      wrap(`${s.actor.name}: ${cells[i]!.join('  ')}`, width - gutter).forEach((l, j) => out.push(num(j === 0 ? i + 1 : undefined) + l));
    });
    if (loop !== undefined) out.push(loop === trace.steps.length ? STUTTER : CYCLE_END);
    return out;
  }
  const widths = need.map((w) => w + Math.floor(room / ids.length));
  const start = widths.map((_, c) => widths.slice(0, c).reduce((x, y) => x + y, 0));
  const name = (a: number): string => inst.actors[a]!.ref.name;
  out.push((num(undefined) + ids.map((a, c) => name(a).padEnd(widths[c]!)).join('')).trimEnd());
  out.push((num(undefined) + ids.map((a, c) => '-'.repeat(name(a).length).padEnd(widths[c]!)).join('')).trimEnd());
  trace.steps.forEach((s, i) => {
    if (i === loop) out.push(CYCLE);
    const col = ids.indexOf(s.actor.id);
    const lines = cells[i]!.flatMap((p) => wrap(p, widths[col]! - 1));
    lines.forEach((l, j) => out.push((num(j === 0 ? i + 1 : undefined) + ' '.repeat(start[col]!) + l).trimEnd()));
  });
  if (loop !== undefined) out.push(loop === trace.steps.length ? STUTTER : CYCLE_END);
  return out;
}

/** A livelock's spin, in place of what the step changed: `retries, waiting for R: no change`. */
function spun(inst: Instance, s: StepInfo): string {
  const r = inst.edges.find((e) => e.actor === s.actor.id && e.label === s.label && e.blocksOn.some((x) => x.retries === true))?.blocksOn.find((x) => x.retries === true);
  return `retries${r ? `, waiting for ${r.name}` : ''}: no change`;
}

const CYCLE = '--- cycle starts here ---';
const CYCLE_END = '--- back to the start of the cycle, forever ---';
const STUTTER = '--- from here on no fairly treated actor can step, forever ---';

/** The wait-for cycle, one line per link: who waits on what, held by whom. */
export function renderCycle(inst: Instance, cycle: WaitCycle): string[] {
  const name = (a: number): string => inst.actors[a]!.ref.name;
  const n = cycle.links.length;
  return cycle.links.map((l, i) => {
    if (l.heldBy === l.actor) return `  ${name(l.actor)} waits for ${l.resource}, held by itself${l.heldAs === l.resource ? '' : ` as ${l.heldAs}`} (AA)`;
    const prev = cycle.links[(i + n - 1) % n]!;
    if (l.how === 'interrupts') return `  ${name(l.actor)} holds ${prev.heldAs} and cannot run: ${name(l.heldBy)} interrupted it on ${l.resource}`;
    if (l.how === 'preempts') return `  ${name(l.actor)} holds ${prev.heldAs} and cannot run: ${name(l.heldBy)} preempted it on ${l.resource} (higher priority, runnable)`;
    if (l.retries) return `  ${name(l.actor)}${prev.how === 'interrupts' ? ` interrupted ${name(prev.actor)} on ${prev.resource} and` : ''} retries for ever: it waits for ${l.resource}, held back by ${name(l.heldBy)}`;
    const mine = prev.how === 'queued' ? `is queued for ${prev.heldAs}` : prev.how === 'interrupts' ? `interrupted ${name(prev.actor)} on ${prev.resource}` : `holds ${prev.heldAs}${prev.how === 'shares' ? ' for read' : ''}`;
    const theirs = l.how === 'queued' ? `queued ahead by ${name(l.heldBy)} (a waiting writer blocks new readers)` : `held by ${name(l.heldBy)}${l.how === 'shares' ? ' for read' : ''}`;
    return `  ${name(l.actor)} ${mine} and waits for ${l.resource}${l.shared ? ' for read' : ''}, ${theirs}`;
  });
}
