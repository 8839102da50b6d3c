/**
 * `por-pairs.ts <model> <params as JSON> [property]`: what keeps the partial-order reduction's
 * stubborn sets large. Runs the reduced search (deadlock checked unless a property is named)
 * and counts, over the states it expands fully with more than one enabled step, what brought
 * each actor into the sets tried there: a step of an actor in the set (enabled, or "off") and
 * the actor it brings in, at the resting point of its way where the step it depends on (or
 * that can enable it) is. Then the pairs of steps still dependent, by the fields they share,
 * with the analysis's counts (pairs that touch a common field, of them commuting).
 */
import { loadModel } from '../src/cli/load-model.ts';
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { analyse } from '../src/explore/por-analysis.ts';
import { stubbornSets } from '../src/explore/por.ts';
import { FastBfs } from '../src/explore/bfs.ts';
import { drain } from '../src/explore/options.ts';

const [name, paramsJson = '{}', property] = process.argv.slice(2) as [string, string | undefined, string | undefined];
const model = await loadModel(name);
const inst = instantiate(model, resolveParams(model, JSON.parse(paramsJson) as Record<string, string | number | boolean>));
const deadlock = property === undefined || property === 'deadlock';
const t0 = performance.now();
const a = analyse(inst, { deadlock });
const seconds = (performance.now() - t0) / 1000;
const blame = new Map<string, number>();
const at = (b: number, pc: number): string => { const act = inst.actors[b]!; return pc === act.end ? 'done' : act.rests[pc]!.edges.map((e) => e.label).join(' | '); };
let reasons = new Set<string>();
const inner = stubbornSets(inst, a, (e, b, rest, enabled) => {
  reasons.add(`${inst.actors[inst.edges[e]!.actor]!.ref.name}: ${inst.edges[e]!.label}${enabled ? '' : ' (off)'}  ->  ${inst.actors[b]!.ref.name} at ${at(b, rest)}`);
});
let full = 0;
const run = drain(new FastBfs(inst, { deadlock, reduction: { select: (ex, n, out, unwitnessed) => {
  reasons = new Set();
  const m = inner.select(ex, n, out, unwitnessed);
  if (m === n && n > 1) {
    full++;
    for (const key of reasons) blame.set(key, (blame.get(key) ?? 0) + 1);
  }
  return m;
}, proviso: inner.proviso, stays: inner.stays } }).run());
console.log(`reduced search: ${run.stats.states} states, ${full} expanded fully with more than one enabled step; the dependencies there, most frequent first:`);
for (const [k, n] of [...blame].sort((p, q) => q[1] - p[1]).slice(0, 25)) console.log(`${String(n).padStart(8)}  ${k}`);
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
console.log(`\n${E} steps, ${inst.actors.length} actors; analysis ${seconds.toFixed(1)} s; ${a.pairs().touching} pairs touch a common field, ${a.pairs().commuting} of them commute; ${dependent} dependent pairs in all`);
for (const [slot, x] of [...by].sort((p, q) => q[1].n - p[1].n).slice(0, 30)) console.log(`${String(x.n).padStart(6)}  ${slot}  (e.g. ${x.example})`);
