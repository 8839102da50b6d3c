/**
 * @internal The fast explorer's state view: a base view over the state being expanded, and
 * drafts over one scratch buffer. `set` on the base copies it into the scratch; every `set`
 * bumps the scratch generation and returns a fresh view, so an older view of the same draft is
 * detectably stale (KMC006) rather than silently changed.
 */
import { ModelError } from '../util/errors.ts';
import type { Instance } from '../model/instance.ts';
import type { ActorRef, ArrayVar, Var } from '../model/vars.ts';
import type { EngineState } from './engine-state.ts';

export class Scratch {
  gen = 0;
  readonly buf: Int32Array;
  constructor(readonly inst: Instance) { this.buf = new Int32Array(inst.layout.slots); }
}

const stale = (): never => { throw new ModelError('KMC006', `a step kept using a state after calling set() on it`); };

export class SlotState implements EngineState {
  /** `gen < 0`: an immutable base view; otherwise a draft valid while `gen === sc.gen`. */
  constructor(readonly buf: Int32Array, readonly sc: Scratch, readonly gen: number) {}

  get(v: Var | ArrayVar, i = 0): number {
    if (this.gen >= 0 && this.gen !== this.sc.gen) stale();
    if (v.kind === 'array' ? i >>> 0 >= v.length : i !== 0) throw new ModelError('KMC012', `${v.name}[${i}]`);
    return this.buf[v.slot + i]!;
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
    return this.#write(v.slot + i, val);
  }

  #write(slot: number, val: number): SlotState {
    const sc = this.sc;
    if (this.gen < 0) sc.buf.set(this.buf);
    else if (this.gen !== sc.gen) stale();
    sc.buf[slot] = val;
    return new SlotState(sc.buf, sc, ++sc.gen);
  }

  done(actor: ActorRef): boolean { return this.pcOf(actor.id) === this.sc.inst.actors[actor.id]!.end; }

  at(actor: ActorRef, name: string): boolean {
    const a = this.sc.inst.actors[actor.id]!;
    const pc = a.labels.get(name);
    if (pc === undefined) throw new ModelError('KMC004', `at(${actor.name}, '${name}'): no label '${name}' resting at a step (labels: ${[...a.labels.keys()].join(', ') || 'none'})`);
    return this.pcOf(actor.id) === pc;
  }

  pcOf(actor: number): number {
    if (this.gen >= 0 && this.gen !== this.sc.gen) stale();
    return this.buf[this.sc.inst.actors[actor]!.pcSlot]!;
  }

  withPc(actor: number, pc: number): SlotState { return this.#write(this.sc.inst.actors[actor]!.pcSlot, pc); }
}
