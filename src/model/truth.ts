/** @internal A model predicate's answer, which must be a boolean (`'no'` is not false: KMC015). */
import { ModelError } from '../util/errors.ts';

export function truth(x: unknown, what: string): boolean {
  if (x === true || x === false) return x;
  throw new ModelError('KMC015', `${what} returned ${typeof x === 'string' ? `'${x}'` : String(x)}`);
}
