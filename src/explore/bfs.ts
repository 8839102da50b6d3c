/**
 * @internal The fast explorer: level-synchronous BFS over packed states, in one thread or in
 * several (`--workers N`: `parallel.ts`), with the same result either way (`part.ts`).
 *
 * Per stored state it keeps a 64-bit fingerprint (a partition of the visited set per part),
 * the parent's index, the edge id that reached it and one check byte of its fingerprint (for
 * replay); only the current and next BFS levels hold packed states. Traces are rebuilt by
 * replaying edge ids. Successors come from the successor function (through its memo,
 * `expander.ts`) in its fixed order, so runs are deterministic and the first violation found
 * is a shortest one: state checks (properties, deadlock) run when a state is expanded, in BFS
 * order; a transition violation found while expanding level d is reported at the end of that
 * level, since a state violation later in level d is shorter.
 */
import { pack } from '../state/layout.ts';
import { exactWidth } from '../state/fingerprint.ts';
import { DEADLOCK } from '../model/property.ts';
import { Successors } from './successors.ts';
import { BOARD, Counters, Part, TEAM_ROUND, type PartOptions, createMemory, gather, slotCells, witnessKey, type End, type Gathered, type Memory } from './part.ts';
import { declarationOf } from './declaration.ts';
import { stuck } from './livelock.ts';
import { Team, doneOf, teamMemory, type TeamEnd, type TeamSpec } from './parallel.ts';
import { barrier } from './barrier.ts';
import { Machine, type Reading } from './machine.ts';
import { SharedAcquisitions } from './acquisitions.ts';
import { COMPACT_LOAD } from '../state/compact-table.ts';
import { compactStore, type Store, type StoreTuning } from './store.ts';
import { SLICE_MS, type ExploreOptions, type ExploreResult, type Explorer, type Progress } from './options.ts';
import type { Reduction } from './por.ts';
import type { Observer, Tree } from './observer.ts';
import type { Instance } from '../state/instance.ts';
import type { Path, Verdict } from './verdict.ts';

export interface BfsOptions extends ExploreOptions {
  /** Follow only some enabled edges per state (partial-order reduction). */
  readonly reduction?: Reduction;
  /** Explore no deeper than this. */
  readonly maxDepth?: number;
  /**
   * Hand the search to worker threads once it proves big enough (see `FastBfs`), or
   * `fromStart` (tests and benchmarks: no phase in this thread).
   */
  readonly team?: {
    readonly spec: TeamSpec; readonly parts: number; readonly fromStart?: boolean;
    /** How busy the machine's cores are (`machine.ts`: the team starts when it has room; tests give readings of their own). */
    readonly machine?: () => Reading;
  };
  /** Go on past violations until every property has its first (`part.ts`); the result's `found` has them. */
  readonly discover?: boolean;
  /** With `discover`: explore the whole space even once every property is found (what observers need to see all of it). */
  readonly exhaust?: boolean;
  /** With `discover`: stop once every slot is found, witnesses or not. */
  readonly slotsOnly?: boolean;
  /** What else watches the expansion (the liveness graph, lockdep's record: `observer.ts`); with `team`, only observers that `adopt`. */
  readonly observers?: readonly Observer[];
  /** What progress calls the search (default `safety`). */
  readonly phase?: Progress['phase'];
  /** Symmetry reduction: one state per orbit (`symmetry.ts`); in one thread only. */
  readonly canon?: PartOptions['canon'];
  /** With `store: 'compact'`: tests shrink the exact phase and the chunks. */
  readonly storeTuning?: StoreTuning;
}

/**
 * A search starts in this thread and, with a team, starts its worker threads once a level in hand
 * holds this many states per part (twice `TEAM_LEVEL`: 32,768 with two threads): they load the
 * model again and warm up on the other cores while this thread searches on, and the search is
 * handed over at the first level still big enough when they are ready. A worker preparing slows
 * this thread's search even with a core free (docs/benchmark.md; compiled, dio-ring n=5: the main
 * thread's own CPU time over the search unchanged, 168 and 169 ms, its page faults too, but its
 * wait for a core up from 86 to 263 ms: the worker thread and V8's helper threads compiling and
 * collecting for it want more than the core left, which this isolate's helper threads already
 * share), so a search too small to gain must not start one. Counted in states, not in time: the
 * quick rows (whole process 0.5-0.7 s) peak below it (philosophers n=10: 16,670; dio-ring n=5:
 * 7,335; dio-mmap with 3 tasks: 15,324) and start nothing, while the rows of 1e6 states and more
 * pass it 0.3-1.2 s into the search (compiled, loaded machine: philosophers n=12 level 9, n=13
 * level 8, n=14 level 7; dio-ring n=6 level 21, n=7 level 15; dio-mmap's 4-task rows levels 25 and
 * 26), where kmc started the workers with the process before: their team takes over that much
 * later. Nor while other processes keep the machine's cores busy (`machine.ts`, read over windows
 * of 100 ms from the search's start): the team starts at the first level past the bound in a
 * window that leaves it room. Results do not depend on when.
 */
export const START_LEVEL = 2 * TEAM_ROUND;

/** About how long workers take to load the model (a check shorter than this is not handed over: `check.ts`'s note). */
export const TEAM_MS = 1000;

/**
 * Which searches stay in one thread: those that end before the workers are ready (they load the
 * model and warm up: 0.5 s to 2 s in a checkout, measured on the 2-core machine, idle to loaded),
 * and those whose levels stay below this many states to go per part: the search is handed over
 * at the first level that gives every part a team's round (`TEAM_ROUND`). A level costs a team
 * three barriers, each 11 to 18 us when both threads run (two threads meeting at `barrier()`
 * 20,000 times, on the 2-core machine), some 3 ms when a thread waits for a core, and its parts'
 * shares of it are uneven. Measured with a level of a one-thread round per part (2,048 states):
 * dio-mmap with 3 DIO tasks (1.0M states in 153 levels, the widest 15,324 states) ran 0.86-0.87x
 * one thread with the machine free, and 0.75x with the team from the initial state; with this
 * bound it stays in one thread. The big rows have levels of 16,384 states within their first
 * 20 levels (philosophers n=12: level 7; dio-ring n=6: level 17), long before a worker is ready.
 */
export const TEAM_LEVEL = TEAM_ROUND;

/** The level in hand is wide enough to start a team of `parts` (`START_LEVEL` states per part). */
export const wideLevel = (c: Pick<Counters, 'levelCount'>, parts: number): boolean => c.levelCount >= START_LEVEL * parts;

/** The level in hand is big enough for a team of `parts` (`TEAM_LEVEL` states per part). */
export const bigLevel = (c: Pick<Counters, 'levelCount' | 'cursor'>, parts: number): boolean => c.levelCount - c.cursor >= TEAM_LEVEL * parts;

/** The shared memory of a search with its initial state written. */
export function startMemory(inst: Instance, parts: number, discover = false): Memory {
  const mem = createMemory(parts, slotCells(inst, discover));
  const stateWords = Math.max(1, inst.layout.words), words = new Uint32Array(stateWords);
  pack(inst.layout, new Successors(inst).initial().buf, words, 0);   // in its domains: checked by initial()
  Part.init(mem, stateWords, words, inst.edges.length >= 0xffff);
  return mem;
}

export class FastBfs implements Explorer {
  readonly #inst: Instance;
  readonly #opts: BfsOptions;
  readonly #maxMemory: number;
  readonly #t0 = performance.now();
  readonly #mem: Memory;
  /** `--store compact`: the compact visited set and what went to disk. */
  readonly #store: Store | undefined;
  /** The part in this thread; after a handover, a viewer of the team's memory (it runs no rounds). */
  #part: Part;
  #team: Team | undefined;
  /** Parts running in workers (0: all in this thread). */
  #parts = 0;
  /** The memory handed to the workers. */
  #teamMem: Memory | undefined;
  /** With a team: how busy the machine's cores are (read from the search's start). */
  readonly #machine: Machine | undefined;

  constructor(inst: Instance, opts: BfsOptions = {}) {
    this.#inst = inst;
    if (opts.team !== undefined && opts.observers?.some((o) => o.adopt === undefined)) throw new Error('Assertion failed: an observer without adopt watches a search in one thread');
    if (opts.team !== undefined && opts.canon !== undefined) throw new Error('Assertion failed: symmetry reduction in worker threads');
    if (opts.store === 'compact' && (opts.team !== undefined || (opts.observers?.length ?? 0) > 0)) throw new Error('Assertion failed: a compact store in worker threads or watched by observers');
    this.#opts = opts;
    this.#maxMemory = opts.maxMemory ?? Infinity;
    this.#mem = startMemory(inst, 1, opts.discover === true);
    this.#store = opts.store === 'compact' ? compactStore(this.#maxMemory, opts.storeTuning) : undefined;
    this.#part = new Part(inst, { ...this.#partOptions(), ...(this.#store ?? {}) }, this.#mem, 0, 1);
    this.#machine = opts.team !== undefined && opts.team.fromStart !== true ? new Machine(opts.team.machine) : undefined;
  }

  /** Room on the machine for a team of `parts` (always, without a reading of it). */
  #room(parts: number): boolean { return this.#machine?.roomFor(parts) ?? true; }

  /** Worker threads that ran the search (0 if it ran in this thread). */
  get workers(): number { return this.#parts; }

  #partOptions() {
    const o = this.#opts;
    return {
      deadlock: o.deadlock !== false, maxStates: o.maxStates ?? Infinity, reduction: o.reduction,
      discover: o.discover === true, exhaust: o.exhaust === true, slotsOnly: o.slotsOnly === true,
      ...(o.maxDepth === undefined ? {} : { maxDepth: o.maxDepth }), ...(o.observers === undefined ? {} : { observers: o.observers }),
      ...(o.canon === undefined ? {} : { canon: o.canon }),
    };
  }

  /** The search's BFS tree (what the observers' results are read against). */
  tree(): Tree { return this.#part.tree(); }

  *run(): Generator<Progress, ExploreResult, void> {
    const part = this.#part, team = this.#opts.team;
    part.seed();
    let yieldAt = this.#t0 + SLICE_MS;
    try {
      if (team?.fromStart) {
        this.#team = new Team({ ...team.spec, declaration: declarationOf(this.#inst) }, team.parts);
        this.#team.waitReady();
        return yield* this.#handover(this.#team);
      }
      for (;;) {
        const step = part.round(noBarrier);
        if (step === 'end') return this.#stored(resultOf(this.#inst, part, part.end!, this.#t0, part.payload(), part.pending, { found: part.found, fired: part.fired }));
        if (team !== undefined && this.#team === undefined && wideLevel(part.counters, team.parts) && this.#room(team.parts))
          this.#team = new Team({ ...team.spec, declaration: declarationOf(this.#inst) }, team.parts);
        // a transition violation ends the search with this level, and its edge is this part's: no handover then
        // and not while the machine is busy: the team may wait for a window with room (it can hand over later, not back)
        if (this.#team?.ready && part.counters.pendingKey === Infinity && bigLevel(part.counters, team!.parts) && this.#room(team!.parts)) return yield* this.#handover(this.#team);
        if (performance.now() >= yieldAt) {
          if (this.#overMemory()) return this.stop(`--max-memory ${formatBytes(this.#maxMemory)} reached${this.#tableFull() ? ` (the compact table of ${formatBytes(4 * this.#store!.visited.cells)} is ${COMPACT_LOAD * 100}% full)` : ''}`);
          yield this.#progress();
          yieldAt = performance.now() + SLICE_MS;
        }
      }
    } finally {
      // after a search that ended, the workers go back to the pool; else (this thread failed, or the search was left) they are ended
      this.#team?.close();
      this.#store?.spill.close();
    }
  }

  /** With `--store compact`: the result's statistics say what was kept (the omission estimate instead of the fingerprints' collision's). */
  #stored(r: ExploreResult): ExploreResult {
    const s = this.#store;
    if (s === undefined) return r;
    s.spill.close();
    const stats = s.stats(r.stats.states);
    s.visited.release();
    return { ...r, stats: { ...r.stats, ...stats } };
  }

  /**
   * The team takes the search over where this thread stands: this thread runs part 0, the
   * workers the others, to the search's end.
   */
  *#handover(team: Team): Generator<Progress, ExploreResult, void> {
    const here = this.#part;
    this.#before = { found: here.found, fired: here.fired };
    const mem = teamMemory(this.#mem, here.levels(), team.parts, slotCells(this.#inst, this.#opts.discover === true), here.board, this.#opts.team?.spec.acquisitions === true);
    this.#teamMem = mem;
    const resume = { counters: here.counters, table: here.table.raw, unwitnessed: here.unwitnessed };
    team.start(mem, resume);
    this.#parts = team.parts;
    // part 0 records lock acquisitions in shared memory, as the workers do (the observers adopt them all when the search ends)
    this.#record = mem.acquisitions === undefined ? undefined : new SharedAcquisitions(this.#inst, mem.acquisitions[0]!);
    const { observers: _, ...opts } = this.#partOptions();
    // the memo stays warm: the new part's expander remembers what this one's did (the record of lock acquisitions has no predicates)
    const expander = this.#opts.observers?.some((o) => o.preds.length > 0) ? {} : { expander: here.expander };
    this.#part = new Part(this.#inst, { ...opts, ...expander, ...(this.#record ? { observers: [this.#record] } : {}) }, mem, 0, team.parts, resume);
    const ctrl = new Int32Array(mem.ctrl);
    this.#barrier = () => barrier(ctrl, team.parts, () => team.poll());
    for (let yieldAt = performance.now() + SLICE_MS; ;) {
      if (this.#part.round(this.#barrier) === 'end') break;
      if (performance.now() >= yieldAt) {
        if (this.#overMemory()) return this.stop(`--max-memory ${formatBytes(this.#maxMemory)} reached`);
        yield this.#progress();
        yieldAt = performance.now() + SLICE_MS;
      }
    }
    return this.#teamEnd(team);
  }

  /** The team's barrier, for this thread's part 0. */
  #barrier: () => void = noBarrier;
  /** Part 0's share of lockdep's record, in a team. */
  #record: SharedAcquisitions | undefined;

  /** After part 0's end: the workers' ends, and the search's. */
  #teamEnd(team: Team, reason?: string): ExploreResult {
    team.finish(doneOf(this.#part, this.#record));
    for (;;) {
      const end = team.wait(SLICE_MS);
      if (end !== undefined) return this.#ended(end, reason);
    }
  }

  /** What this thread's part found and fired before it handed the search over. */
  #before: Gathered | undefined;

  #ended(t: TeamEnd, reason?: string): ExploreResult {
    Object.assign(this.#part.counters, Counters.of(t.counters));
    const shared = this.#teamMem?.acquisitions;
    if (shared !== undefined) for (const o of this.#opts.observers ?? []) o.adopt?.(shared, t.kept);
    const r = resultOf(this.#inst, this.#part, t.end, this.#t0, t.event, t.pending, gather([...(this.#before ? [this.#before] : []), t.gathered]), reason);
    return { ...r, stats: { ...r.stats, workers: this.#parts } };
  }

  stop(reason: string): ExploreResult {
    const team = this.#team;
    if (this.#parts === 0 || team === undefined) { team?.close(); return this.#stored(resultOf(this.#inst, this.#part, { kind: 'stopped' }, this.#t0, undefined, undefined, { found: this.#part.found, fired: this.#part.fired }, reason)); }
    // part 0 reads the stop when it next expands; the parts stop together at the end of that round
    this.#part.board[BOARD.stop] = 1;
    while (this.#part.end === undefined && this.#part.round(this.#barrier) !== 'end');
    return this.#teamEnd(team, reason);
  }

  /** A table that doubles next would pass the bound, or the compact table is full (checked between slices). */
  #overMemory(): boolean {
    const p = this.#part, t = p.visited;
    if (this.#tableFull()) return true;
    return p.bytes() + (this.#parts === 0 && t.growsWith(p.counters.levelCount) ? 2 * t.bytes : 0) > this.#maxMemory;
  }

  /** The compact table would pass its largest load in the next slice (at most 2^20 states: a slice adds far fewer). */
  #tableFull(): boolean { return this.#store?.visited.fullWith(Math.min(this.#part.counters.levelCount, 2 ** 20)) === true; }

  #progress(): Progress {
    if (this.#parts > 0) {
      const b = this.#part.board;
      return { phase: this.#opts.phase ?? 'safety', states: b[BOARD.states]!, depth: b[BOARD.depth]! + 1, queue: b[BOARD.queue]!, seconds: (performance.now() - this.#t0) / 1000 };
    }
    const c = this.#part.counters;
    return { phase: this.#opts.phase ?? 'safety', states: c.states, depth: c.depth + 1, queue: c.levelCount - c.cursor + c.nextCount, seconds: (performance.now() - this.#t0) / 1000 };
  }
}

const noBarrier = (): void => {};

/** What a part's event payload is, wherever it came from (this thread or a worker's message). */
export type Payload = Part['event'];
export type PendingPayload = Part['pending'];

/** The result of a search that ended as `end` says; the event and pending payloads come from the part that holds them. */
export function resultOf(inst: Instance, part: Part, end: End, t0: number, event: Payload, pending: PendingPayload, kept: Gathered, stopped = 'stopped'): ExploreResult {
  const path = (id: number): { path: Path; checks: Uint8Array } => pathTo(part, id);
  const more = { ...discoveries(inst, part, kept), ...(end.kind === 'done' ? { fired: kept.fired } : {}) };
  switch (end.kind) {
    case 'bound': return { ...incomplete(inst, part, `--max-states ${part.counters.states} reached`, t0), ...more };
    case 'depth': return { ...incomplete(inst, part, `depth ${part.counters.depth} reached`, t0), ...more };
    case 'stopped': return { ...incomplete(inst, part, stopped, t0), ...more };
    case 'event': {
      if (event === undefined) throw new Error('Assertion failed: an event without its payload');
      if (event.kind === 'error') throw event.error;
      const { path: p, checks } = path(end.id);
      const verdict: Verdict = event.kind === 'safety'
        ? { kind: 'safety', property: part.checks.always[event.property]!.name, path: p }
        : stuck(inst, p, event.cycle);
      return finish(inst, part, verdict, t0, checks);
    }
    case 'pending': {
      if (pending === undefined) throw new Error('Assertion failed: a transition violation without its edge');
      const { path: p, checks } = path(pending.parent);
      return finish(inst, part, { kind: 'safety', property: part.checks.transitions[pending.property]!.name, path: [...p, pending.edge] },
        t0, Uint8Array.from([...checks, pending.lo & 0xff]));
    }
    case 'done': case 'discovered': {
      const first = firstOf(more.found);
      if (first) return { ...finish(inst, part, first.verdict, t0, first.checks), ...more };
      const unreached = part.checks.sometimes.findIndex((_, i) => part.counters.witness[i] === Infinity);
      return { ...finish(inst, part, unreached >= 0 ? { kind: 'unreached', property: part.checks.sometimes[unreached]!.name } : { kind: 'ok' }, t0), ...more };
    }
  }
}

type Discovery = NonNullable<ExploreResult['found']> extends ReadonlyMap<string, infer D> ? D : never;

/** `discover`: each found slot's first event as the verdict a search for its property alone gives (with its key, to order them). */
function discoveries(inst: Instance, part: Part, kept: Gathered): { found?: ReadonlyMap<string, Discovery> } {
  const keys = part.counters.found;
  if (keys.length === 0) return {};
  const found = new Map<string, Discovery>(), nA = part.checks.always.length, nT = part.checks.transitions.length;
  for (let s = 0; s < keys.length; s++) {
    if (keys[s] === Infinity) continue;
    const f = kept.found[s];
    if (f === undefined || f.key !== keys[s]) throw new Error('Assertion failed: a found event without what rebuilds it');
    const id = Math.floor(f.key / 2 ** 22), { path: p, checks } = pathTo(part, id);
    if (s < nA) found.set(part.checks.always[s]!.name, { key: f.key, verdict: { kind: 'safety', property: part.checks.always[s]!.name, path: p }, checks });
    else if (s < nA + nT) found.set(part.checks.transitions[s - nA]!.name, { key: f.key, verdict: { kind: 'safety', property: part.checks.transitions[s - nA]!.name, path: [...p, f.edge!] }, checks: Uint8Array.from([...checks, f.lo! & 0xff]) });
    else found.set(DEADLOCK, { key: f.key, verdict: stuck(inst, p, f.cycle), checks });
  }
  return { found };
}

/**
 * The verdict a search that stops at its first violation gives, from the first of each: a
 * state's violation (always, deadlock) at most as deep as the source of the first transition
 * violation wins (that search ends with the state), else the transition violation (reported
 * when its level ends). Ties go to the earlier property, as that search checks them in order.
 */
function firstOf(found: ReadonlyMap<string, Discovery> | undefined): Discovery | undefined {
  let state: Discovery | undefined, trans: Discovery | undefined;
  for (const d of found?.values() ?? []) {
    const isTrans = d.verdict.kind === 'safety' && Math.floor(d.key / 2 ** 20) % 4 === 2;
    if (isTrans) { if (trans === undefined || d.key < trans.key) trans = d; }
    else if (state === undefined || d.key < state.key) state = d;
  }
  if (state === undefined) return trans;
  if (trans === undefined) return state;
  return state.verdict.path.length <= trans.verdict.path.length - 1 ? state : trans;
}

export function incomplete(inst: Instance, part: Part, reason: string, t0: number): ExploreResult {
  return finish(inst, part, { kind: 'incomplete', reason }, t0);
}

function finish(inst: Instance, part: Part, verdict: Verdict, t0: number, checks?: Uint8Array): ExploreResult {
  const counters = part.counters, states = counters.states, exact = exactWidth(inst.layout.words);
  const witnesses = new Map<string, Path>();
  // in the order they were found (as a single thread meets them: by state, then property)
  const found = part.checks.sometimes.map((p, i) => ({ p, id: counters.witness[i]! })).filter((x) => x.id < Infinity).sort((a, b) => a.id - b.id);
  for (const { p, id } of found) witnesses.set(p.name, pathTo(part, id).path);
  const witnessKeys = new Map(found.map(({ p, id }) => [p.name, witnessKey(id)]));
  const stats = {
    states, transitions: counters.transitions, depth: counters.depth, seconds: (performance.now() - t0) / 1000,
    bytesPerState: part.bytes() / Math.max(1, states), exact,
    collisionProbability: exact ? 0 : states * ((counters.transitions - states) / 2 ** 64),
  };
  if (part.sink === 0.5) throw new Error('unreachable');
  return { verdict, witnesses, witnessKeys, stats, ...(checks ? { checks } : {}) };
}

/** Edge ids from the initial state to state `id`, and the check byte of each state on the way. */
function pathTo(part: Part, id: number): { path: Path; checks: Uint8Array } {
  const p: number[] = [], c: number[] = [];
  for (let i = id; ;) {
    const n = part.node(i);
    c.push(n.check);
    if (n.parent < 0) break;
    p.push(n.via);
    i = n.parent;
  }
  return { path: p.reverse(), checks: Uint8Array.from(c.reverse()) };
}

export const formatBytes = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} B`;

