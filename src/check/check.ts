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
import { pathOf, type Path, type Verdict } from './verdict.ts';
import type { Model } from '../model/define-model.ts';
import type { ExploreOptions, Stats } from '../explore/options.ts';

export interface CheckOptions extends ExploreOptions {
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** `fast` (default) or the slow `reference` explorer, for cross-checking. */
  readonly explorer?: 'fast' | 'reference';
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
  const instance = instantiate(model, resolveParams(model, opts.params ?? {}));
  const r = (opts.explorer === 'reference' ? exploreReference : exploreFast)(instance, opts);
  const path = pathOf(r.verdict);
  return { instance, verdict: r.verdict, stats: r.stats, witnesses: r.witnesses, trace: path && reconstruct(instance, path) };
}
