/**
 * The three kinds of failure kmc distinguishes (style rule 9):
 * - a user mistake (bad parameter, unknown model) is a {@link UsageError} (exit 1, no stack);
 * - a mistake in a model is a {@link ModelError} with a catalogued code (exit 2, no stack);
 * - a bug in kmc itself is an {@link invariant} failure (exit 255, with stack).
 */

/** Catalogue of model-author mistakes. The code is printed with every {@link ModelError}. */
export const MODEL_ERRORS = {
  KMC001: `value outside the declared domain`,
  KMC002: `a step's guard or effect threw`,
  KMC003: `control flow loops without an atomic step`,
  KMC004: `goto names an unknown label`,
  KMC005: `ret(value) outside a call or task that declares a result`,
  KMC006: `a state was used after it was updated (states are values: use the state set() returned)`,
  KMC007: `duplicate name`,
  KMC008: `a choice arm must begin with an atomic step`,
  KMC009: `the file is not a kmc model`,
  KMC010: `break outside a loop`,
  KMC011: `an effect must return a State`,
  KMC012: `index outside an array variable`,
  KMC013: `bad model declaration`,
  KMC014: `the model is not deterministic`,
  KMC015: `a guard, condition or property must return a boolean`,
  KMC016: `the model's setup threw`,
} as const;

export type ModelErrorCode = keyof typeof MODEL_ERRORS;

const MODEL_ERROR = Symbol.for(`kmc.ModelError`);

/**
 * A mistake in a model (or a model file), reported in one line with its code. Recognised by
 * `instanceof` across copies of this module (a model file loaded on its own imports its own).
 */
export class ModelError extends Error {
  override readonly name = `ModelError`;
  readonly [MODEL_ERROR] = true;
  static override [Symbol.hasInstance](x: unknown): boolean { return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MODEL_ERROR] === true; }
  /** @param located the detail already says where in the model it happened */
  constructor(readonly code: ModelErrorCode, readonly detail: string, readonly located = false) {
    super(`${code} ${MODEL_ERRORS[code]}: ${detail}`);
  }
}

/** A mistake in how kmc was asked to run (an unknown parameter, a bad value); the CLI exits 1. */
export class UsageError extends Error {
  override readonly name = `UsageError`;
}

/** A file kmc was asked to write could not be written (a read-only file system, no permission, a full disk); the CLI exits 3. */
export class WriteError extends Error {
  override readonly name = `WriteError`;
}

/** Engine invariant: throws `Assertion failed: …` (a kmc bug, never the user's fault). */
export function invariant(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`Assertion failed: ${msg}`);
}
