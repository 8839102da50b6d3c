/**
 * `--reduce por` with the independence it had before commuting writes (steps of different
 * actors independent only when they touch disjoint fields): the benchmark's "before" column.
 * The instance is narrowed to one property as `kmc check --property` narrows it.
 */
import { instantiate, resolveParams } from '../src/state/instance.ts';
import { DEADLOCK, propertiesNamed } from '../src/model/property.ts';
import { FastBfs } from '../src/explore/bfs.ts';
import { drain } from '../src/explore/options.ts';
import { partialOrder } from '../src/explore/por.ts';
import type { Model } from '../src/model/define-model.ts';

export function disjointStates(model: Model, params: Readonly<Record<string, string | number | boolean>>, property: string): number {
  const inst = instantiate(model, resolveParams(model, params));
  const named = property === DEADLOCK ? [] : propertiesNamed(inst.properties, property);
  const witnesses = inst.properties.filter((p) => p.kind === 'sometimes' && !named.includes(p));
  const narrowed = { ...inst, properties: [...named, ...witnesses].filter((p) => p.kind !== 'leadsTo' && p.kind !== 'space') };
  const deadlock = property === DEADLOCK;
  return drain(new FastBfs(narrowed, { deadlock, reduction: partialOrder(narrowed, { deadlock, independence: 'disjoint' }) }).run()).stats.states;
}
