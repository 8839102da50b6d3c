/**
 * `por-pairs.ts <model> <params as JSON> [property]`: what keeps the partial-order reduction's
 * stubborn sets large. Prints the analysis (its time, the pairs of steps that touch a common
 * field and how many of them commute) and, for the pairs of steps still dependent, the fields
 * they share, most frequent first, with an example pair each.
 */
import { loadModel } from '../src/cli/load-model.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { analyse } from '../src/explore/por-analysis.ts';

const [name, paramsJson = '{}', property] = process.argv.slice(2) as [string, string | undefined, string | undefined];
const model = await loadModel(name);
const inst = instantiate(model, resolveParams(model, JSON.parse(paramsJson) as Record<string, string | number | boolean>));
const t0 = performance.now();
const a = analyse(inst, { deadlock: property === undefined || property === 'deadlock' });
const seconds = (performance.now() - t0) / 1000;
const has = (s: Uint32Array, i: number): boolean => ((s[i >>> 5]! >>> (i & 31)) & 1) === 1;
const shared = (e: number, f: number): string[] => inst.layout.slotName.filter((_, i) =>
  (has(a.writes[e]!, i) && (has(a.reads[f]!, i) || has(a.writes[f]!, i))) || (has(a.reads[e]!, i) && has(a.writes[f]!, i)));
const step = (e: number): string => `${inst.actors[inst.edges[e]!.actor]!.ref.name}: ${inst.edges[e]!.label}`;
const by = new Map<string, { n: number; example: string }>();
const E = inst.edges.length;
let dependent = 0;
for (let e = 0; e < E; e++) for (let f = 0; f < E; f++) {
  if (inst.edges[e]!.actor === inst.edges[f]!.actor || !a.depends(e, f)) continue;
  dependent++;
  for (const slot of shared(e, f)) {
    const x = by.get(slot) ?? { n: 0, example: `${step(e)} / ${step(f)}` };
    x.n++; by.set(slot, x);
  }
}
console.log(`${E} steps, ${inst.actors.length} actors; analysis ${seconds.toFixed(1)} s; ${a.pairs().touching} pairs touch a common field, ${a.pairs().commuting} of them commute; ${dependent} dependent pairs in all`);
for (const [slot, x] of [...by].sort((p, q) => q[1].n - p[1].n).slice(0, 30)) console.log(`${String(x.n).padStart(6)}  ${slot}  (e.g. ${x.example})`);
