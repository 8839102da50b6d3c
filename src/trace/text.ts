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

/** Greedy word wrap; words longer than the width are cut. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ').filter((w) => w !== '')) {
    while (word.length > width) {
      if (line) { lines.push(line); line = ''; }
      lines.push(word.slice(0, width)); word = word.slice(width);
    }
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
  const colWidth = Math.floor((width - gutter) / Math.max(1, ids.length));
  const changes = trace.steps.map((_, i) => diff(inst, trace.states[i]!, trace.states[i + 1]!));
  const num = (i: number | undefined): string => (i === undefined ? '' : String(i)).padStart(gutter - 2) + '  ';
  const out: string[] = [];
  const prevOf = (i: number): StepInfo | undefined => trace.steps.slice(0, i).findLast((p) => p.actor.id === trace.steps[i]!.actor.id);
  if (colWidth < MIN_COLUMN) {
    trace.steps.forEach((s, i) => {
      if (i === loop) out.push(CYCLE);
      const text = `${s.actor.name}: ${cell(s, changes[i]!, prevOf(i)).join('  ')}`;
      wrap(text, width - gutter).forEach((l, j) => out.push(num(j === 0 ? i + 1 : undefined) + l));
    });
    if (loop !== undefined) out.push(loop === trace.steps.length ? STUTTER : CYCLE_END);
    return out;
  }
  const header = ids.map((a) => inst.actors[a]!.ref.name.slice(0, colWidth - 1).padEnd(colWidth)).join('');
  out.push((num(undefined) + header).trimEnd());
  out.push((num(undefined) + ids.map((a) => '-'.repeat(Math.min(colWidth - 1, inst.actors[a]!.ref.name.length)).padEnd(colWidth)).join('')).trimEnd());
  trace.steps.forEach((s, i) => {
    if (i === loop) out.push(CYCLE);
    const col = ids.indexOf(s.actor.id);
    const lines = cell(s, changes[i]!, prevOf(i)).flatMap((p) => wrap(p, colWidth - 1));
    lines.forEach((l, j) => out.push((num(j === 0 ? i + 1 : undefined) + ' '.repeat(col * colWidth) + l).trimEnd()));
  });
  if (loop !== undefined) out.push(loop === trace.steps.length ? STUTTER : CYCLE_END);
  return out;
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
    const mine = prev.how === 'queued' ? `is queued for ${prev.heldAs}` : `holds ${prev.heldAs}`;
    const theirs = l.how === 'queued' ? `queued ahead by ${name(l.heldBy)} (a waiting writer blocks new readers)` : `held by ${name(l.heldBy)}`;
    return `  ${name(l.actor)} ${mine} and waits for ${l.resource}, ${theirs}`;
  });
}
