/**
 * @internal What a step means, for every explorer (the reference one included): its guard, its
 * effect, the control flow settled after it, the initial state, and model errors attributed to
 * the step that caused them. Generic over the state representation.
 */
import { ModelError } from '../util/errors.ts';
import { truth } from '../model/truth.ts';
import type { CompiledActor, Edge } from '../model/compile.ts';
import type { Instance } from '../state/instance.ts';
import type { EngineState } from '../state/engine-state.ts';

/** Resolves control continuations from `cont` on `s` and moves the actor's pc to where it rests. */
export function settle(a: CompiledActor, s: EngineState, cont: number): EngineState {
  for (;;) {
    const k = a.conts[cont]!;
    switch (k.kind) {
      case 'rest': return s.withPc(a.ref.id, k.pc);
      case 'end': return s.withPc(a.ref.id, a.end);
      case 'jump': cont = k.to; break;
      case 'branch': cont = truth(k.cond(s), `a branch condition`) ? k.then : k.else; break;
      case 'assign': s = s.set(k.v, k.value) as EngineState; cont = k.next; break;
      default: { const never: never = k; return never; }
    }
  }
}

/** The initial state: declared values, then each actor's entry control flow resolved in order. */
export function initial<S extends EngineState>(inst: Instance, base: S): S {
  let s: EngineState = base;
  for (const a of inst.actors) s = inContext(`initial state of ${a.ref.name}`, () => settle(a, s, a.entry));
  return s as S;
}

/** The step's guard on `s` (errors are the caller's to attribute). */
export const enabled = (e: Edge, s: EngineState): boolean => e.when === undefined || truth(e.when(s), `the guard`);

/** What an effect returned, if it is not a state of the kind it was given. */
export const badEffect = (t: unknown): never => { throw new ModelError('KMC011', `it returned ${String(t)}`); };

/** The successor of `s` by `e` (the guard is assumed to hold). Errors are the caller's to attribute. */
export function fire(inst: Instance, e: Edge, s: EngineState): EngineState {
  const t = e.then === undefined ? s : e.then(s);
  if (!(t instanceof Object) || typeof (t as EngineState).withPc !== 'function') badEffect(t);
  return e.staticPc >= 0 ? (t as EngineState).withPc(e.actor, e.staticPc) : settle(inst.actors[e.actor]!, t as EngineState, e.next);
}

/** Why a model that answers differently for the same state is not deterministic (KMC014). */
export const NOT_DETERMINISTIC = `its guards or effects read something outside the state (a counter in a closure, Math.random, Date)`;

export const stepWhere = (inst: Instance, e: Edge): string =>
  `step '${e.label}' of ${inst.actors[e.actor]!.ref.name}`;

/** Re-throws a failure of model code as a model error naming where it happened. */
export function attribute(err: unknown, where: string): never {
  if (err instanceof ModelError) {
    if (err.located) throw err;
    throw new ModelError(err.code, `${err.detail} [in ${where}]`, true);
  }
  if (err instanceof Error && err.message.startsWith('Assertion failed')) throw err;
  throw new ModelError('KMC002', `${where}: ${err instanceof Error ? err.message : String(err)}`, true);
}

/** Runs model code, attributing failures to `where`. */
export function inContext<T>(where: string, f: () => T): T {
  try { return f(); } catch (err) { return attribute(err, where); }
}
