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
import { setImmediate } from 'node:timers/promises';
import { match } from 'ts-pattern';
import { TEAM_MS } from '../explore/bfs.ts';
import { capabilities, explorer, type ExplorerName, type Search } from '../explore/explorers.ts';
import { reconstruct, spinsOf, type Trace } from '../explore/replay.ts';
import { isViolation, withPath, type Path, type Verdict } from '../explore/verdict.ts';
import { instantiate, resolveParams, type Instance } from '../state/instance.ts';
import { DEADLOCK, findProperty, propertiesNamed, type Property } from '../model/property.ts';
import { ModelError, UsageError } from '../util/errors.ts';
import { Watch } from './observed.ts';
import { Canon } from '../explore/symmetry.ts';
import { concretePath, orbitInstance } from '../explore/orbit.ts';
import { endsIn, minimising, switches } from './minimize.ts';
import { againInSecondSetup } from './again.ts';
import { drain, type ExploreOptions, type ExploreResult, type Explorer, type Progress, type Stats } from '../explore/options.ts';
import type { Reading } from '../explore/machine.ts';
import type { Tree } from '../explore/observer.ts';
import { sourceOf } from '../model/source.ts';
import { truth } from '../model/truth.ts';
import type { State } from '../model/state.ts';
import type { Model } from '../model/define-model.ts';
import { discoveries, type Discovery } from './discoveries.ts';
import { unreachedSteps, type UnreachedStep } from './coverage.ts';

export interface CheckOptions extends ExploreOptions {
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** `fast` (default) or the slow `reference` explorer, for cross-checking. */
  readonly explorer?: 'fast' | 'reference';
  /** Check only this property (`deadlock` for deadlocks only); the others are not evaluated. */
  readonly property?: string;
  /** Partial-order reduction (`'symmetry'` is the `symmetry` option); refused with liveness properties (see `guardReduction`). */
  readonly reduction?: 'none' | 'symmetry' | 'partial-order';
  /**
   * With `reduction: 'partial-order'` (`--reduce por` / `por-state`): `'static'` (default), a pair
   * of steps is dependent if it is in some reachable state; `'state'`, a pair dependent so is
   * asked again over the states the steps left out can lead to from the state at hand. `'state'`
   * explores fewer states where actors share locks (the four-task dio-mmap ring: 2.2x to 4.4x
   * fewer than the full search) at several times the cost per state (`explore/por.ts`).
   */
  readonly dependence?: 'static' | 'state';
  /**
   * With `reduction: 'partial-order'`: the cycle proviso (`explore/por.ts`). `'static'` (the
   * default with `dependence: 'static'`): a stubborn set with a step that closes a loop of its
   * actor's program is expanded fully. `'visited'` (the default with `dependence: 'state'`): a set
   * is not used if one of its steps stays within a loop of its actor's program and leads to a
   * state the search found no later than this one (fewer states: the three-task dio-mmap ring,
   * 474,760 against 498,142); in one thread (refused with `workers` > 1), the store in memory.
   */
  readonly proviso?: 'static' | 'visited';
  /**
   * Threads for the search (default 1). More than one needs a model loaded from a file
   * (`loadModel`), which each worker thread loads again; a model defined inline runs in one.
   */
  readonly workers?: number;
  /** With `workers` > 1: the workers search from the initial state, instead of taking over a search that proved big (tests, benchmarks). */
  readonly workersFromStart?: boolean;
  /** With `workers` > 1: how busy the machine's cores are (`explore/machine.ts`: the workers start when it has room for them; tests give readings of their own). */
  readonly machine?: () => Reading;
  /**
   * Go on past the first violation until every property has its first (`discoveries.ts`): the
   * report's `discoveries` has each property's own verdict. Not with `property`, the reference
   * explorer or a reduction.
   */
  readonly continue?: boolean;
  /** With `continue`: only these properties (names or first words, `deadlock` for the deadlock rule), plus the `sometimes` witnesses. */
  readonly properties?: readonly string[];
  /**
   * Symmetry reduction over the model's declared group (`sys.symmetric`): one state per orbit,
   * properties checked over the orbit, counterexamples mapped back to a run of the model. Safety
   * and deadlock only; in one thread; with `reduction: 'partial-order'` or without.
   */
  readonly symmetry?: boolean;
}

export interface Report {
  readonly instance: Instance;
  /** What the run could not do as asked, and why (e.g. `--workers` with a model defined inline). */
  readonly notes: readonly string[];
  readonly verdict: Verdict;
  readonly stats: Stats;
  /** The counterexample, when the verdict has one. */
  readonly trace: Trace | undefined;
  readonly witnesses: ReadonlyMap<string, Path>;
  /** What the run was asked to check (`--property`, `--no-deadlock`), so that a replay line can ask it again. */
  readonly asked?: { readonly property?: string; readonly deadlock: boolean };
  /** With `continue`: per property (and `deadlock`), what a search for it alone reports. */
  readonly discoveries?: ReadonlyMap<string, Discovery>;
  /** After a search that exhausted the space: the steps that never fired (empty: every step did). */
  readonly unreachedSteps?: readonly UnreachedStep[];
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
  const instance = among(only(instantiate(model, resolveParams(model, opts.params ?? {})), opts.property), opts.properties);
  const por = opts.reduction === 'partial-order', name = explorerOf(opts), can = capabilities[name];
  guardContinue(opts, name);
  guardReduction(opts.reduction ?? 'none', instance.properties);
  const canon = opts.symmetry === true ? symmetric(instance, opts) : undefined;
  const proviso = provisoOf(opts);
  const asksDeadlock = opts.properties === undefined ? opts.property === undefined || opts.property === DEADLOCK : opts.properties.includes(DEADLOCK);
  const explore = { ...opts, deadlock: asksDeadlock ? opts.deadlock : false };
  const watch = Watch.of(instance);
  guardStore(opts, name, watch !== undefined);
  const safety = { ...instance, properties: instance.properties.filter((p) => p.kind !== 'leadsTo' && p.kind !== 'space') };
  const source = sourceOf(model), parts = opts.workers ?? 1;
  const notes: string[] = parts > 1 && source === undefined && can.threads
    ? [`--workers ${parts} ignored: the model was not loaded from a file, so worker threads cannot load it again; it ran in one thread`] : [];
  const team = parts > 1 && source !== undefined && canon === undefined && opts.store !== 'compact' && proviso !== 'visited';
  // with symmetry the search checks each property over the orbit of the state it meets
  const orbitChecked = canon === undefined ? safety : orbitInstance(safety, canon);
  const discover = opts.continue === true;
  // the liveness graph and lockdep's record watch the safety search (with the liveness graph, in one thread)
  const watched = watch !== undefined && can.observes ? watch : undefined;
  // a violated property's own search reports the witnesses found before its violation: once every one is violated, the rest do not matter
  const slotsOnly = discover && opts.properties !== undefined && !instance.properties.some((p) => p.kind === 'sometimes' && opts.properties!.some((n) => propertiesNamed([p], n).length > 0));
  // a liveness or whole-space property's own search explores the whole space, its observers watching, and so does a
  // `sometimes` property's (it never stops early) up to --max-states: so does this one
  const exhaust = discover && (watch !== undefined || (!slotsOnly && (opts.maxStates ?? Infinity) < Infinity && instance.properties.some((p) => p.kind === 'sometimes')));
  const search = (maxDepth?: number, w?: Watch): Search => ({
    instance: orbitChecked, ...(opts.dependence === 'state' ? { dependence: 'state' as const } : {}), ...(proviso === undefined ? {} : { proviso }), maxStates: explore.maxStates, maxMemory: explore.maxMemory, deadlock: explore.deadlock, ...(opts.store === undefined ? {} : { store: opts.store }),
    ...(discover ? { discover: { exhaust, slotsOnly } } : {}), ...(maxDepth === undefined ? {} : { maxDepth }),
    ...(canon === undefined ? {} : { symmetry: { canon, declared: safety } }),
    // progress names the liveness graph when the search builds it (lockdep's record is the safety search's)
    ...(w === undefined ? {} : { observers: { observers: w.observers, phase: w.phase === 'lockdep' ? 'safety' : w.phase } }),
    ...(team && (w === undefined || w.inWorkers) ? { team: { parts, fromStart: opts.workersFromStart === true, ...(opts.machine === undefined ? {} : { machine: opts.machine }), source: source! } } : {}),
  });
  const first = explorer(name, search(undefined, watched));
  let r = yield* drive(first, stopped);
  if (por) {
    r = { ...r, stats: { ...r.stats, reduction: 'partial-order' } };
    if (isViolation(r.verdict)) {
      // the reduced graph's paths are paths of the full one: a full search to the same depth finds the first, shortest violation
      const d = r.verdict.kind === 'livelock' ? r.verdict.loop : r.verdict.path.length, full = yield* drive(explorer('fast', search(d)), stopped);
      if (isViolation(full.verdict)) {
        notes.push(`partial-order reduction: a violation at depth ${d} of the reduced search (${r.stats.states.toLocaleString('en-US')} states); the shortest counterexample recovered by a full search to depth ${d} (${full.stats.states.toLocaleString('en-US')} states)`);
        r = { ...full, stats: { ...r.stats, depth: full.stats.depth } };
      } else {
        const why = full.verdict.kind === 'incomplete' ? full.verdict.reason : full.verdict.kind;
        notes.push(`partial-order reduction: a violation at depth ${d} of the reduced search (${r.stats.states.toLocaleString('en-US')} states); the full search to depth ${d} that finds the shortest one stopped (${why}), so the counterexample shown is the reduced search's, not necessarily shortest`);
        r = { ...r, stats: { ...r.stats, notShortest: true } };
      }
    }
    if (r.witnesses.size > 0) notes.push(`partial-order reduction: the 'sometimes' witnesses are paths of the reduced search, not necessarily shortest`);
  }
  if (canon !== undefined) r = runOf(safety, canon, r);
  const searched = r;
  if (watched !== undefined && !watched.inWorkers && team && r.stats.seconds * 1000 >= TEAM_MS)
    notes.push(`--workers ${parts}: the search ran in one thread, where the liveness graph is built from its expansion`);
  // with discoveries the search went on over the whole space: each watched property's own finding is read off the observers, whatever else it found
  const seen = discover && watched !== undefined && r.verdict.kind !== 'incomplete' ? watched.findings(r, treeOf(first)) : undefined;
  if (watch !== undefined && watch.asks(r)) r = watched !== undefined ? watched.verdict(r, treeOf(first)) : yield* watchAfter(instance, watch, r, opts, stopped);
  const asked = { ...(opts.property === undefined ? {} : { property: opts.property }), deadlock: opts.deadlock !== false };
  const steps = searched.fired ? { unreachedSteps: unreachedSteps(instance, searched.fired) } : {};
  const found = discover ? discoveries(instance, searched, seen ?? new Map(), explore.deadlock !== false) : undefined;
  // the run's verdict is the first violation: with it, the witnesses a search that stopped there found (the later ones pass through violating states)
  if (found !== undefined && isViolation(r.verdict)) r = { ...r, witnesses: found.get(r.verdict.property)?.witnesses ?? r.witnesses };
  else if (found !== undefined && searched.found !== undefined && searched.found.size > 0) {
    // a search cut short after violations: the witnesses found before the first of them
    const first = Math.min(...[...searched.found.values()].map((f) => f.key));
    r = { ...r, witnesses: new Map([...r.witnesses].filter(([name]) => (searched.witnessKeys?.get(name) ?? Infinity) < first)) };
  }
  return { ...(yield* report(instance, { ...r, stats: { ...r.stats, seconds: (performance.now() - t0) / 1000 } }, stopped, notes)), notes, asked, ...(found ? { discoveries: found } : {}), ...steps };
}

/**
 * The partial-order reduction's cycle proviso (`proviso`: by default `visited` with dependence in
 * the state at hand, else `static`); undefined without the reduction. The visited proviso looks
 * successors' state ids up in one visited set as the search goes: one thread, in memory.
 */
function provisoOf(opts: CheckOptions): 'static' | 'visited' | undefined {
  if (opts.reduction !== 'partial-order') {
    if (opts.proviso !== undefined) throw new UsageError(`--proviso ${opts.proviso}: the cycle proviso is the partial-order reduction's; give --reduce por or por-state`);
    return undefined;
  }
  const proviso = opts.proviso ?? (opts.dependence === 'state' ? 'visited' : 'static'), who = opts.proviso === undefined ? '--reduce por-state' : '--proviso visited';
  if (proviso === 'visited' && (opts.workers ?? 1) > 1) throw new UsageError(`${who} runs in one thread (its cycle proviso looks successors up in the visited set as the search goes): give --workers 1 or leave it out${opts.proviso === undefined ? ', or give --proviso static' : ''}`);
  if (proviso === 'visited' && opts.store === 'compact') throw new UsageError(`--store compact keeps no state ids, which ${who}'s cycle proviso reads${opts.proviso === undefined ? ': give --proviso static' : ''}`);
  return proviso;
}

/** The explorer a check with `opts` runs (`explore/explorers.ts`). */
export const explorerOf = (opts: Pick<CheckOptions, 'explorer' | 'reduction'>): ExplorerName =>
  opts.explorer === 'reference' ? 'reference' : opts.reduction === 'partial-order' ? 'reduced' : 'fast';

/**
 * With `continue`: the report a search for `property` alone (its name or first word, or
 * `deadlock`) gives, its trace rebuilt; the statistics stay the shared search's.
 */
export function propertyReport(r: Report, property: string): Report {
  const name = property === DEADLOCK ? DEADLOCK : findProperty(r.instance.properties, property, `model '${r.instance.model.name}'`).name;
  const d = r.discoveries?.get(name);
  if (d === undefined) throw new UsageError(r.discoveries ? `property '${property}': not checked in this run (deadlocks were not checked)` : `property '${property}': the run did not go on past its first violation (--continue)`);
  // audited in the instance of its own search: the property and the witnesses (another property may be violated on its path)
  const notes: string[] = [];
  const own = drain(report(only(r.instance, name), { verdict: d.verdict, stats: r.stats, witnesses: d.witnesses, ...(d.checks ? { checks: d.checks } : {}) }, () => undefined, notes));
  return { ...r, ...own, notes: [...r.notes, ...notes], asked: { property, deadlock: r.asked?.deadlock ?? true } };
}

/** `symmetry`: the canonicaliser of the model's declared group, or a usage error naming what cannot go with it. */
function symmetric(inst: Instance, opts: CheckOptions): Canon {
  if (inst.symmetry === undefined) throw new UsageError(`--symmetry: model '${inst.model.name}' declares no interchangeable actors (sys.symmetric)`);
  const refuse: [boolean, string][] = [
    [opts.explorer === 'reference', `--symmetry and --reference contradict each other: the reference explorer explores every state`],
    [opts.continue === true, `--symmetry and --continue: each property's first violation needs its own search`],
    [(opts.workers ?? 1) > 1, `--symmetry runs in one thread: leave out --workers`],
  ];
  for (const [bad, why] of refuse) if (bad) throw new UsageError(why);
  const live = inst.properties.filter((p) => p.kind === 'leadsTo' || p.kind === 'space').map((p) => `'${p.name}'`);
  if (live.length) throw new UsageError(`--symmetry: refused with liveness and whole-space properties (${live.join(', ')}): a fair cycle or lockdep's record over orbits is not what the model does; check them without it, or pick a safety property with --property`);
  return new Canon(inst);
}

/**
 * The reduced search's result with its counterexample and witnesses as runs of the model as
 * declared (`concretePath`), which `report` then replays: the trace shown is a real run.
 */
function runOf(inst: Instance, canon: Canon, result: ExploreResult): ExploreResult {
  let r = result;
  const lost = (what: string): never => { throw new ModelError('KMC013', `symmetric('${inst.symmetry!.kind}'): the reduced search's ${what} is no run of the model: the declared members are not interchangeable`); };
  const pred = (name: string): ((s: State) => boolean) => (inst.properties.find((p) => p.name === name) as { pred: (s: State) => boolean }).pred;
  const witnesses = new Map([...r.witnesses].map(([name, path]) => [name, concretePath(canon, path, (s) => truth(pred(name)(s), `property '${name}'`)) ?? lost(`witness of '${name}'`)]));
  const stats = { ...r.stats, symmetry: inst.symmetry!.kind };
  // step coverage is left out: a step fires from a representative or not, whatever its renamings do
  const { fired: _, ...rest } = r;
  r = rest;
  const v = r.verdict;
  if (v.kind === 'safety') {
    const path = concretePath(canon, v.path, (s) => !truth(pred(v.property)(s), `property '${v.property}'`)) ?? lost(`violation of '${v.property}'`);
    return { ...r, verdict: { ...v, path }, witnesses, stats, checks: undefined };
  }
  if (v.kind === 'deadlock') {
    let cycle: typeof v.cycle;
    const path = concretePath(canon, v.path, (s, succ) => { succ.expand(s, () => {}); const d = succ.deadlock(s); cycle = d?.cycle; return d !== undefined; }) ?? lost('deadlock');
    return { ...r, verdict: { ...v, path, cycle }, witnesses, stats, checks: undefined };
  }
  return { ...r, witnesses, stats };
}

/** `continue` answers every property of the model, with an explorer that goes on past violations (the fast one) over the whole space. */
/** `store: 'compact'` needs the fast explorer in one thread, a memory budget, and no liveness or lockdep property (they read the BFS tree in memory). */
function guardStore(opts: CheckOptions, name: ExplorerName, watched: boolean): void {
  if (opts.store !== 'compact') return;
  if (name === 'reference') throw new UsageError(`--store compact and --reference contradict each other: the reference explorer keeps whole states in memory`);
  if ((opts.workers ?? 1) > 1) throw new UsageError(`--store compact runs in one thread: leave out --workers`);
  if (opts.maxMemory === undefined || !Number.isFinite(opts.maxMemory)) throw new UsageError(`--store compact sizes its table from --max-memory: give one`);
  if (watched) throw new UsageError(`--store compact checks safety properties and deadlock only: liveness and lockdep's whole-space rules need the state graph in memory (use --property to check one of the others)`);
}

function guardContinue(opts: CheckOptions, name: ExplorerName): void {
  if (opts.continue !== true) {
    if (opts.properties !== undefined) throw new UsageError(`a list of properties needs continue: true (one search that answers each)`);
    return;
  }
  if (opts.properties !== undefined && opts.property !== undefined) throw new UsageError(`give one property or a list of them, not both`);
  if (opts.property !== undefined) throw new UsageError(`--continue goes on until every property has its first violation: it cannot be combined with --property ${opts.property}`);
  const reduced = `--continue and --reduce contradict each other: the reduction keeps only what the properties see, so each property's first violation needs its own search`;
  if (!capabilities[name].discovers) {
    throw new UsageError(match(name)
      .with('reference', () => `--continue and --reference contradict each other: only the fast explorer goes on past a violation`)
      .with('reduced', () => reduced)
      .with('fast', () => { throw new Error('Assertion failed: the fast explorer goes on past violations'); })
      .exhaustive());
  }
  if ((opts.reduction ?? 'none') !== 'none') throw new UsageError(reduced);
}

/** The BFS tree of a search that fed observers. */
function treeOf(ex: Explorer): Tree {
  if (ex.tree === undefined) throw new Error('Assertion failed: observers read against an explorer that keeps no tree');
  return ex.tree();
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

/**
 * The report of a result: its path replayed (and held to the explorer's), then made easier to
 * read. Minimising yields like a phase; stopped (a signal) or out of budget, it keeps the path so
 * far and says so in a note.
 */
function* report(instance: Instance, r: ExploreResult, stopped: () => string | undefined, notes: string[]): Generator<Progress, Omit<Report, 'notes'>, void> {
  const v = r.verdict;
  if (!isViolation(v)) { againInSecondSetup(instance, v, r.witnesses); return { instance, verdict: v, stats: r.stats, witnesses: r.witnesses, trace: undefined }; }
  const explored = reconstruct(instance, v.path, r.checks, spinsOf(v));
  if (!endsIn(instance, v, explored.views))
    throw new ModelError('KMC014', `the ${v.kind === 'safety' ? `violation of '${v.property}'` : v.kind} found in exploration does not happen on replay of the same ${v.path.length} steps: its guards, effects or properties read something outside the state`);
  againInSecondSetup(instance, v, r.witnesses);
  let path = v.path;
  if (v.kind !== 'liveness' && v.kind !== 'lockdep') {
    const t0 = performance.now(), it = minimising(instance, v, v.path, stopped);
    for (let n = it.next(); ; n = it.next()) {
      if (n.done) {
        path = n.value.path;
        if (n.value.cut !== undefined) notes.push(`the counterexample's context switches were not all minimised (${n.value.cut}): it is a shortest one, with ${switches(instance, path)} switches`);
        break;
      }
      yield { phase: 'minimising', states: r.stats.states, depth: v.path.length, queue: 0, seconds: (performance.now() - t0) / 1000 };
    }
  }
  const trace = path === v.path ? explored : reconstruct(instance, path, undefined, spinsOf(v));
  return { instance, verdict: withPath(v, path), stats: r.stats, witnesses: r.witnesses, trace };
}

/** With `continue` and a list: the instance with the listed properties left, and the `sometimes` witnesses, in the model's order. */
function among(inst: Instance, names: readonly string[] | undefined): Instance {
  if (names === undefined) return inst;
  const wanted = new Set(names.filter((n) => n !== DEADLOCK).map((n) => findProperty(inst.properties, n, `model '${inst.model.name}'`)));
  return { ...inst, properties: inst.properties.filter((p) => wanted.has(p) || p.kind === 'sometimes') };
}

/** The instance with only `property` left to check, plus the `sometimes` witnesses (so a "holds" is never hollow). */
function only(inst: Instance, property: string | undefined): Instance {
  if (property === undefined) return inst;
  const witnesses = inst.properties.filter((x) => x.kind === 'sometimes' && x.name !== property);
  if (property === DEADLOCK) return { ...inst, properties: witnesses };
  const p = findProperty(inst.properties, property, `model '${inst.model.name}'`);
  return { ...inst, properties: [p, ...witnesses.filter((w) => w !== p)] };
}

/**
 * The liveness graph and lockdep's record, by a search of their own in this thread, after a
 * safety search that ran elsewhere (worker threads, the reference explorer) found nothing.
 */
function* watchAfter(inst: Instance, watch: Watch, safety: ExploreResult, opts: CheckOptions, stopped: () => string | undefined): Generator<Progress, ExploreResult, void> {
  const bfs = explorer('fast', { instance: { ...inst, properties: [] }, maxStates: opts.maxStates, maxMemory: opts.maxMemory, deadlock: false, observers: { observers: watch.observers, phase: watch.phase } });
  const r = yield* drive(bfs, stopped);
  if (r.verdict.kind === 'incomplete') return { ...safety, verdict: { kind: 'incomplete', reason: `${r.verdict.reason} (in the ${watch.phase} phase)` } };
  return watch.verdict(safety, treeOf(bfs));
}

/**
 * Soundness guard: the partial-order reduction (`explore/por.ts`) preserves safety, deadlock
 * and wait-for-cycle verdicts, but not, in general, liveness under fairness (a reduced graph
 * can drop or invent fair cycles), nor whole-space properties (lockdep's lock order over every
 * interleaving); it is refused together with either, and says why. Symmetry reduction is the
 * `symmetry` option (`--symmetry`).
 */
export function guardReduction(reduction: 'none' | 'symmetry' | 'partial-order', props: readonly Property[]): void {
  if (reduction === 'none') return;
  const flag = reduction === 'partial-order' ? '--reduce por' : `--reduce ${reduction}`;
  const live = props.filter((p) => p.kind === 'leadsTo').map((p) => `'${p.name}'`);
  if (live.length) throw new UsageError(`${flag}: refused with liveness properties (${live.join(', ')}): the reduction is not proven sound for fair-cycle detection; check them without it, or pick a safety property with --property`);
  const whole = props.filter((p) => p.kind === 'space').map((p) => `'${p.name}'`);
  if (whole.length) throw new UsageError(`${flag}: refused with whole-space properties (${whole.join(', ')}): lockdep's rules read every interleaving, which the reduction leaves out; check them without it, or pick a safety property with --property`);
  if (reduction === 'symmetry') throw new UsageError(`${flag}: symmetry reduction is --symmetry (the option symmetry: true)`);
}
