/** Runs rows of the scenario table (`models/scenarios.ts`) and renders their counterexample files. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { match } from 'ts-pattern';
import { check, type Report } from '../check/check.ts';
import { cell } from '../check/describe.ts';
import { UsageError } from '../util/errors.ts';
import { loadModel, ROOT } from './load-model.ts';
import { itfOf, stableTextReport } from './output.ts';
import { wrap } from '../trace/text.ts';
import type { Scenario, Expected } from '../../models/scenarios.ts';

export interface PropertyResult { readonly property: string; readonly expected: Expected; readonly report: Report; readonly asExpected: boolean }

export async function scenarioTable(): Promise<readonly Scenario[]> {
  return ((await import(pathToFileURL(join(ROOT, 'models/scenarios.ts')).href)) as { scenarios: readonly Scenario[] }).scenarios;
}

export async function findScenario(id: string): Promise<Scenario> {
  const all = await scenarioTable();
  const s = all.find((x) => x.id === id);
  if (s === undefined) throw new UsageError(`--scenario ${id}: no such row (rows: ${all.map((x) => x.id).join(', ')})`);
  return s;
}

export const holds = (r: Report): boolean => r.verdict.kind === 'ok';

export async function runScenario(s: Scenario, extra: Readonly<Record<string, string>> = {}): Promise<PropertyResult[]> {
  const model = await loadModel(s.model);
  return Object.entries(s.expect).map(([property, expected]) => {
    const report = check(model, { params: { ...s.params, ...extra }, property });
    const asExpected = match(expected)
      .with('holds', () => holds(report))
      .with('violated', () => report.verdict.kind === 'deadlock' || report.verdict.kind === 'safety' || report.verdict.kind === 'liveness')
      .exhaustive();
    return { property, expected, report, asExpected };
  });
}

/** One line per property: `P1  expected violated  got violated(10)  as expected`. */
export const resultLines = (rs: readonly PropertyResult[]): string[] =>
  rs.map((r) => `  ${r.property}: expected ${r.expected}, got ${r.report.verdict.kind === 'ok' ? 'holds' : cell(r.report.verdict)}${r.asExpected ? '' : '  *** differs from the brief ***'}`);

/** The pasteable text of a row's counterexample (deterministic: no timings). */
export function counterexampleText(s: Scenario, r: Report): string {
  const body = stableTextReport(r).replace(/\nreplay: [^\n]*(\n[^\n]+)*\n/, '\n');
  return [
    ...wrap(`${s.id}: ${s.title}`, 72),
    ...(s.note ? wrap(s.note, 72) : []),
    '',
    body.trimEnd(),
    '',
    `replay: kmc check --scenario ${s.id}`,
    `states explored: ${r.stats.states}`,
    '',
  ].join('\n');
}

export function counterexampleItf(s: Scenario, r: Report): string {
  const itf = itfOf(r);
  if (itf === null) return 'null\n';
  return JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], scenario: s.id, title: s.title } }, null, 2) + '\n';
}
