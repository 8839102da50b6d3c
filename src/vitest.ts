/**
 * vitest matchers for kmc reports: `import 'kmc/vitest'` in a test file (or a setup file).
 *
 * @example
 * import { check } from 'kmc';
 * import 'kmc/vitest';
 * const r = await check(model, { params: { fault_lock: 'pagecache_kent' } });
 * expect(r).toHold('deadlock');
 * expect(r).toViolate('P1', { steps: 10 });
 * expect(r).toReach('a pinned folio is under writeback');
 *
 * Each matcher re-checks its one property on the report's model and parameters, so it answers
 * for that property even when the report stopped at another. A failure message is the
 * counterexample, as `kmc check` prints it; its replay line names the model's file (where the
 * model was defined, for a model the test imported) unless the model is one of kmc's own.
 */
import { expect } from 'vitest';
import { check, type Report } from './check/check.ts';
import { isViolation } from './explore/verdict.ts';
import { relative } from 'node:path';
import { isShippedFile, textReport, userModelFile } from './trace/report.ts';
import { definitionFile } from './model/source.ts';

const recheck = (r: Report, property: string): Report =>
  check(r.instance.model, { params: r.instance.params, property });

/** The model as `kmc check` takes it: the file of a user's model (not a test file, which does not export one model), else its name. */
const model = (r: Report): string | undefined => {
  const file = userModelFile(r.instance.model) ?? definitionFile(r.instance.model);
  return file !== undefined && !isShippedFile(file) && !/\.test\.[cm]?[jt]s$/.test(file) ? relative(process.cwd(), file) : undefined;
};

/** The report as `kmc check` prints it, its replay line naming the model's file. */
const text = (r: Report): string => textReport(r, { invokedAs: model(r) });

const violatedLength = (r: Report): number | undefined => (isViolation(r.verdict) ? r.verdict.path.length : undefined);

expect.extend({
  toHold(received: Report, property: string) {
    const r = recheck(received, property);
    const pass = r.verdict.kind === 'ok';
    return { pass, message: () => (pass ? `expected '${property}' not to hold, but it holds (${r.stats.states} states)` : `expected '${property}' to hold:\n${text(r)}`) };
  },
  toViolate(received: Report, property: string, opts: { steps?: number } = {}) {
    const r = recheck(received, property), n = violatedLength(r);
    const pass = n !== undefined && (opts.steps === undefined || n === opts.steps);
    return {
      pass,
      message: () => (n === undefined
        ? `expected '${property}' to be violated, but: ${r.verdict.kind} (${r.stats.states} states)`
        : pass ? `expected '${property}' not to be violated:\n${text(r)}` : `expected a shortest violation of ${opts.steps} steps, got ${n}:\n${text(r)}`),
    };
  },
  toReach(received: Report, witness: string) {
    const r = recheck(received, witness);
    const pass = r.verdict.kind !== 'unreached';
    return { pass, message: () => (pass ? `expected '${witness}' to be unreachable, but it is reached` : `no reachable state satisfies '${witness}' (${r.stats.states} states)`) };
  },
});

interface KmcMatchers<R = unknown> {
  /** The property holds in every reachable state (its witnesses reached). */
  toHold(property: string): R;
  /** The property is violated (with a shortest counterexample of `steps` steps, if given). */
  toViolate(property: string, opts?: { steps?: number }): R;
  /** Some reachable state satisfies the `sometimes` witness. */
  toReach(witness: string): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends KmcMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends KmcMatchers {}
}
