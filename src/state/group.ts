/**
 * @internal A declared symmetry (`sys.symmetric`, `model/symmetry.ts`) resolved against the
 * instance: per member, the slots that belong to it (its declarations, then element i of each
 * indexed array), in an order that is the same for every member, and its actors. Members of
 * different shapes are a model error, named by the first difference.
 */
import { ModelError } from '../util/errors.ts';
import type { CompiledActor } from '../model/compile.ts';
import type { Domain } from '../model/domain.ts';
import type { Field } from '../model/vars.ts';
import type { DeclaredSymmetry, SymmetryKind } from '../model/symmetry.ts';

export interface Group {
  readonly kind: SymmetryKind;
  /** Per member, its slots; slot k of every member plays the same part. */
  readonly blocks: readonly Int32Array[];
  /** Per member, its actor ids; actor k of every member runs the same program. */
  readonly actors: readonly Int32Array[];
}

/** An actor's program as far as the renaming needs it (labels by position: their names may name the member's file). */
const shape = (a: CompiledActor): string =>
  JSON.stringify([a.end, a.canEnd, a.entry, a.rests.map((r) => r.edges.length), [...a.labels.values()]]);

export function resolveGroup(d: DeclaredSymmetry, fields: readonly Field[], slotDomain: readonly Domain[], slotName: readonly string[], actors: readonly CompiledActor[]): Group {
  const n = d.members.length, bad = (what: string): never => { throw new ModelError('KMC013', `symmetric('${d.kind}', ${n}): ${what}`); };
  const blocks = d.members.map((m) => [...m.slots]);
  for (const x of d.indexed) {
    const f = typeof x === 'string' ? fields.find((g) => g.name === x) : x;
    if (f === undefined) bad(`indexed: no field '${String(x)}'`);
    if (f!.kind !== 'array' || f!.length !== n) bad(`indexed: '${f!.name}' is not an array of ${n} elements`);
    for (let i = 0; i < n; i++) blocks[i]!.push(f!.slot + i);
  }
  const owned = new Set<number>();
  blocks.forEach((b, i) => {
    if (d.members[i]!.actors.length === 0) bad(`member ${i} declares no actor (declare its actors inside member(${i}, …))`);
    for (const s of b) { if (owned.has(s)) bad(`${slotName[s]} belongs to two members`); owned.add(s); }
  });
  const pcOf = new Map(actors.map((a) => [a.pcSlot, a]));
  const role = (s: number): string => {
    const a = pcOf.get(s);
    return a ? `pc ${shape(a)}` : JSON.stringify(slotDomain[s]);
  };
  const first = blocks[0]!, firstActors = d.members[0]!.actors;
  for (let i = 1; i < n; i++) {
    const b = blocks[i]!, as = d.members[i]!.actors;
    if (b.length !== first.length) bad(`member ${i} declares ${b.length} slots, member 0 ${first.length}`);
    if (as.length !== firstActors.length) bad(`member ${i} declares ${as.length} actors, member 0 ${firstActors.length}`);
    b.forEach((s, k) => { if (role(s) !== role(first[k]!)) bad(`${slotName[s]} of member ${i} differs from ${slotName[first[k]!]} of member 0`); });
    as.forEach((a, k) => { if (first.indexOf(actors[firstActors[k]!]!.pcSlot) !== b.indexOf(actors[a]!.pcSlot)) bad(`actor ${actors[a]!.ref.name} of member ${i} is declared out of step with member 0`); });
  }
  return { kind: d.kind, blocks: blocks.map((b) => Int32Array.from(b)), actors: d.members.map((m) => Int32Array.from(m.actors)) };
}
