/**
 * Model parameters: what `kmc check <model> --param key=value` can set. Each has a domain,
 * a default and a one-line doc shown by `kmc list`; each value of an enum parameter carries its
 * own doc, which `kmc list`, the design-space matrix and docs/models.md's lists print.
 *
 * @example
 * params: {
 *   n: param.int({ min: 2, max: 16, default: 5, doc: 'number of philosophers' }),
 *   wb: param.enum({ doc: 'writeback scheme', default: 'w0', values: {
 *     w0: 'mainline: no pin checks',
 *     w1_ok: 'wait for pins after folio_mkclean',
 *   } }),
 * }
 */
import { match } from 'ts-pattern';

export interface IntParam { readonly kind: 'int'; readonly min: number; readonly max: number; readonly default: number; readonly doc: string }
export interface BoolParam { readonly kind: 'bool'; readonly default: boolean; readonly doc: string }
export interface EnumParam<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
  /** Each value's own doc. */
  readonly docs: Readonly<Record<V, string>>;
  readonly default: V;
  readonly doc: string;
}
export type ParamSpec = IntParam | BoolParam | EnumParam;

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ParamValue<S extends ParamSpec> = S extends IntParam ? number : S extends BoolParam ? boolean : S extends EnumParam<infer V> ? V : never;
export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValue<P[K]> };

export const param = {
  int: (o: Omit<IntParam, 'kind'>): IntParam => ({ kind: 'int', ...o }),
  bool: (o: Omit<BoolParam, 'kind'>): BoolParam => ({ kind: 'bool', ...o }),
  /** `values`: each value with its doc (in the order given). */
  enum: <const V extends string>(o: { values: Readonly<Record<V, string>>; default: NoInfer<V>; doc: string }): EnumParam<V> =>
    ({ kind: 'enum', values: Object.keys(o.values) as V[], docs: o.values, default: o.default, doc: o.doc }),
};

/** How a table names one value of a parameter: an enum value's doc up to its first ': ', `name` / `no name`, or `name=value`. */
export const valueLabel = (name: string, p: ParamSpec, v: unknown): string =>
  match(p)
    .with({ kind: 'enum' }, (p) => (p.docs[v as string] ?? String(v)).split(': ')[0]!)
    .with({ kind: 'bool' }, () => (v ? name : `no ${name}`))
    .with({ kind: 'int' }, () => `${name}=${String(v)}`)
    .exhaustive();

/** Values a parameter accepts, for help and error messages: `2..16`, `true|false`, `W0|W1`. */
export const describeParam = (p: ParamSpec): string =>
  match(p)
    .with({ kind: 'int' }, (p) => `${p.min}..${p.max}`)
    .with({ kind: 'bool' }, () => `true|false`)
    .with({ kind: 'enum' }, (p) => p.values.join('|'))
    .exhaustive();

/** Parses one `--param` value; returns an error sentence instead of throwing. */
export function parseParam(name: string, p: ParamSpec, raw: string): { value: number | boolean | string } | { error: string } {
  const bad = { error: `--param ${name}=${raw}: expected ${describeParam(p)}` };
  return match(p)
    .with({ kind: 'int' }, (p) => {
      if (!/^-?\d+$/.test(raw)) return bad;
      const v = Number(raw);
      return v < p.min || v > p.max ? bad : { value: v };
    })
    .with({ kind: 'bool' }, () => (raw === 'true' || raw === 'false' ? { value: raw === 'true' } : bad))
    .with({ kind: 'enum' }, (p) => (p.values.includes(raw) ? { value: raw } : bad))
    .exhaustive();
}

/** The parameters as a Markdown list (docs/models.md's lists are this, tested): each with its doc, default and values. */
export const paramsMarkdown = (params: ParamSpecs): string =>
  Object.entries(params).map(([name, p]) => {
    const head = `- \`${name}\` (${describeParam(p)}, default \`${String(p.default)}\`): ${p.doc}`;
    return p.kind === 'enum' ? [head, ...p.values.map((v) => `  - \`${v}\`: ${p.docs[v]}`)].join('\n') : head;
  }).join('\n');
