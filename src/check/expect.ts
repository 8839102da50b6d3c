/**
 * Expected verdicts: what a model (or a scenario row) says each property should come out as.
 * `kmc check --expect` and `kmc test` compare and fail on any surprise — a property that starts
 * holding after a fix is a surprise too, so the expectation gets updated with the fix.
 *
 * @example
 * expect: ({ ordered }) => ({ deadlock: ordered ? 'holds' : { violated: 2 } }),
 */
import { match, P } from 'ts-pattern';
import { check, type Report } from './check.ts';
import type { Model } from '../model/define-model.ts';

/** `holds`; `violated` (optionally with the shortest length); `unreached` (a `sometimes` never satisfied). */
export type Expectation = 'holds' | 'violated' | 'unreached' | { readonly violated: number };

export interface Outcome {
  readonly property: string;
  readonly expected: Expectation;
  readonly report: Report;
  readonly surprise: boolean;
}

export const describeExpectation = (e: Expectation): string =>
  match(e).with(P.string, (e) => e).with({ violated: P.number }, (e) => `violated(${e.violated})`).exhaustive();

/** What the report says about its property, in the same words. */
export const describeOutcome = (r: Report): string =>
  match(r.verdict)
    .with({ kind: 'ok' }, () => 'holds')
    .with({ kind: 'deadlock' }, { kind: 'safety' }, (v) => `violated(${v.path.length})`)
    .with({ kind: 'liveness' }, (v) => `violated(${v.path.length})`)
    .with({ kind: 'unreached' }, () => 'unreached')
    .with({ kind: 'incomplete' }, () => 'incomplete')
    .exhaustive();

export const meets = (r: Report, e: Expectation): boolean =>
  match(e)
    .with('holds', () => r.verdict.kind === 'ok')
    .with('violated', () => r.verdict.kind === 'deadlock' || r.verdict.kind === 'safety' || r.verdict.kind === 'liveness')
    .with('unreached', () => r.verdict.kind === 'unreached')
    .with({ violated: P.number }, (e) => (r.verdict.kind === 'deadlock' || r.verdict.kind === 'safety' || r.verdict.kind === 'liveness') && r.verdict.path.length === e.violated)
    .exhaustive();

/** Checks each expected property on its own (witnesses kept) and compares. Sorted by property name. */
export function compare(model: Model, params: Readonly<Record<string, string | number | boolean>>, expected: Readonly<Record<string, Expectation>>): Outcome[] {
  return Object.keys(expected).sort().map((property) => {
    const e = expected[property]!;
    const report = check(model, { params, property });
    return { property, expected: e, report, surprise: !meets(report, e) };
  });
}
