/** Loads the scenario table (`models/scenarios.ts`) and renders a row's counterexample files. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, describeExpectation, describeOutcome, type Outcome, type Scenario } from '../check/expect.ts';
import { UsageError } from '../util/errors.ts';
import { loadModel, MODELS, moduleFile } from './load-model.ts';
import { itfOf, stableTextReport } from '../trace/report.ts';
import { wrap } from '../trace/text.ts';
import type { CheckOptions, Report } from '../check/check.ts';

export async function scenarioTable(): Promise<readonly Scenario[]> {
  return ((await import(pathToFileURL(moduleFile(join(MODELS, 'scenarios'))).href)) as { scenarios: readonly Scenario[] }).scenarios;
}

export async function findScenario(id: string): Promise<Scenario> {
  const all = await scenarioTable();
  const s = all.find((x) => x.id === id);
  if (s === undefined) throw new UsageError(`--scenario ${id}: no such row (rows: ${all.map((x) => x.id).join(', ')})`);
  return s;
}

/** Every expected verdict of the row, each property checked on its own. */
export async function runScenario(s: Scenario, extra: Readonly<Record<string, string>> = {}, opts: CheckOptions = {}): Promise<Outcome[]> {
  return compare(await loadModel(s.model), { ...s.params, ...extra }, s.expect, opts);
}

/** One line per property: `  P1: expected violated, got violated(10)`. */
export const resultLines = (rs: readonly Outcome[]): string[] =>
  rs.map((o) => `  ${o.property}: expected ${describeExpectation(o.expected)}, got ${describeOutcome(o.report)}${o.surprise ? '  *** differs from the table ***' : ''}`);

/** The pasteable text of a row's counterexample (deterministic: no timings); `params`: the `--param` flags the row was run with. */
export function counterexampleText(s: Scenario, r: Report, params: readonly string[] = []): string {
  const body = stableTextReport(r).replace(/\nreplay: [^\n]*(\n[^\n]+)*\n/, '\n');
  return [
    ...wrap(`${s.id}: ${s.title}`, 72),
    ...(s.note ? wrap(s.note, 72) : []),
    '',
    body.trimEnd(),
    '',
    `replay: kmc check --scenario ${s.id}${params.map((p) => ` --param ${p}`).join('')}`,
    `states explored: ${r.stats.states}`,
    '',
  ].join('\n');
}

export function counterexampleItf(s: Scenario, r: Report): string {
  const itf = itfOf(r);
  if (itf === null) return 'null\n';
  return JSON.stringify({ ...itf, '#meta': { ...itf['#meta'], scenario: s.id, title: s.title } }, null, 2) + '\n';
}
