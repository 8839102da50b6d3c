/** Renders a check {@link Report} as text (for people) or one JSON object (for tools). */
import { match } from 'ts-pattern';
import { headline } from '../check/describe.ts';
import { propertyOf, type Verdict } from '../check/verdict.ts';
import { renderCycle, renderTrace } from '../trace/text.ts';
import { toItf, type Itf } from '../trace/itf.ts';
import type { Report } from '../check/check.ts';
import type { Stats } from '../explore/options.ts';

export const paramsText = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' ');

const violation = (v: Verdict): string | undefined =>
  match(v)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, () => undefined)
    .with({ kind: 'deadlock' }, () => `deadlock`)
    .with({ kind: 'safety' }, (v) => `invariant:${v.property}`)
    .with({ kind: 'unreached' }, (v) => `unreached:${v.property}`)
    .exhaustive();

export function summary(s: Stats): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const p = s.collisionProbability === 0 ? `0 (exact)` : s.collisionProbability.toExponential(1);
  return `states ${n(s.states)}, transitions ${n(s.transitions)}, depth ${s.depth}, ${s.seconds.toFixed(2)} s, ` +
    `${n(s.states / Math.max(s.seconds, 1e-9))} states/s, ${s.bytesPerState.toFixed(1)} B/state, p(collision) ${p}`;
}

export function textReport(r: Report): string {
  const inst = r.instance;
  const lines = [`${inst.model.name}${Object.keys(inst.params).length ? ` ${paramsText(inst.params)}` : ''}`, headline(r.verdict, r.stats)];
  if (r.trace !== undefined) lines.push('', ...renderTrace(inst, r.trace));
  if (r.verdict.kind === 'deadlock' && r.verdict.cycle !== undefined) lines.push('', 'wait-for cycle:', ...renderCycle(inst, r.verdict.cycle));
  for (const p of r.instance.properties) {
    if (p.kind !== 'sometimes') continue;
    const w = r.witnesses.get(p.name);
    if (w !== undefined) lines.push(`sometimes '${p.name}': reached after ${w.length} steps`);
  }
  if (r.trace !== undefined) {
    const params = Object.entries(inst.params).map(([k, v]) => ` --param ${k}=${String(v)}`).join('');
    lines.push('', `replay: kmc check ${inst.model.name}${params}`);
  }
  lines.push('', summary(r.stats));
  return lines.join('\n') + '\n';
}

export function itfOf(r: Report): Itf | null {
  if (r.trace === undefined) return null;
  return toItf(r.instance, r.trace, {
    status: r.verdict.kind, violation: violation(r.verdict),
    cycle: r.verdict.kind === 'deadlock' ? r.verdict.cycle : undefined,
  });
}

export function jsonReport(r: Report): string {
  const s = r.stats;
  return JSON.stringify({
    model: r.instance.model.name,
    params: r.instance.params,
    verdict: r.verdict.kind,
    property: propertyOf(r.verdict) ?? null,
    states: s.states,
    transitions: s.transitions,
    depth: s.depth,
    seconds: s.seconds,
    statesPerSecond: s.states / Math.max(s.seconds, 1e-9),
    bytesPerState: s.bytesPerState,
    collisionProbability: s.collisionProbability,
    trace: itfOf(r),
  }, null, 2) + '\n';
}
