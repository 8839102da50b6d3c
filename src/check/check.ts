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
import { exploreGraph } from '../explore/graph.ts';
import { checkLeadsTo } from './liveness.ts';
import type { Property } from './property.ts';
import type { ExploreResult } from '../explore/options.ts';
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
  /** State-space reduction; none exists yet, and any is refused with liveness properties (see `guardReduction`). */
  readonly reduction?: 'none' | 'symmetry' | 'partial-order';
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
  guardReduction(opts.reduction ?? 'none', instance.properties);
  const explore = { ...opts, deadlock: opts.property === undefined || opts.property === DEADLOCK ? opts.deadlock : false };
  const live = instance.properties.filter((p): p is Extract<Property, { kind: 'leadsTo' }> => p.kind === 'leadsTo');
  const safety = { ...instance, properties: instance.properties.filter((p) => p.kind !== 'leadsTo') };
  const r0 = (opts.explorer === 'reference' ? exploreReference : exploreFast)(safety, explore);
  const r = live.length === 0 || (r0.verdict.kind !== 'ok' && r0.verdict.kind !== 'unreached') ? r0 : liveness(instance, live, r0, opts.maxStates);
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

/** Runs the liveness properties on the full state graph, after the safety checks passed. */
function liveness(inst: Instance, live: readonly Extract<Property, { kind: 'leadsTo' }>[], safety: ExploreResult, maxStates: number | undefined): ExploreResult {
  const t0 = performance.now();
  const g = exploreGraph(inst, live, maxStates);
  const stats = { ...safety.stats, seconds: safety.stats.seconds + (performance.now() - t0) / 1000, graphBytesPerState: g.bytes / Math.max(1, g.n) };
  if (g.incomplete) return { ...safety, stats, verdict: { kind: 'incomplete', bound: `--max-states ${maxStates}` } };
  for (const [i, p] of live.entries()) {
    const v = checkLeadsTo(inst, g, p.name, i, p.fromInitOnly);
    if (v) return { ...safety, stats, verdict: v };
  }
  return { ...safety, stats };
}

/**
 * Soundness guard: symmetry and partial-order reductions preserve safety verdicts but not, in
 * general, liveness under fairness (a reduced graph can drop or invent fair cycles). None is
 * implemented; any requested together with a liveness property is refused, and says why.
 */
export function guardReduction(reduction: 'none' | 'symmetry' | 'partial-order', props: readonly Property[]): void {
  if (reduction === 'none') return;
  const live = props.filter((p) => p.kind === 'leadsTo').map((p) => `'${p.name}'`);
  if (live.length) throw new UsageError(`--reduction ${reduction}: refused with liveness properties (${live.join(', ')}): the reduction is not proven sound for fair-cycle detection; check them without it`);
  throw new UsageError(`--reduction ${reduction}: not implemented`);
}
