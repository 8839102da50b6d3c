/**
 * A family's design space, as `kmc matrix` prints it: fix variants as rows, properties (or
 * configurations checked for one property) as columns.
 */
import { match } from 'ts-pattern';
import { check, propertyReport, type Report } from './check.ts';
import { cell } from './describe.ts';
import { DEADLOCK, propertiesNamed } from '../model/property.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { valueLabel } from '../model/params.ts';
import type { Model } from '../model/define-model.ts';
import { thousands } from '../util/thousands.ts';

type Params = Readonly<Record<string, string | number | boolean>>;
export interface Column { readonly label: string; readonly property: string; readonly params?: Params }
export interface Family {
  readonly model: string;
  readonly title: string;
  /** Parameters every row is named by (their value in the row, or the default), before the row's other settings. */
  readonly primary: readonly string[];
  readonly columns: readonly Column[];
  /** One variant per row: the parameters it sets. */
  readonly rows: readonly Params[];
}

/** A row's name, from the docs of its parameter values (never written by hand, so never out of date). */
export function rowLabel(f: Family, model: Model, row: Params): string {
  const spec = (k: string) => {
    const p = model.params[k];
    if (p === undefined) throw new Error(`Assertion failed: family ${f.model}: no parameter '${k}'`);
    return p;
  };
  const primary = f.primary.map((k) => valueLabel(k, spec(k), row[k] ?? spec(k).default));
  const rest = Object.entries(row).filter(([k]) => !f.primary.includes(k)).map(([k, v]) => valueLabel(k, spec(k), v));
  return [...primary, ...rest].join(', ');
}

/** The header of a family's table. */
export const familyHeader = (f: Family): string[] => [`variant`, ...f.columns.map((c) => c.label), `states`];

/**
 * A variant's row (the parameters it sets): a cell per column, then the largest state count a
 * search explored. One search per configuration (the row's, and each column's own parameters)
 * answers every column on it (`discoveries.ts`).
 */
export function familyRow(f: Family, model: Model, row: Params): string[] {
  let states = 0;
  const configs = new Map<string, { params: Params; asked: string[]; report?: Report }>();
  const asked = f.columns.map((c) => {
    const params = resolveParams(model, { ...row, ...c.params });
    const props = instantiate(model, params).properties;
    if (c.property !== DEADLOCK && propertiesNamed(props, c.property).length === 0) return undefined;
    const key = JSON.stringify(params), config = configs.get(key) ?? { params, asked: [] };
    configs.set(key, config);
    config.asked.push(c.property);
    return config;
  });
  const cells = f.columns.map((c, i) => {
    const config = asked[i];
    if (config === undefined) return `n/a`;
    const all = config.report ??= check(model, { params: config.params, continue: true, properties: config.asked });
    states = Math.max(states, all.stats.states);
    const rep = propertyReport(all, c.property);
    return match(rep.verdict.kind).with('ok', () => `holds`).otherwise(() => cell(rep.verdict));
  });
  return [rowLabel(f, model, row), ...cells, thousands(states)];
}
