/**
 * The checker's terminal verb: explore every interleaving of a model and return the verdict,
 * the statistics and, for a violation, the shortest counterexample rebuilt as a trace.
 *
 * @example
 * const r = check(philosophers, { params: { n: 5 } });
 * r.verdict.kind   // 'deadlock'
 * r.trace?.steps   // five mutex_lock steps
 */
import { exploreFast } from '../explore/bfs.ts';
import { exploreReference } from '../explore/reference.ts';
import { instantiate, resolveParams, type Instance } from '../model/instance.ts';
import { reconstruct, type Trace } from '../trace/reconstruct.ts';
import { pathOf, withPath, type Path, type Verdict } from './verdict.ts';
import { fewestSwitches } from '../trace/minimize.ts';
import { DEADLOCK } from './property.ts';
import { UsageError } from '../util/errors.ts';
import type { Model } from '../model/define-model.ts';
import type { ExploreOptions, Stats } from '../explore/options.ts';

export interface CheckOptions extends ExploreOptions {
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** `fast` (default) or the slow `reference` explorer, for cross-checking. */
  readonly explorer?: 'fast' | 'reference';
  /** Check only this property (`deadlock` for deadlocks only); the others are not evaluated. */
  readonly property?: string;
}

export interface Report {
  readonly instance: Instance;
  readonly verdict: Verdict;
  readonly stats: Stats;
  /** The counterexample, when the verdict has one. */
  readonly trace: Trace | undefined;
  readonly witnesses: ReadonlyMap<string, Path>;
}

export function check(model: Model, opts: CheckOptions = {}): Report {
  const instance = only(instantiate(model, resolveParams(model, opts.params ?? {})), opts.property);
  const explore = { ...opts, deadlock: opts.property === undefined || opts.property === DEADLOCK ? opts.deadlock : false };
  const r = (opts.explorer === 'reference' ? exploreReference : exploreFast)(instance, explore);
  const found = pathOf(r.verdict);
  const path = found && fewestSwitches(instance, r.verdict, found);
  const verdict = path === undefined || path === found ? r.verdict : withPath(r.verdict, path);
  return { instance, verdict, stats: r.stats, witnesses: r.witnesses, trace: path && reconstruct(instance, path) };
}

/** The instance with only `property` left to check, plus the `sometimes` witnesses (so a "holds" is never hollow). */
function only(inst: Instance, property: string | undefined): Instance {
  if (property === undefined) return inst;
  const witnesses = inst.properties.filter((x) => x.kind === 'sometimes' && x.name !== property);
  if (property === DEADLOCK) return { ...inst, properties: witnesses };
  const p = inst.properties.find((x) => x.name === property || x.name.split(' ')[0] === property);
  if (p === undefined)
    throw new UsageError(`--property ${property}: model '${inst.model.name}' has no such property (it has: ${[DEADLOCK, ...inst.properties.map((x) => `'${x.name}'`)].join(', ')})`);
  return { ...inst, properties: [p, ...witnesses.filter((w) => w !== p)] };
}
