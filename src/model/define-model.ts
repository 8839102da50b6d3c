/**
 * A kmc model: parameters, and a `setup` that declares the state, the actors and the
 * properties for one choice of parameters. The default export of a file under `models/`.
 *
 * @example
 * export default defineModel({
 *   name: 'abba',
 *   doc: 'two tasks take two mutexes in opposite orders',
 *   params: {},
 *   setup(_p, sys) {
 *     const a = mutex(sys, 'A'), b = mutex(sys, 'B');
 *     sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
 *     sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
 *     return [];
 *   },
 * });
 */
import type { Property } from './property.ts';
import type { Expectation } from './expectation.ts';
import type { ParamSpecs, ParamValues } from './params.ts';
import type { System } from './system.ts';
import { recordDefinition } from './source.ts';

export interface Model<P extends ParamSpecs = ParamSpecs> {
  readonly kind: 'kmc-model';
  readonly name: string;
  readonly doc: string;
  readonly params: P;
  setup(params: ParamValues<P>, sys: System): readonly Property[] | void;
  /** Expected verdict per property (name or first word, or `deadlock`) for these parameters; see `kmc test`. */
  expect?(params: ParamValues<P>): Readonly<Record<string, Expectation>>;
  /**
   * The parameter sets `kmc test` checks `expect()` on (each over the defaults); without it,
   * only the defaults. List the configurations whose verdicts you want pinned in CI.
   */
  readonly configurations?: readonly Partial<ParamValues<P>>[];
  /**
   * Steps that may never fire in these parameters, each with the reason (`kmc test` fails on
   * any other step a complete search never fired). A key that is a step's name as the coverage
   * list gives it (`actor: frame > … > label`, `#n` where positions share the path and label)
   * names that step alone; any other key abbreviates names (the actor, outer frames or the
   * number left out: `user: filemap_fault > folio_lock(A)`, `user: folio_lock(A)`) and names
   * every step it abbreviates. A key that also names a step that fired, or names none, excuses
   * nothing and fails the coverage check.
   */
  mayBeUnreached?(params: ParamValues<P>): Readonly<Record<string, string>>;
  /** Built-in properties the library adds (lockdep's rules), turned off by name: `{ 'invalid context': false }`. */
  readonly builtins?: Readonly<Record<string, false>>;
}

/** A model's declaration; `params` may be left out when the model has none. */
export function defineModel<const P extends ParamSpecs = {}>(spec: Omit<Model<P>, 'kind' | 'params'> & { readonly params?: P }): Model<P> {
  const model: Model<P> = { kind: 'kmc-model', ...spec, params: spec.params ?? ({} as P) };
  recordDefinition(model as unknown as Model, defineModel);
  return model;
}

/** What is wrong with the shape of a loaded model (a JavaScript file is not type-checked), or undefined. */
export function modelShapeError(m: Model): string | undefined {
  if (typeof m.name !== 'string' || m.name === '') return 'defineModel({...}) needs a name';
  if (typeof m.setup !== 'function') return `model '${m.name}': defineModel({...}) needs setup(params, sys)`;
  if (typeof m.params !== 'object' || m.params === null) return `model '${m.name}': params must be an object of parameter declarations`;
  return undefined;
}

export const isModel = (x: unknown): x is Model =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'kmc-model';
