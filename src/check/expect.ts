/**
 * Expected verdicts, one runner for both places they are written: a model's `expect()` and the
 * rows of a scenario table. One search per configuration goes on until every property has its
 * first violation (`discoveries.ts`), and each expected property is held to what a search for
 * it alone reports (the model's `sometimes` witnesses kept); any other outcome is a surprise.
 * With the reference explorer or a reduction, which cannot go on past a violation, each
 * property is checked on its own.
 */
import { match, P } from 'ts-pattern';
import { isViolation } from '../explore/verdict.ts';
import { DEADLOCK } from '../model/property.ts';
import { check, explorerOf, propertyReport, type CheckOptions, type Report } from './check.ts';
import { capabilities } from '../explore/explorers.ts';
import type { Expectation } from '../model/expectation.ts';
import type { Model } from '../model/define-model.ts';

export interface Outcome {
  readonly property: string;
  readonly expected: Expectation;
  readonly report: Report;
  readonly surprise: boolean;
}

/** A row of a scenario table: a model, a configuration and the verdicts its authors reached. */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  /** Model name under `models/`. */
  readonly model: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Property (name or first word: `P1`, `W-a`, `deadlock`) → expected verdict. */
  readonly expect: Readonly<Record<string, Expectation>>;
  /** The property whose shortest counterexample is saved for this row. */
  readonly counterexample?: string;
  /** What the row leaves to another check (liveness) or how it reads the sources. */
  readonly note?: string;
}

export const describeExpectation = (e: Expectation): string =>
  match(e).with(P.string, (e) => e).with({ violated: P.number }, (e) => `violated(${e.violated})`).exhaustive();

/** What the report says about its property, in the same words. */
export const describeOutcome = (r: Report): string =>
  match(r.verdict)
    .with({ kind: 'ok' }, () => 'holds')
    .with({ kind: 'deadlock' }, { kind: 'livelock' }, { kind: 'safety' }, { kind: 'liveness' }, { kind: 'lockdep' }, (v) => `violated(${v.path.length})`)
    .with({ kind: 'unreached' }, () => 'unreached')
    .with({ kind: 'incomplete' }, () => 'incomplete')
    .exhaustive();

export const meets = (r: Report, e: Expectation): boolean =>
  match(e)
    .with('holds', () => r.verdict.kind === 'ok')
    .with('violated', () => isViolation(r.verdict))
    .with('unreached', () => r.verdict.kind === 'unreached')
    .with({ violated: P.number }, (e) => isViolation(r.verdict) && r.verdict.path.length === e.violated)
    .exhaustive();

/** Checks the expected properties, in one search, and compares, in the order they are written. */
export function compare(model: Model, params: Readonly<Record<string, string | number | boolean>>, expected: Readonly<Record<string, Expectation>>,
  opts: Omit<CheckOptions, 'params' | 'property'> = {}): Outcome[] {
  const alone = !capabilities[explorerOf(opts)].discovers || (opts.reduction ?? 'none') !== 'none';
  const all = alone ? undefined : check(model, { ...opts, params, continue: true, properties: Object.keys(expected) });
  return outcomes(all, expected, (property) => check(model, { ...opts, params, property }));
}

/**
 * The outcomes of `expected` read from a run that went on past its first violation (or ran for
 * one property: then only that one's), each other property asked of `alone`.
 */
export function outcomes(r: Report | undefined, expected: Readonly<Record<string, Expectation>>, alone: (property: string) => Report): Outcome[] {
  return Object.entries(expected).map(([property, e]) => {
    const report = r?.discoveries && (property !== DEADLOCK || r.discoveries.has(DEADLOCK)) ? propertyReport(r, property)
      : r?.asked?.property === property ? r : alone(property);
    return { property, expected: e, report, surprise: !meets(report, e) };
  });
}
