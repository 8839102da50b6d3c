/**
 * A family's design space, as `kmc matrix` prints it: fix variants as rows, properties (or
 * configurations checked for one property) as columns.
 */
import { match } from 'ts-pattern';
import { check } from './check.ts';
import { cell } from './describe.ts';
import { DEADLOCK, propertiesNamed } from '../model/property.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import type { Model } from '../model/define-model.ts';

type Params = Readonly<Record<string, string | number | boolean>>;
export interface Column { readonly label: string; readonly property: string; readonly params?: Params }
export interface Row { readonly variant: string; readonly params: Params }
export interface Family { readonly model: string; readonly title: string; readonly columns: readonly Column[]; readonly rows: readonly Row[] }

/** The header of a family's table. */
export const familyHeader = (f: Family): string[] => [`variant`, ...f.columns.map((c) => c.label), `states`];

/** A variant's row: a cell per column, then the largest state count any cell explored. */
export function familyRow(f: Family, model: Model, r: Row): string[] {
  let states = 0;
  const cells = f.columns.map((c) => {
    const params = { ...r.params, ...c.params };
    const props = instantiate(model, resolveParams(model, params)).properties;
    if (c.property !== DEADLOCK && propertiesNamed(props, c.property).length === 0) return `n/a`;
    const rep = check(model, { params, property: c.property });
    states = Math.max(states, rep.stats.states);
    return match(rep.verdict.kind).with('ok', () => `holds`).otherwise(() => cell(rep.verdict));
  });
  return [r.variant, ...cells, states.toLocaleString('en-US')];
}
