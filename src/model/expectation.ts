/**
 * What a model (or a row of the scenario table) expects a property to come out as. `kmc test`
 * and `kmc check --expect` compare; anything else is a surprise — a fix that starts holding too.
 *
 * @example
 * expect: ({ ordered }) => ({ deadlock: ordered ? 'holds' : { violated: 2 } }),
 */
export type Expectation = 'holds' | 'violated' | 'unreached' | { readonly violated: number };
