/** `agreement.ts <models> <seed>`: fast vs reference explorer on larger random models → one JSON line. */
import fc from 'fast-check';
import { build, modelSpecs } from '../src/test-util/random-model.ts';
import { outcomes } from '../src/test-util/agreement.ts';

const [runs, seed] = process.argv.slice(2).map(Number) as [number, number];
const t0 = performance.now();
let agreed = 0, largest = 0, disagreement: unknown;
fc.check(fc.property(modelSpecs({ actors: 5, vars: 4, depth: 3 }), fc.boolean(), (spec, deadlock) => {
  const o = outcomes(build(spec), { maxStates: 200_000, deadlock });
  if (JSON.stringify(o.fast) !== JSON.stringify(o.reference)) { disagreement ??= { spec, deadlock, ...o }; return false; }
  agreed++;
  largest = Math.max(largest, o.fast.numbers?.[0] ?? 0);
  return true;
}), { seed, numRuns: runs, endOnFailure: true });
console.log(JSON.stringify({ agreed, largest, seconds: (performance.now() - t0) / 1000, disagreement }));
