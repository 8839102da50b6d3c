/**
 * What a step reads of the state it starts from: its guard and its effect run once more on a
 * recording view of the state. Writes stay in the view (the state itself is never updated), and
 * a field read after the step wrote it is not a read of the state. Branch conditions decided
 * after the step are not included. Used by contracts on reads (`guarded_by(..., { reads: true })`).
 */
import type { State } from './state.ts';
import type { ActorRef, ArrayVar, Var } from './vars.ts';

type Field = Var | ArrayVar;

class Recorder implements State {
  constructor(readonly base: State, readonly writes: ReadonlyMap<string, number | boolean>, readonly reads: Set<Field>) {}
  #read(v: Field, i: number | undefined): number | boolean {
    const w = this.writes.get(i === undefined ? v.name : `${v.name}[${i}]`);
    if (w !== undefined) return w;
    this.reads.add(v);
    return v.kind === 'var' ? this.base.get(v) : this.base.get(v, i!);
  }
  get(v: Var): number;
  get(v: ArrayVar, i: number): number;
  get(v: Field, i?: number): number { const x = this.#read(v, i); return typeof x === 'boolean' ? +x : x; }
  test(v: Var): boolean;
  test(v: ArrayVar, i: number): boolean;
  test(v: Field, i?: number): boolean { const x = this.#read(v, i); return typeof x === 'boolean' ? x : x !== 0; }
  set(v: Var, x: number | boolean): State;
  set(v: ArrayVar, i: number, x: number | boolean): State;
  set(v: Field, a: number | boolean, b?: number | boolean): State {
    const key = v.kind === 'var' ? v.name : `${v.name}[${String(a)}]`;
    return new Recorder(this.base, new Map(this.writes).set(key, v.kind === 'var' ? a : b!), this.reads);
  }
  done(actor: ActorRef): boolean { return this.base.done(actor); }
  at(actor: ActorRef, name: string): boolean { return this.base.at(actor, name); }
  mightSleep(actor: ActorRef): boolean { return this.base.mightSleep(actor); }
}

/** The fields `when` and `then` read of `before` (`then` only if `when` holds); code that throws reads what it read until then. */
export function readsOf(when: ((s: State) => boolean) | undefined, then: ((s: State) => State) | undefined, before: State): ReadonlySet<Field> {
  const reads = new Set<Field>(), view = new Recorder(before, new Map(), reads);
  try {
    if (when === undefined || when(view)) then?.(view);
  } catch { /* the step's own run reports its errors */ }
  return reads;
}
