/**
 * `--reduce por` with the rules it had before (by default the independence before commuting
 * writes: steps of different actors independent only when they touch disjoint fields; and
 * the enabling rule before necessary enabling sets): the benchmark's "before" columns.
 * The instance is narrowed to one property as `kmc check --property` narrows it.
 */
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { DEADLOCK, propertiesNamed } from '../src/model/property.ts';
import { FastBfs } from '../src/explore/bfs.ts';
import { drain } from '../src/explore/options.ts';
import { partialOrder } from '../src/explore/por.ts';
import type { Model } from '../src/model/define-model.ts';
import type { PorOptions } from '../src/explore/por-analysis.ts';

/** The rules before necessary enabling sets: code run over the declared domains, a disabled step needing every actor that may write what its guard reads. */
export const BEFORE_ENABLING: Partial<PorOptions> = { domains: 'declared', enabling: 'fields' };

/** The rules before dependency judged in the state at hand: the dependency tables alone. */
export const STATIC_DEPENDENCE: Partial<PorOptions> = { dependence: 'static' };

export function disjointStates(model: Model, params: Readonly<Record<string, string | number | boolean>>, property: string, rules: Partial<PorOptions> = { independence: 'disjoint', ...BEFORE_ENABLING }): number {
  const inst = instantiate(model, resolveParams(model, params));
  const named = property === DEADLOCK ? [] : propertiesNamed(inst.properties, property);
  const witnesses = inst.properties.filter((p) => p.kind === 'sometimes' && !named.includes(p));
  const narrowed = { ...inst, properties: [...named, ...witnesses].filter((p) => p.kind !== 'leadsTo' && p.kind !== 'space') };
  const deadlock = property === DEADLOCK;
  return drain(new FastBfs(narrowed, { deadlock, reduction: partialOrder(narrowed, { deadlock, ...rules }) }).run()).stats.states;
}
