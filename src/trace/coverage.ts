/** Step coverage as the CLI shows it: text lines, JSON, and a JUnit case that fails on a step the model does not excuse or a `mayBeUnreached` key that is wrong. */
import { stepName, unexcused, type UnreachedStep } from '../check/coverage.ts';
import type { JunitCase } from './junit.ts';

/** The name of the coverage check wherever it is listed (`kmc test`, JUnit). */
export const COVERAGE = 'step coverage';

/**
 * `unreached steps: N` and a line per step, by its call path (with the model's reason, if it
 * gives one), then the wrong `mayBeUnreached` keys (`keyErrors`); nothing when every step fired
 * and every key is right.
 */
export function coverageText(steps: readonly UnreachedStep[] | undefined, errors: readonly string[] = []): string {
  const wrong = errors.length ? `\nmayBeUnreached errors: ${errors.length}\n${errors.map((e) => `  ${e}`).join('\n')}\n` : '';
  if (steps === undefined || steps.length === 0) return wrong;
  const lines = steps.map((s) => `  ${stepName(s)} (pc ${s.pc}; ${s.fn})${s.reason === undefined ? '' : ` — may be unreached: ${s.reason}`}`);
  const bad = unexcused(steps).length;
  return `\nunreached steps: ${steps.length}${bad < steps.length ? ` (${steps.length - bad} declared in mayBeUnreached)` : ''}\n${lines.join('\n')}\n${wrong}`;
}

/** Per unreached step: actor, position, call path, name, label, function and the model's reason (null if none); null when the search did not exhaust the space. */
export const coverageJson = (steps: readonly UnreachedStep[] | undefined): Record<string, unknown>[] | null =>
  steps === undefined ? null : steps.map((s) => ({ actor: s.actor, at: s.at, pc: s.pc, path: s.path, name: s.name, label: s.label, fn: s.fn, reason: s.reason ?? null }));

/** `mayBeUnreachedErrors` in `--json`, only when a key is wrong. */
export const keyErrorsJson = (errors: readonly string[]): { mayBeUnreachedErrors?: readonly string[] } => (errors.length ? { mayBeUnreachedErrors: errors } : {});

/** The JUnit case: fails when a step never fired and the model does not say it may not, or when a `mayBeUnreached` key is wrong. */
export function coverageCase(suite: string, steps: readonly UnreachedStep[], errors: readonly string[] = []): JunitCase {
  const bad = unexcused(steps);
  const message = [
    ...(bad.length ? [`${bad.length} step${bad.length > 1 ? 's' : ''} never fired`] : []),
    ...(errors.length ? [`${errors.length} mayBeUnreached key${errors.length > 1 ? 's' : ''} wrong`] : []),
  ].join('; ');
  return { suite, name: COVERAGE, ...(message ? { failure: { message, text: [...bad.map((s) => `${stepName(s)} (${s.fn})`), ...errors].join('\n') } } : {}) };
}
