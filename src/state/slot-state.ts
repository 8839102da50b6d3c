/**
 * @internal The fast explorer's state view. A base view reads the unpacked state being
 * expanded; a draft is that base plus an overlay of the slots a step wrote, so a successor
 * costs its changes, not a copy. Every `set` bumps the scratch generation and returns a fresh
 * view: an older view of the same draft is detectably stale (KMC006), never silently changed.
 */
import { ModelError } from '../util/errors.ts';
import type { Instance } from './instance.ts';
import type { ActorRef, ArrayVar, Var } from '../model/vars.ts';
import type { EngineState } from './engine-state.ts';

/**
 * Sees every read a model's code makes of a base state (not of its own writes): how the fast
 * explorer learns what a guard, an effect or a property depends on (`explore/memo.ts`).
 * `read` is a read of the value; `is` a test for one value only (`at`, `done`).
 */
export interface Tap {
  read(buf: Int32Array, slot: number): number;
  is(buf: Int32Array, slot: number, value: number): boolean;
}

export class Scratch {
  gen = 0;
  /** When set, base reads go through it (a cold path: memo misses and the reduction's analysis). */
  tap: Tap | undefined = undefined;
  /** The base the current draft overlays. */
  base: Int32Array;
  /** Written slots and their values, in first-write order (a draft writes each slot at most once here). */
  readonly slot: Int32Array;
  readonly val: Int32Array;
  n = 0;
  /** While a step's effect runs (`Successors.fire`): whether it has written through the state it was given. */
  effect = false;
  drafted = false;
  /** While the reduction's analysis runs code over every valuation (`enumerate.ts`): a failure only says the run has no value, so none is dressed up as a model error. */
  probing = false;
  constructor(readonly inst: Instance) {
    this.base = new Int32Array(inst.layout.slots);
    this.slot = new Int32Array(Math.max(1, inst.layout.slots));
    this.val = new Int32Array(Math.max(1, inst.layout.slots));
  }

  /** The draft `t` ends in, as (slot, value, slot, value, ...): its writes, none if `t` is a base view (the step wrote nothing). */
  writesOf(t: SlotState): number[] {
    const out: number[] = [];
    if (t.gen >= 0) for (let k = 0; k < this.n; k++) out.push(this.slot[k]!, this.val[k]!);
    return out;
  }

  /** Engine-side write into the current draft (no view allocated); `view.gen` must be current or the base. */
  write(view: SlotState, slot: number, val: number): void {
    if (view.gen < 0) { this.base = view.buf; this.n = 0; this.gen++; }
    else if (view.gen !== this.gen) stale();
    let k = 0;
    while (k < this.n && this.slot[k] !== slot) k++;
    if (k === this.n) { this.slot[this.n] = slot; k = this.n++; }
    this.val[k] = val;
  }
}

const stale = (): never => { throw new ModelError('KMC006', `a step kept using a state after calling set() on it`); };

/** An effect wrote twice through the state it was given, or returned it after writing: a write would be lost. */
export const lostWrite = (how: string): never => {
  throw new ModelError('KMC006', `${how}: that write would be lost (an effect returns one state: chain the writes, s.set(a, 1).set(b, 2))`);
};

export class SlotState implements EngineState {
  /** `gen < 0`: an immutable base view over `buf`; otherwise a draft valid while `gen === sc.gen`. */
  constructor(readonly buf: Int32Array, readonly sc: Scratch, readonly gen: number) {}

  #read(slot: number): number {
    const sc = this.sc;
    if (this.gen < 0) return sc.tap === undefined ? this.buf[slot]! : sc.tap.read(this.buf, slot);
    if (this.gen !== sc.gen) stale();
    for (let k = 0; k < sc.n; k++) if (sc.slot[k] === slot) return sc.val[k]!;
    return sc.tap === undefined ? sc.base[slot]! : sc.tap.read(sc.base, slot);
  }

  /** `read(slot) === value`, seen by a tap as a test of that one value. */
  #is(slot: number, value: number): boolean {
    const sc = this.sc;
    if (sc.tap === undefined) return this.#read(slot) === value;
    if (this.gen < 0) return sc.tap.is(this.buf, slot, value);
    if (this.gen !== sc.gen) stale();
    for (let k = 0; k < sc.n; k++) if (sc.slot[k] === slot) return sc.val[k] === value;
    return sc.tap.is(sc.base, slot, value);
  }

  get(v: Var | ArrayVar, i = 0): number {
    if (v.kind === 'array' ? i >>> 0 >= v.length : i !== 0) throw new ModelError('KMC012', `${v.name}[${i}]`);
    return this.#read(v.slot + i);
  }

  test(v: Var | ArrayVar, i = 0): boolean { return this.get(v as ArrayVar, i) !== 0; }

  set(v: Var | ArrayVar, a: number | boolean, b?: number | boolean): SlotState {
    let i = 0, x = a;
    if (v.kind === 'array') {
      i = a as number; x = b as number | boolean;
      if (i >>> 0 >= v.length) throw new ModelError('KMC012', `${v.name}[${i}]`);
    }
    const val = x === true ? 1 : x === false ? 0 : x;
    if ((val | 0) !== val) throw new ModelError('KMC001', `${v.name}${v.kind === 'array' ? `[${i}]` : ''} := ${String(x)} (not a small integer)`);
    if (this.gen < 0 && this.sc.effect) {
      if (this.sc.drafted) lostWrite(`set(${v.name}${v.kind === 'array' ? `[${i}]` : ''}) on the state the effect was given, which it had already written with set()`);
      this.sc.drafted = true;
    }
    return this.#write(v.slot + i, val);
  }

  #write(slot: number, val: number): SlotState {
    this.sc.write(this, slot, val);
    return new SlotState(this.buf, this.sc, ++this.sc.gen);
  }

  /** The full slot vector of this view. */
  materialize(): Int32Array {
    if (this.gen < 0) return this.buf.slice();
    if (this.gen !== this.sc.gen) stale();
    const out = this.sc.base.slice();
    for (let k = 0; k < this.sc.n; k++) out[this.sc.slot[k]!] = this.sc.val[k]!;
    return out;
  }

  done(actor: ActorRef): boolean { const a = this.sc.inst.actors[actor.id]!; return this.#is(a.pcSlot, a.end); }

  at(actor: ActorRef, name: string): boolean {
    const a = this.sc.inst.actors[actor.id]!;
    const pc = a.labels.get(name);
    if (pc === undefined) throw new ModelError('KMC004', `at(${actor.name}, '${name}'): no label '${name}' resting at a step (labels: ${[...a.labels.keys()].join(', ') || 'none'})`);
    return this.#is(a.pcSlot, pc);
  }

  mightSleep(actor: ActorRef): boolean {
    const a = this.sc.inst.actors[actor.id]!, pc = this.pcOf(actor.id);
    return pc !== a.end && a.rests[pc]!.sleeps;
  }

  pcOf(actor: number): number { return this.#read(this.sc.inst.actors[actor]!.pcSlot); }

  withPc(actor: number, pc: number): SlotState { return this.#write(this.sc.inst.actors[actor]!.pcSlot, pc); }
}
