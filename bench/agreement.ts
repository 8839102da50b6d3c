/**
 * `agreement.ts <models> <seed>`: on larger random models, the fast vs the reference explorer
 * (states, transitions, depth, verdict and trace), and the full vs the reduced search
 * (`--reduce por`: verdict and trace), on models of shared variables and on models of actors
 * with variables of their own → one JSON line.
 */
import fc from 'fast-check';
import { build, localSpecs, modelSpecs } from '../src/test-util/random-model.ts';
import { outcomes } from '../src/test-util/agreement.ts';
import { check } from '../src/check/check.ts';
import type { Model } from '../src/model/define-model.ts';
import { LOCKDEP_OFF } from '../src/kernel/lockdep.ts';

const [runs, seed] = process.argv.slice(2).map(Number) as [number, number];
const t0 = performance.now();
let agreed = 0, largest = 0, reduced = 0, disagreement: unknown;
const reduction = (model: Model, deadlock: boolean): boolean => {
  const show = (r: ReturnType<typeof check>) => JSON.stringify({ v: r.verdict, t: r.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) });
  const full = check(model, { maxStates: 200_000, deadlock }), por = check(model, { maxStates: 200_000, deadlock, reduction: 'partial-order' });
  if (full.verdict.kind === 'incomplete') return true;   // a bound cuts the two searches at different states
  if (por.stats.states < full.stats.states) reduced++;
  return show(full) === show(por);
};
fc.check(fc.property(fc.oneof(modelSpecs({ actors: 5, vars: 4, depth: 3 }), localSpecs({ actors: 5, locals: 3, depth: 2 })), fc.boolean(), (spec, deadlock) => {
  const o = outcomes(build(spec), { maxStates: 200_000, deadlock });
  if (JSON.stringify(o.fast) !== JSON.stringify(o.reference)) { disagreement ??= { spec, deadlock, ...o }; return false; }
  // lockdep's whole-space rules (on with a mutex) are refused by the reduction: compare deadlocks and the model's own properties
  if (o.fast.kind !== 'error' && !reduction(spec.mutexes > 0 ? { ...build(spec), builtins: LOCKDEP_OFF } : build(spec), deadlock)) { disagreement ??= { spec, deadlock, reduction: 'the reduced search disagrees' }; return false; }
  agreed++;
  largest = Math.max(largest, o.fast.numbers?.[0] ?? 0);
  return true;
}), { seed, numRuns: runs, endOnFailure: true });
console.log(JSON.stringify({ agreed, largest, reduced, seconds: (performance.now() - t0) / 1000, disagreement }));
