/**
 * The checker's terminal verb: explore every interleaving of a model and return the verdict,
 * the statistics and, for a violation, the shortest counterexample rebuilt as a trace.
 *
 * @example
 * const r = check(philosophers, { params: { n: 5 } });
 * r.verdict.kind   // 'deadlock'
 * r.trace?.steps   // five mutex_lock steps
 *
 * `checkAsync` does the same in slices, reporting progress and stopping with verdict
 * `incomplete` when its `signal` aborts (what `kmc check` does on SIGINT).
 */
import { checkSpace } from './space.ts';
import { scanSpace } from '../explore/space-scan.ts';
import { setImmediate } from 'node:timers/promises';
import { FastBfs } from '../explore/bfs.ts';
import { ReferenceBfs } from '../explore/reference.ts';
import { buildGraph } from '../explore/graph.ts';
import { reconstruct, type Trace } from '../explore/replay.ts';
import { isViolation, withPath, type Path, type Verdict } from '../explore/verdict.ts';
import { instantiate, resolveParams, type Instance } from '../state/instance.ts';
import { DEADLOCK, findProperty, type Property } from '../model/property.ts';
import { ModelError, UsageError } from '../util/errors.ts';
import { checkLeadsTo } from './liveness.ts';
import { endsIn, fewestSwitches } from './minimize.ts';
import { drain, type ExploreOptions, type ExploreResult, type Explorer, type Progress, type Stats } from '../explore/options.ts';
import type { Model } from '../model/define-model.ts';

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
  return drain(checking(model, opts));
}

export interface AsyncCheckOptions extends CheckOptions {
  /** Aborting ends the run with verdict `incomplete`; the reason is `signal.reason` if it is a string. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

export async function checkAsync(model: Model, opts: AsyncCheckOptions = {}): Promise<Report> {
  const stopped = (): string | undefined => (opts.signal?.aborted ? (typeof opts.signal.reason === 'string' ? opts.signal.reason : 'interrupted') : undefined);
  const it = checking(model, opts, stopped);
  for (;;) {
    const n = it.next();
    if (n.done) return n.value;
    opts.onProgress?.(n.value);
    await setImmediate();
  }
}

/** The whole check, in slices: yields progress between them and ends as soon as `stopped()` gives a reason. */
export function* checking(model: Model, opts: CheckOptions = {}, stopped: () => string | undefined = () => undefined): Generator<Progress, Report, void> {
  const t0 = performance.now();
  const instance = only(instantiate(model, resolveParams(model, opts.params ?? {})), opts.property);
  guardReduction(opts.reduction ?? 'none', instance.properties);
  const explore = { ...opts, deadlock: opts.property === undefined || opts.property === DEADLOCK ? opts.deadlock : false };
  const live = instance.properties.filter((p): p is Extract<Property, { kind: 'leadsTo' }> => p.kind === 'leadsTo');
  const space = instance.properties.filter((p): p is Extract<Property, { kind: 'space' }> => p.kind === 'space');
  const safety = { ...instance, properties: instance.properties.filter((p) => p.kind !== 'leadsTo' && p.kind !== 'space') };
  let r = yield* drive(opts.explorer === 'reference' ? new ReferenceBfs(safety, explore) : new FastBfs(safety, explore), stopped);
  if (live.length > 0 && (r.verdict.kind === 'ok' || r.verdict.kind === 'unreached')) r = yield* liveness(instance, live, r, opts, stopped);
  if (space.length > 0 && r.verdict.kind === 'ok') r = yield* wholeSpace(instance, space, r, opts, stopped);
  return report(instance, { ...r, stats: { ...r.stats, seconds: (performance.now() - t0) / 1000 } });
}

function* drive(ex: Explorer, stopped: () => string | undefined): Generator<Progress, ExploreResult, void> {
  const it = ex.run();
  for (;;) {
    const n = it.next();
    if (n.done) return n.value;
    yield n.value;
    const why = stopped();
    if (why !== undefined) return ex.stop(why);
  }
}

/** The report of a result: its path replayed (and held to the explorer's), then made easier to read. */
function report(instance: Instance, r: ExploreResult): Report {
  const v = r.verdict;
  if (!isViolation(v)) return { instance, verdict: v, stats: r.stats, witnesses: r.witnesses, trace: undefined };
  const explored = reconstruct(instance, v.path, r.checks);
  if (!endsIn(instance, v, explored.views))
    throw new ModelError('KMC014', `the ${v.kind === 'safety' ? `violation of '${v.property}'` : v.kind} found in exploration does not happen on replay of the same ${v.path.length} steps: its guards, effects or properties read something outside the state`);
  const path = v.kind === 'liveness' || v.kind === 'lockdep' ? v.path : fewestSwitches(instance, v, v.path);
  const trace = path === v.path ? explored : reconstruct(instance, path);
  return { instance, verdict: withPath(v, path), stats: r.stats, witnesses: r.witnesses, trace };
}

/** The instance with only `property` left to check, plus the `sometimes` witnesses (so a "holds" is never hollow). */
function only(inst: Instance, property: string | undefined): Instance {
  if (property === undefined) return inst;
  const witnesses = inst.properties.filter((x) => x.kind === 'sometimes' && x.name !== property);
  if (property === DEADLOCK) return { ...inst, properties: witnesses };
  const p = findProperty(inst.properties, property, `model '${inst.model.name}'`);
  return { ...inst, properties: [p, ...witnesses.filter((w) => w !== p)] };
}

/** Runs the liveness properties on the full state graph, after the safety checks passed. */
function* liveness(inst: Instance, live: readonly Extract<Property, { kind: 'leadsTo' }>[], safety: ExploreResult, opts: CheckOptions, stopped: () => string | undefined): Generator<Progress, ExploreResult, void> {
  const it = buildGraph(inst, live, opts.maxStates, opts.maxMemory);
  let n = it.next();
  for (; !n.done; n = it.next()) {
    yield n.value;
    const why = stopped();
    if (why !== undefined) return { ...safety, verdict: { kind: 'incomplete', reason: `${why} (in the liveness phase)` } };
  }
  const g = n.value;
  const stats = { ...safety.stats, graphBytesPerState: g.bytes / Math.max(1, g.n) };
  if (g.incomplete !== undefined) return { ...safety, stats, verdict: { kind: 'incomplete', reason: g.incomplete } };
  for (const [i, p] of live.entries()) {
    const lasso = checkLeadsTo(inst, g, p.name, i, p.fromInitOnly);
    if (lasso) return { ...safety, stats, verdict: lasso.verdict, checks: Uint8Array.from(lasso.states, (s) => g.checkByte(s)) };
  }
  return { ...safety, stats };
}

/** Runs the whole-space properties (lockdep's) on a scan of the whole space, after everything else held. */
function* wholeSpace(inst: Instance, props: readonly Extract<Property, { kind: 'space' }>[], done: ExploreResult, opts: CheckOptions, stopped: () => string | undefined): Generator<Progress, ExploreResult, void> {
  const it = scanSpace(inst, opts.maxStates, opts.maxMemory);
  let n = it.next();
  for (; !n.done; n = it.next()) {
    yield n.value;
    const why = stopped();
    if (why !== undefined) return { ...done, verdict: { kind: 'incomplete', reason: `${why} (in the lockdep phase)` } };
  }
  const scan = n.value;
  if (scan.incomplete !== undefined) return { ...done, verdict: { kind: 'incomplete', reason: `${scan.incomplete} (in the lockdep phase)` } };
  const v = checkSpace(inst, scan, props);
  return v === undefined ? done : { ...done, verdict: v, checks: undefined };
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
