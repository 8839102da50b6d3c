/** Step coverage as the CLI shows it: text lines, JSON, and a JUnit case that fails on a step the model does not excuse. */
import { stepName, unexcused, type UnreachedStep } from '../check/coverage.ts';
import type { JunitCase } from './junit.ts';

/** The name of the coverage check wherever it is listed (`kmc test`, JUnit). */
export const COVERAGE = 'step coverage';

/** `unreached steps: N` and a line per step (with the model's reason, if it gives one); nothing when every step fired. */
export function coverageText(steps: readonly UnreachedStep[] | undefined): string {
  if (steps === undefined || steps.length === 0) return '';
  const lines = steps.map((s) => `  ${stepName(s)} (pc ${s.pc}; ${s.fn})${s.reason === undefined ? '' : ` — may be unreached: ${s.reason}`}`);
  const bad = unexcused(steps).length;
  return `\nunreached steps: ${steps.length}${bad < steps.length ? ` (${steps.length - bad} declared in mayBeUnreached)` : ''}\n${lines.join('\n')}\n`;
}

/** Per unreached step: actor, position, label, function and the model's reason (null if none); null when the search did not exhaust the space. */
export const coverageJson = (steps: readonly UnreachedStep[] | undefined): Record<string, unknown>[] | null =>
  steps === undefined ? null : steps.map((s) => ({ actor: s.actor, at: s.at, pc: s.pc, label: s.label, fn: s.fn, reason: s.reason ?? null }));

/** The JUnit case: fails when a step never fired and the model does not say it may not. */
export function coverageCase(suite: string, steps: readonly UnreachedStep[]): JunitCase {
  const bad = unexcused(steps);
  return { suite, name: COVERAGE, ...(bad.length ? { failure: { message: `${bad.length} step${bad.length > 1 ? 's' : ''} never fired`, text: bad.map((s) => `${stepName(s)} (${s.fn})`).join('\n') } } : {}) };
}
