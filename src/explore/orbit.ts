/**
 * @internal What the symmetry-reduced search needs besides the canonicaliser (`symmetry.ts`):
 * properties checked over the orbit of a state (a renamed view of it), the reduced search's
 * paths mapped back to runs of the model as declared, and the partial-order reduction's
 * visibility closed under the renaming.
 */
import { ModelError, UsageError } from '../util/errors.ts';
import { SlotState } from '../state/slot-state.ts';
import { Successors } from './successors.ts';
import type { Canon, Renaming } from './symmetry.ts';
import type { Instance } from '../state/instance.ts';
import type { Property } from '../model/property.ts';
import type { State } from '../model/state.ts';
import type { ActorRef, ArrayVar, Var } from '../model/vars.ts';
import type { Path } from './verdict.ts';
import type { Analysis } from './por-analysis.ts';

/** p·s, read through `s`: slot x of p·s is slot `from[x]` of s, its actor ids renamed. */
class Permuted implements State {
  readonly #c: Canon;
  readonly #s: State;
  readonly #from: Int32Array;
  readonly #amap: Int32Array;
  readonly #ainv: Int32Array;
  constructor(c: Canon, s: State, r: Renaming) {
    this.#c = c; this.#s = s;
    this.#from = r.from; this.#amap = r.amap; this.#ainv = r.ainv;
  }
  get(v: Var | ArrayVar, i = 0): number {
    if (v.kind === 'array' ? i >>> 0 >= v.length : i !== 0) return this.#s.get(v as ArrayVar, i);
    const x = v.slot + i, y = this.#from[x]!;
    return this.#c.rename(x, this.#s.get(slotVar(this.#c.inst, y)), this.#amap);
  }
  test(v: Var | ArrayVar, i = 0): boolean { return this.get(v as ArrayVar, i) !== 0; }
  set(): State { throw new Error('Assertion failed: a property wrote the state'); }
  #actor(a: ActorRef): ActorRef { return this.#c.inst.actors[this.#ainv[a.id]!]!.ref; }
  done(a: ActorRef): boolean { return this.#s.done(this.#actor(a)); }
  at(a: ActorRef, name: string): boolean {
    const pc = this.#c.inst.actors[a.id]!.labels.get(name), src = this.#actor(a);
    if (pc === undefined || src.id === a.id) return this.#s.at(src, name);
    // the same resting point of the member's actor, whose label may be named after its own file
    for (const [other, at] of this.#c.inst.actors[src.id]!.labels) if (at === pc) return this.#s.at(src, other);
    throw new Error(`Assertion failed: label '${name}' has no counterpart in ${src.name}`);
  }
  mightSleep(a: ActorRef): boolean { return this.#s.mightSleep(this.#actor(a)); }
}

const vars = new WeakMap<Instance, Var[]>();
/** A handle that reads slot `y` (array elements and pcs included). */
function slotVar(inst: Instance, y: number): Var {
  let v = vars.get(inst);
  if (v === undefined) { v = inst.layout.slotName.map((name, slot) => ({ kind: 'var', name, domain: inst.slotDomain[slot]!, slot, actor: undefined })); vars.set(inst, v); }
  return v[y]!;
}

/**
 * The instance the reduced search runs: each `always` property must hold in every state of the
 * orbit, a `sometimes` property is witnessed by any of them (a property that reads one member
 * is thus checked for each). Refuses what it cannot check over orbits (transition properties).
 */
export function orbitInstance(inst: Instance, c: Canon): Instance {
  const els = c.elements().map((p) => c.renaming(p));
  const trans = inst.properties.filter((p) => p.kind === 'transition').map((p) => `'${p.name}'`);
  if (trans.length) throw new UsageError(`--symmetry: transition properties (${trans.join(', ')}) are not checked over orbits; check them without --symmetry, or pick another property with --property`);
  const over = (p: Property): Property => {
    if (p.kind === 'always') return { ...p, pred: (s: State) => els.every((g) => p.pred(new Permuted(c, s, g))) };
    if (p.kind === 'sometimes') return { ...p, pred: (s: State) => els.some((g) => p.pred(new Permuted(c, s, g))) };
    return p;
  };
  const init = new Successors(inst).initial().buf, x = c.unfixedSlot(init);
  if (x >= 0) throw new ModelError('KMC013', `symmetric: the initial state is not symmetric (${inst.layout.slotName[x]} changes when the members are permuted)`);
  return { ...inst, properties: inst.properties.map(over) };
}

/**
 * A run of the model as declared for a path of the reduced search: step by step, the first
 * enabled edge whose successor has the next representative; then, if `end` does not hold at its
 * last state, the run renamed by the element that makes it hold (the same run with the members
 * swapped). Returns undefined if no such run exists (a declaration that is not a symmetry).
 */
export function concretePath(c: Canon, path: Path, end: (s: SlotState, succ: Successors) => boolean): Path | undefined {
  const inst = c.inst, succ = new Successors(inst);
  const states: Int32Array[] = [succ.initial().buf.slice()], out: number[] = [];
  let rep = states[0]!.slice();
  for (const id of path) {
    const next = succ.step(new SlotState(rep, succ.sc, -1), inst.edges[id]!);
    if (next === undefined) return undefined;
    rep = next.buf.slice(); c.canon(rep);
    const want = Array.from(c.packed(rep));
    let found: { e: number; s: Int32Array } | undefined;
    succ.expand(new SlotState(states.at(-1)!, succ.sc, -1), (e, after) => {
      if (found !== undefined) return;
      const t = after.materialize(), k = t.slice(); c.canon(k);
      if (Array.from(c.packed(k)).every((w, i) => w === want[i])) found = { e: e.id, s: t };
    });
    if (found === undefined) return undefined;
    out.push(found.e); states.push(found.s);
  }
  const last = states.at(-1)!;
  if (end(new SlotState(last, succ.sc, -1), succ)) return out;
  const t = new Int32Array(c.S);
  for (const p of c.elements()) {
    c.apply(p, last, t);
    if (!end(new SlotState(t.slice(), succ.sc, -1), succ)) continue;
    // the same run, renamed by p: each step to exactly the renamed state
    const renamed: number[] = [];
    let cur = states[0]!;
    for (let i = 1; i < states.length; i++) {
      c.apply(p, states[i]!, t);
      const want = Array.from(c.packed(t));
      let found: { e: number; s: Int32Array } | undefined;
      succ.expand(new SlotState(cur, succ.sc, -1), (e, after) => {
        if (found !== undefined) return;
        const s = after.materialize();
        if (Array.from(c.packed(s)).every((w, j) => w === want[j])) found = { e: e.id, s };
      });
      if (found === undefined) return undefined;
      renamed.push(found.e); cur = found.s;
    }
    return renamed;
  }
  return undefined;
}

/**
 * `--reduce por` with `--symmetry`: the reduced search checks each property over the orbit, so
 * a step is visible if its renaming is visible to the property (`por.ts` computes visibility
 * for the property itself). The analysis's `visible` and `witnesses` are closed, in place,
 * under the renaming: a member's step takes the visibility of the same step of every member;
 * a step of an actor outside the members (whose arms the renaming may exchange, as writeback's
 * arms per file) takes that of all its actor's steps.
 */
export function closeVisibility(c: Canon, a: Pick<Analysis, 'visible' | 'witnesses'>): void {
  const inst = c.inst, g = inst.symmetry!;
  const edgesOf = (actor: number): number[] => inst.actors[actor]!.rests.flatMap((r) => r.edges.map((e) => e.id));
  const close = (ids: readonly number[]): void => {
    let vis = 0, wit = 0;
    for (const e of ids) { vis |= a.visible[e]!; wit |= a.witnesses[e]!; }
    for (const e of ids) { a.visible[e] = vis; a.witnesses[e] = wit; }
  };
  for (let k = 0; k < g.actors[0]!.length; k++) {
    const lists = g.actors.map((as) => edgesOf(as[k]!));
    for (let j = 0; j < lists[0]!.length; j++) close(lists.map((l) => l[j]!));
  }
  const members = new Set(g.actors.flatMap((as) => [...as]));
  for (let b = 0; b < inst.actors.length; b++) if (!members.has(b)) close(edgesOf(b));
}
