/**
 * @internal The reference explorer's state: a decoded Immutable.js map, read and written by
 * field name. Written for obviousness; shares no packing or hashing code with the fast path.
 */
import { Map as IMap } from 'immutable';
import { decodeValue, describeDomain, encodeValue, rangeOf } from '../model/domain.ts';
import { ModelError, invariant } from '../util/errors.ts';
import { localKey, pcNames, type Decoded } from './decode.ts';
import type { Instance } from './instance.ts';
import type { ActorRef, ArrayVar, Var } from '../model/vars.ts';
import type { EngineState } from './engine-state.ts';

export class ImmutableState implements EngineState {
  constructor(readonly value: Decoded, readonly inst: Instance) {}

  #path(v: Var | ArrayVar, i: number): (string | number)[] {
    if (v.kind === 'array') {
      if (!Number.isInteger(i) || i < 0 || i >= v.length) throw new ModelError('KMC012', `${v.name}[${i}]`);
      return [v.name, i];
    }
    if (i !== 0) throw new ModelError('KMC012', `${v.name}[${i}]`);
    if (v.actor === undefined) return [v.name];
    const an = this.inst.actors[v.actor]!.ref.name;
    return [an, localKey(v.name, an)];
  }

  get(v: Var | ArrayVar, i = 0): number {
    const x = encodeValue(v.domain, this.value.getIn(this.#path(v, i)), this.inst.ctx);
    invariant(x !== undefined, `decoded ${v.name} out of domain`);
    return x;
  }

  test(v: Var | ArrayVar, i = 0): boolean { return this.get(v as ArrayVar, i) !== 0; }

  set(v: Var | ArrayVar, a: number | boolean, b?: number | boolean): ImmutableState {
    const [i, x] = v.kind === 'array' ? [a as number, b as number | boolean] : [0, a];
    const path = this.#path(v, i);
    const n = typeof x === 'boolean' ? Number(x) : x;
    const [lo, hi] = rangeOf(v.domain, this.inst.ctx);
    if (!Number.isInteger(n) || n < lo || n > hi)
      throw new ModelError('KMC001', `${path.join('.')} := ${String(x)}, domain ${describeDomain(v.domain, this.inst.ctx)}`);
    return new ImmutableState(this.value.setIn(path, decodeValue(v.domain, n, this.inst.ctx)), this.inst);
  }

  done(actor: ActorRef): boolean { return this.pcOf(actor.id) === this.inst.actors[actor.id]!.end; }

  at(actor: ActorRef, name: string): boolean {
    const pc = this.inst.actors[actor.id]!.labels.get(name);
    if (pc === undefined) throw new ModelError('KMC004', `at(${actor.name}, '${name}'): no such resting label`);
    return this.pcOf(actor.id) === pc;
  }

  mightSleep(actor: ActorRef): boolean {
    const a = this.inst.actors[actor.id]!, pc = this.pcOf(actor.id);
    return pc !== a.end && a.rests[pc]!.sleeps;
  }

  pcOf(actor: number): number {
    const a = this.inst.actors[actor]!;
    return pcNames(a).indexOf((this.value.get(a.ref.name) as IMap<string, unknown>).get('pc') as string);
  }

  withPc(actor: number, pc: number): ImmutableState {
    const a = this.inst.actors[actor]!;
    return new ImmutableState(this.value.setIn([a.ref.name, 'pc'], pcNames(a)[pc]), this.inst);
  }
}
