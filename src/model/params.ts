/**
 * Model parameters: what `kmc check <model> --param key=value` can set. Each has a domain,
 * a default and a one-line doc shown by `kmc list`.
 *
 * @example
 * params: { n: param.int({ min: 2, max: 16, default: 5, doc: 'number of philosophers' }) }
 */
import { match } from 'ts-pattern';

export interface IntParam { readonly kind: 'int'; readonly min: number; readonly max: number; readonly default: number; readonly doc: string }
export interface BoolParam { readonly kind: 'bool'; readonly default: boolean; readonly doc: string }
export interface EnumParam<V extends string = string> { readonly kind: 'enum'; readonly values: readonly V[]; readonly default: V; readonly doc: string }
export type ParamSpec = IntParam | BoolParam | EnumParam;

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ParamValue<S extends ParamSpec> = S extends IntParam ? number : S extends BoolParam ? boolean : S extends EnumParam<infer V> ? V : never;
export type ParamValues<P extends ParamSpecs> = { readonly [K in keyof P]: ParamValue<P[K]> };

export const param = {
  int: (o: Omit<IntParam, 'kind'>): IntParam => ({ kind: 'int', ...o }),
  bool: (o: Omit<BoolParam, 'kind'>): BoolParam => ({ kind: 'bool', ...o }),
  enum: <const V extends string>(o: Omit<EnumParam<V>, 'kind'>): EnumParam<V> => ({ kind: 'enum', ...o }),
};

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
