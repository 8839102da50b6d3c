/**
 * @internal One part of the breadth-first search: what one thread does (`bfs.ts` runs one part
 * in-process; `--workers N` runs N, part 0 in the main thread and one per worker thread, over
 * the same shared memory).
 *
 * The search is level-synchronous and goes through each level in rounds. In a round, each part
 * (1) expands its contiguous slice of the round's states into candidates (successor, its
 * fingerprint, parent, edge), and with several parts also files each fingerprint in the bucket of
 * the partition it falls into; (2) inserts into its partition of the visited set, in part order,
 * the buckets every part addressed to it, marking each entry new or seen; (3) copies its new
 * candidates into the next level at offsets that the counts of all parts give. Barriers separate
 * the phases. Since slices are in state order and each partition is filled in candidate order
 * (buckets keep it, and are read in part order), the first of several equal candidates wins,
 * new states are numbered in discovery order and duplicates dropped exactly as a single thread
 * does: states, transitions, depth, verdict, parents and hence traces are the same for any
 * number of parts.
 *
 * Events that end the search are ordered by a key (state id, stage, successor), so that the
 * first one in BFS order wins whichever part found it: `always` (stage 0), `sometimes` (1),
 * the expansion and transition properties (2), deadlock (3). A part stops at its first
 * terminal event; the parts before it finish their slices. An error in a `sometimes` or
 * `transition` predicate counts only if no earlier witness (resp. violation) would have made a
 * single thread skip that predicate: it is recorded, the part goes on, and the merge decides.
 *
 * With `discover` (stateright's discoveries, TLC's `-continue`) no property ends the search:
 * every `always`, `transition` and the deadlock rule keeps its first event key (a slot, merged
 * over the parts like the witnesses), every state is checked against every property not yet
 * found and expanded, violating or not, and the search ends when every slot and witness is
 * found (checked when a level ends, so the counts do not depend on the parts) or the space is
 * exhausted. The first key of a
 * slot is the event a search for that property alone stops at, since state ids do not depend
 * on the properties. Each part also records which edges fired (`fired`), for step coverage.
 *
 * Partitions are disjoint (by the fingerprint's high bits), so a part inserts into its own
 * table with no atomics; the only synchronisation is the barriers, two per round (three when a
 * level ends).
 */
import { FpTable } from '../state/fp-table.ts';
import type { CompactTable } from '../state/compact-table.ts';
import type { Spill } from './spill.ts';
import { fingerprint, fp } from '../state/fingerprint.ts';
import type { Property } from '../model/property.ts';
import { Expander } from './expander.ts';
import { Audit, auditRepeats } from './audit.ts';
import { Grown } from './shared.ts';
import { StateChecks } from './checks.ts';
import type { Deadlock } from './deadlock.ts';
import type { Instance } from '../state/instance.ts';
import type { Reduction } from './por.ts';
import type { Observer, Tree } from './observer.ts';

/** States a part expands per round, in one thread (its candidates stay in the core's cache). */
export const ROUND = 2048;
/**
 * States a part expands per round with several parts (a round is this times the number of
 * parts): each round costs its barriers, whatever its size. Measured on phil n=12 (1.7M states),
 * `--workers 2` on the 2-core machine with other work running, fastest of 3 runs each: 4.81 s
 * with rounds of 2,048 states per part, 4.15 s with 4,096, 3.89 s with 8,192 (0.94 s less for
 * about 300 fewer rounds: some 3 ms per round when a thread may wait for a core at a barrier).
 */
export const TEAM_ROUND = 8192;
/** States per part below which a team's round is not timed to resplit the rounds (`Part.#resplit`). */
const RESPLIT_MIN = 2048;

/**
 * The parts' slices of the next rounds, in place: `split[v]` is where part v's begins, as a
 * fraction of a round (`split[parts]` is 1). Half as they were, half in proportion to each
 * part's rate in the round just run (`n[v]` states in `took[v]` ms; a thread that waited for a
 * core, or whose memo is colder, gets less).
 */
export function resplit(split: Float64Array, n: readonly number[], took: readonly number[]): void {
  const parts = split.length - 1, rate = n.map((k, v) => k / Math.max(took[v]!, 0.05)), sum = rate.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return;
  let at = 0;
  for (let v = 0; v < parts; v++) {
    const share = (split[v + 1]! - split[v]!) / 2 + rate[v]! / sum / 2;
    split[v] = at;
    at += share;
  }
  split[parts] = 1;
}

/** Stages of a state, in the order a single thread meets them. */
const STAGE = { always: 0, sometimes: 1, expand: 2, deadlock: 3 } as const;

/** Comparable key of an event: state id, stage, then successor index. */
const eventKey = (id: number, stage: number, j = 0): number => (id * 4 + stage) * 2 ** 20 + Math.min(j, 2 ** 20 - 1);
const keyId = (key: number): number => Math.floor(key / 2 ** 22);
/** The key of a witness found at state `id` (it precedes the state's expansion). */
export const witnessKey = (id: number): number => eventKey(id, STAGE.sometimes);
const NONE = Infinity;

/** What ended a part's slice. */
export type Event =
  | { readonly kind: 'safety'; readonly property: number }
  | { readonly kind: 'deadlock'; readonly cycle: Deadlock['cycle'] }
  | { readonly kind: 'error'; readonly error: unknown };

/** How the search ended, the same in every part. */
export type End =
  | { readonly kind: 'done' }
  | { readonly kind: 'stopped' }
  /** `--max-states`: the state past the bound was found. */
  | { readonly kind: 'bound' }
  /** Every state up to the depth bound was explored (`maxDepth`), with no event. */
  | { readonly kind: 'depth' }
  /** An event (`Event`) of part `part`, at state `id`; `cond`: its error in a sometimes or transition predicate. */
  | { readonly kind: 'event'; readonly part: number; readonly id: number; readonly cond: boolean }
  /** A transition property violated on the edge into part `part`'s pending successor. */
  | { readonly kind: 'pending'; readonly part: number }
  /** `discover`: every property and witness found before the space was exhausted. */
  | { readonly kind: 'discovered' };

/** `discover`: what a part keeps of the first event of a slot it found (the search keeps the least key over the parts). */
export interface Found { readonly key: number; readonly edge?: number; readonly lo?: number; readonly cycle?: Deadlock['cycle'] }

/** The shared memory of one search, as plain handles (what a worker receives). */
export interface Memory {
  /** Float64 cells: global (`BOARD`), then two sets of a block per part (see `#cell`). */
  readonly board: SharedArrayBuffer;
  /** Int32 cells for the barrier. */
  readonly ctrl: SharedArrayBuffer;
  readonly levels: readonly [SharedArrayBuffer, SharedArrayBuffer];
  readonly parent: SharedArrayBuffer;
  readonly via: SharedArrayBuffer;
  readonly check: SharedArrayBuffer;
  /** Per part: lo, hi, parent, edge, generated, words, then per partition a flag array, then its bucket's lo and hi (`Candidates`). */
  readonly candidates: readonly (readonly SharedArrayBuffer[])[];
  /** Per part, when lockdep's record watches the search: its transitions' source, edge, and the states before and after (`acquisitions.ts`). */
  readonly acquisitions?: readonly (readonly SharedArrayBuffer[])[];
}

/** Global board cells, written by part 0 for whoever watches (progress, the main thread's stop). */
export const BOARD = { states: 0, depth: 1, queue: 2, stop: 3 } as const;
const GLOBAL = 8;
/** Per-part cells (then `parts` cells of new counts, `parts` of bucket sizes, then one witness cell per sometimes property). */
const CELL = { candidates: 0, successors: 1, event: 2, cond: 3, condKind: 4, pending: 5, stop: 6, tableBytes: 7, memo: 8, observed: 9, took: 10 } as const;
const NEW_COUNTS = 11;

const blockSize = (parts: number, cells: number): number => NEW_COUNTS + 2 * parts + cells;

/** Board cells per part past the new counts: a witness per sometimes property, then with `discover` a slot per always, transition and deadlock. */
export const slotCells = (inst: Instance, discover: boolean): number => {
  const n = (k: Property['kind']): number => inst.properties.filter((p) => p.kind === k).length;
  return n('sometimes') + (discover ? n('always') + n('transition') + 1 : 0);
};

export function createMemory(parts: number, cells: number, acquisitions = false): Memory {
  const buffer = (): SharedArrayBuffer => new Grown(Uint8Array).sab;
  return {
    board: new SharedArrayBuffer(8 * (GLOBAL + 2 * parts * blockSize(parts, cells))),
    ctrl: new SharedArrayBuffer(16),
    levels: [buffer(), buffer()], parent: buffer(), via: buffer(), check: buffer(),
    candidates: Array.from({ length: parts }, () => Array.from({ length: 6 + 3 * parts }, buffer)),
    ...(acquisitions ? { acquisitions: Array.from({ length: parts }, () => [buffer(), buffer(), buffer()]) } : {}),
  };
}

/** What the parts kept besides the counters: `discover`'s first events (with what rebuilds them), and the edges that fired. */
export interface Gathered { readonly found: readonly (Found | undefined)[]; readonly fired: Uint8Array }

/** The parts' records as one: per slot the least key, and every edge any part fired. */
export function gather(all: readonly Gathered[]): Gathered {
  const fired = new Uint8Array(all[0]?.fired.length ?? 0), found: (Found | undefined)[] = [];
  for (const part of all) {
    for (let e = 0; e < fired.length; e++) fired[e]! |= part.fired[e]!;
    part.found.forEach((f, s) => { if (f !== undefined && (found[s] === undefined || f.key < found[s]!.key)) found[s] = f; });
  }
  return { found, fired };
}

/**
 * A part's candidates: the successors of its slice, in order, readable by every part; with
 * several parts, also their fingerprints bucketed by the partition they fall into (in order), so
 * that a partition's owner reads only what is addressed to it.
 */
class Candidates {
  readonly lo: Grown<Int32Array>;
  readonly hi: Grown<Int32Array>;
  readonly parent: Grown<Int32Array>;
  readonly edge: Grown<Int32Array>;
  /** Successors the part generated in the round, up to and including this one. */
  readonly generated: Grown<Float64Array>;
  readonly words: Grown<Uint32Array>;
  /**
   * After the insert phase, per partition (written by its owner only, so that two owners never
   * write one cache line): 1 new, 0 seen, for each entry of its bucket (one part: for each candidate).
   */
  readonly flags: Grown<Uint8Array>[];
  /** Per partition (several parts): the fingerprints of the candidates that fall into it, in candidate order. */
  readonly bucketLo: Grown<Int32Array>[];
  readonly bucketHi: Grown<Int32Array>[];
  constructor(b: readonly SharedArrayBuffer[]) {
    const parts = (b.length - 6) / 3;
    this.lo = new Grown(Int32Array, b[0]); this.hi = new Grown(Int32Array, b[1]); this.parent = new Grown(Int32Array, b[2]);
    this.edge = new Grown(Int32Array, b[3]); this.generated = new Grown(Float64Array, b[4]); this.words = new Grown(Uint32Array, b[5]);
    this.flags = b.slice(6, 6 + parts).map((x) => new Grown(Uint8Array, x));
    this.bucketLo = b.slice(6 + parts, 6 + 2 * parts).map((x) => new Grown(Int32Array, x));
    this.bucketHi = b.slice(6 + 2 * parts).map((x) => new Grown(Int32Array, x));
  }
  get all(): Grown<Int32Array | Float64Array | Uint32Array | Uint8Array>[] { return [this.lo, this.hi, this.parent, this.edge, this.generated, this.words, ...this.flags, ...this.bucketLo, ...this.bucketHi]; }
  refresh(): void { for (const a of this.all) a.refresh(); }
  get bytes(): number { return this.all.reduce((n, a) => n + a.sab.byteLength, 0); }
}

/** The partition of a fingerprint (its high bits: independent of the table's index bits). */
const partOf = (hi: number, parts: number): number => ((hi >>> 16) * parts) >>> 16;

export interface PartOptions {
  readonly deadlock: boolean;
  readonly maxStates: number;
  readonly reduction: Reduction | undefined;
  /** Explore no deeper than this (the search for the shortest trace after a reduced one). */
  readonly maxDepth?: number;
  /** Go on past violations until every property has its first one (see the header). */
  readonly discover?: boolean;
  /** With `discover`: explore the whole space even once every property is found. */
  readonly exhaust?: boolean;
  /** With `discover`: once every slot is found, the witnesses no longer matter (no `sometimes` property was asked for itself). */
  readonly slotsOnly?: boolean;
  /** What else watches the expansion (`observer.ts`); one part only. */
  readonly observers?: readonly Observer[];
  /** Symmetry reduction: each successor is replaced by its orbit's representative before it is hashed (`symmetry.ts`). */
  readonly canon?: { canonPacked(words: Uint32Array, at: number): void };
  /** `--store compact`: the visited set by hash compaction, and the per-state arrays and levels past a chunk on disk (one part, no observers). */
  readonly visited?: CompactTable;
  readonly spill?: Spill;
  /** States per round, if not `ROUND` (one part) or `TEAM_ROUND`: a worker's warm-up runs small rounds, to stop on time. */
  readonly round?: number;
  /** The expander (and its memo) of a part this one takes over from: it must remember the same predicates (its observers had none beyond this one's). */
  readonly expander?: Expander;
}

/** The search's counters, kept by every part (they compute the same). */
export class Counters {
  states = 1;
  transitions = 1;
  levelStart = 0;
  levelCount = 1;
  nextCount = 0;
  depth = 0;
  /** Index in the level of the next state to expand. */
  cursor = 0;
  pendingKey = NONE;
  pendingPart = -1;
  witness: Float64Array;
  /** `discover`: per slot (always, transition, deadlock), the key of its first event. */
  found: Float64Array;
  constructor(sometimes: number, slots = 0) { this.witness = new Float64Array(sometimes).fill(NONE); this.found = new Float64Array(slots).fill(NONE); }
  /** A copy of `data` (counters another thread kept). */
  static of(data: Counters): Counters { return Object.assign(new Counters(0), { ...data, witness: Float64Array.from(data.witness), found: Float64Array.from(data.found) }); }
}

/** Where a search handed over by another thread stands: its counters and its visited set. */
export interface Resume {
  readonly counters: Counters;
  readonly table: FpTable['raw'];
  readonly unwitnessed: number;
}

/** Bit i set while witness i has not been found (bits past 30: always set). */
const unwitnessed = (witness: Float64Array): number => {
  let m = ~0;
  for (let i = 0; i < Math.min(31, witness.length); i++) if (witness[i]! < NONE) m &= ~(1 << i);
  return m;
};

export class Part {
  readonly expander: Expander;
  /** This part's index (0 to parts - 1). */
  readonly index: number;
  readonly parts: number;
  /** Words of a packed state. */
  readonly stateWords: number;
  readonly table: FpTable;
  /** The visited set the search inserts into: `table`, or a compact one (`PartOptions.visited`). */
  readonly visited: FpTable | CompactTable;
  readonly #spill: Spill | undefined;
  /** What each state is checked against (`checks.ts`). */
  readonly checks: StateChecks;
  readonly counters: Counters;
  readonly board: Float64Array;
  readonly parent: Grown<Int32Array>;
  readonly via: Grown<Uint16Array> | Grown<Int32Array>;
  readonly check: Grown<Uint8Array>;
  readonly #opts: PartOptions;
  readonly #levels: [Grown<Uint32Array>, Grown<Uint32Array>];
  readonly #candidates: Candidates[];
  readonly #mine: Candidates;
  /** Several parts: this round's size of each bucket of this part's candidates, and views of the buckets (`#room` renews them). */
  readonly #bucketN: Int32Array;
  #bucketLo: Int32Array[] = [];
  #bucketHi: Int32Array[] = [];
  /** Board cells: the bucket sizes (one per partition), then the witnesses and slots. */
  readonly #bucketCells: number;
  readonly #slotCells: number;
  readonly #selected: Int32Array;
  readonly #audit: Audit;
  readonly #observers: readonly Observer[];
  /** Per observer: the index of its first predicate in the expander. */
  readonly #predBase: readonly number[];
  /** With an observer that wants them: each candidate's state id (`#insertIds`). */
  #targets: Int32Array | undefined;
  // this round, this part's slice
  /** Candidates and successors this part generated this round. */
  #candidateCount = 0;
  #successors = 0;
  #stage = 0;
  /** This part's first terminal event: its key and what it was. */
  event: Event | undefined;
  #eventKey = NONE;
  /** This part's first error in a sometimes (kind i >= 0) or transition (kind -1) predicate. */
  cond: unknown;
  #condKey = NONE;
  #condKind = 0;
  /** This part's first transition violation of the level: key, property, and the edge. */
  #pendingKey = NONE;
  pending: { readonly property: number; readonly parent: number; readonly edge: number; readonly lo: number } | undefined;
  /** Per sometimes property: the first witness this part found this round (state id). */
  readonly #witness: Float64Array;
  /** `discover`: per slot, the first key this part found this round; and the least over the search, with what rebuilds it. */
  readonly #found: Float64Array;
  readonly found: (Found | undefined)[];
  /** `discover`: the slots, always then transition then deadlock, start at these. */
  readonly #slotTrans: number;
  readonly #slotDeadlock: number;
  /** Per edge: 1 once it fired from a state this part expanded (with a reduction: once it was enabled there). */
  readonly fired: Uint8Array;
  #sink = 0;
  /** Set when the search ends. */
  end: End | undefined;
  /** States a part expands per round. */
  readonly #roundSize: number;
  /** Rounds run (the same in every part). */
  #round = 0;
  /**
   * Where each part's slice of a round begins, as a fraction of the round (and 1 at the end):
   * slices in proportion to how fast each part expanded the last rounds, so that the parts reach
   * the barrier together. Every part computes the same fractions from the same cells. Results do
   * not depend on them: parts cover the round in part order, which is the states' order.
   */
  readonly #split: Float64Array;
  /** Bit i: sometimes property i had no witness when the level began (what the reduction must keep visible). */
  #unwitnessed = -1;
  /**
   * The reduction's cycle proviso asks the search (`Reduction.proviso` `visited`): the table
   * keeps each state's id, and a set with a step that stays within a loop and leads to an id no
   * larger than the state's is not used (`#revisits`). One part: phase 1 reads the table, which
   * only its own phase 2 writes.
   */
  readonly #visitedRule: boolean;

  constructor(inst: Instance, opts: PartOptions, mem: Memory, index: number, parts: number, resume?: Resume) {
    const checks = new StateChecks(inst, opts.deadlock);
    this.checks = checks;
    this.#observers = opts.observers ?? [];
    if (this.#observers.some((o) => o.ids) && (parts > 1 || resume !== undefined)) throw new Error('Assertion failed: an observer of state ids watches a search in one part');
    const own = checks.predicates;
    this.#predBase = this.#observers.map((_, i) => own.length + this.#observers.slice(0, i).reduce((n, x) => n + x.preds.length, 0));
    const preds = [...own, ...this.#observers.flatMap((o) => o.preds)];
    this.expander = opts.expander ?? new Expander(inst, preds);
    this.#targets = this.#observers.some((o) => o.ids) ? new Int32Array(1024) : undefined;
    this.index = index; this.parts = parts; this.stateWords = this.expander.stateWords;
    this.#roundSize = opts.round ?? (parts === 1 ? ROUND : TEAM_ROUND);
    this.#split = Float64Array.from({ length: parts + 1 }, (_, v) => v / parts);
    this.#opts = opts;
    const slots = opts.discover ? checks.always.length + checks.transitions.length + 1 : 0;
    this.#slotTrans = checks.always.length; this.#slotDeadlock = checks.always.length + checks.transitions.length;
    this.counters = resume ? Counters.of(resume.counters) : new Counters(checks.sometimes.length, slots);
    this.#unwitnessed = resume ? resume.unwitnessed : -1;
    this.#visitedRule = opts.reduction?.proviso === 'visited';
    if (this.#visitedRule && (parts > 1 || resume !== undefined || opts.visited !== undefined)) throw new Error('Assertion failed: the visited proviso in several parts or over a compact store');
    this.table = resume ? FpTable.from(resume.table, (_, hi) => partOf(hi, parts) === index) : new FpTable(12, this.#targets !== undefined || this.#visitedRule);
    this.board = new Float64Array(mem.board);
    this.#levels = [new Grown(Uint32Array, mem.levels[0]), new Grown(Uint32Array, mem.levels[1])];
    this.parent = new Grown(Int32Array, mem.parent);
    this.via = inst.edges.length < 0xffff ? new Grown(Uint16Array, mem.via) : new Grown(Int32Array, mem.via);
    this.check = new Grown(Uint8Array, mem.check);
    this.#candidates = mem.candidates.map((b) => new Candidates(b));
    this.#mine = this.#candidates[index]!;
    this.#bucketN = new Int32Array(parts);
    this.#bucketCells = NEW_COUNTS + parts; this.#slotCells = NEW_COUNTS + 2 * parts;
    this.#views();
    this.#witness = new Float64Array(checks.sometimes.length);
    this.#found = new Float64Array(slots);
    this.found = Array.from({ length: slots }, () => undefined);
    this.fired = new Uint8Array(inst.edges.length);
    this.#selected = new Int32Array(Math.max(1, inst.edges.length));
    this.#audit = new Audit(inst, this.expander, checks.predicates.map((p) => p.name), checks.transitions);
    this.visited = opts.visited ?? this.table;
    if ((opts.visited !== undefined || opts.spill !== undefined) && (parts > 1 || this.#observers.length > 0)) throw new Error('Assertion failed: a compact store in several parts or watched by observers');
    this.#spill = opts.spill;
    this.#spill?.attach(this.#levels, this, this.stateWords);
  }

  /** Writes the initial state (packed in `words`) as state 0; done once, before any part runs. */
  static init(mem: Memory, stateWords: number, words: Uint32Array, wideVia: boolean): void {
    const level = new Grown(Uint32Array, mem.levels[0]).ensure(stateWords);
    level.set(words.subarray(0, stateWords));
    fingerprint(level, 0, stateWords);
    new Grown(Int32Array, mem.parent).ensure(1)[0] = -1;
    (wideVia ? new Grown(Int32Array, mem.via) : new Grown(Uint16Array, mem.via)).ensure(1)[0] = 0;
    new Grown(Uint8Array, mem.check).ensure(1)[0] = fp.lo & 0xff;
    const b = new Float64Array(mem.board);
    b[BOARD.states] = 1; b[BOARD.queue] = 1;
  }

  /** The witnesses the reduction keeps visible in this level (for the parts that take over). */
  get unwitnessed(): number { return this.#unwitnessed; }

  /** The level buffers as they stand now (current level first), for the parts that take over. */
  levels(): [SharedArrayBuffer, SharedArrayBuffer] { return [this.#levels[0].sab, this.#levels[1].sab]; }

  /** Adds the initial state's fingerprint to its partition. */
  seed(): void {
    fingerprint(this.#levels[0].refresh(), 0, this.stateWords);
    if (this.#targets !== undefined || this.#visitedRule) this.table.addId(fp.lo, fp.hi, 0);
    else if (partOf(fp.hi, this.parts) === this.index) this.visited.add(fp.lo, fp.hi);
  }

  /** Parent, edge and check byte of state `id` (from disk if it went there). */
  node(id: number): { parent: number; via: number; check: number } {
    if (this.#spill !== undefined) return this.#spill.node(id);
    return { parent: this.parent.refresh()[id]!, via: this.via.refresh()[id]!, check: this.check.refresh()[id]! };
  }

  /** The BFS tree as it stands (after the search: of every state it stored). */
  tree(): Tree {
    return { states: this.counters.states, parent: this.parent.refresh(), via: this.via.refresh(), check: this.check.refresh() };
  }

  /** Per-part cells come in two sets, by the round's parity: a part may start round r+1 while another still reads round r's. */
  #cell(v: number, c: number, parity = this.#round & 1): number { return GLOBAL + (parity * this.parts + v) * blockSize(this.parts, this.checks.sometimes.length + this.#found.length) + c; }
  #read(v: number, c: number): number { return this.board[this.#cell(v, c)]!; }
  #write(c: number, x: number): void { this.board[this.#cell(this.index, c)] = x; }

  /**
   * One round: the three phases, with `barrier()` between them (a no-op for one part). A part
   * may go on to the next round of the same level while another still commits: next round's
   * cells are the other set, and what it reads of the level was committed a level ago. A new
   * level waits for every commit into it.
   */
  round(barrier: () => void): 'round' | 'level' | 'end' {
    this.#round++;
    const c = this.counters;
    const size = Math.min(c.levelCount - c.cursor, this.#roundSize * this.parts);
    this.#spill?.load(c.cursor, size);
    this.#expand(size);
    barrier();
    if (this.parts > 1) this.#resplit(size);
    const stop = this.#read(0, CELL.stop) !== 0;
    const cut = this.#cut();
    const last = Math.min(cut.part, this.parts - 1);
    if (this.index === 0) this.#grow(last);
    this.#insert(last);
    barrier();
    this.#commit(last);
    const step = this.#advance(cut, last, stop);
    this.#spill?.after(c.states, c.nextCount, c.levelCount, step === 'level');
    if (step !== 'round') barrier();
    if (this.index === 0) this.#publish();
    return step;
  }

  /** Where part v's slice of a round of `size` states begins (the part after the last: `size`). */
  #sliceAt(v: number, size: number): number { return v >= this.parts ? size : Math.floor(size * this.#split[v]!); }

  /** Phase 1: expand this part's slice of the round (`size` states). */
  #expand(size: number): void {
    const t0 = performance.now(), counters = this.counters;
    const from = counters.cursor + this.#sliceAt(this.index, size), to = counters.cursor + this.#sliceAt(this.index + 1, size);
    const level = this.#levels[0].refresh();
    this.expander.depth = counters.depth;
    this.#candidateCount = 0; this.#successors = 0;
    this.#eventKey = NONE; this.event = undefined; this.#condKey = NONE; this.cond = undefined;
    this.#witness.fill(NONE); this.#found.fill(NONE); this.#bucketN.fill(0);
    for (let k = from; k < to && this.#eventKey === NONE; k++) {
      const id = counters.levelStart + k;
      try {
        this.#state(level, k - (this.#spill?.curBase ?? 0), id);
      } catch (err) {
        this.#terminal(eventKey(id, this.#stage), { kind: 'error', error: err });
      }
    }
    this.#write(CELL.candidates, this.#candidateCount); this.#write(CELL.successors, this.#successors);
    this.#write(CELL.event, this.#eventKey); this.#write(CELL.cond, this.#condKey); this.#write(CELL.condKind, this.#condKind);
    this.#write(CELL.pending, this.#pendingKey);
    if (this.index === 0) this.#write(CELL.stop, this.board[BOARD.stop]!);
    this.#write(CELL.took, performance.now() - t0);
    for (let p = 0; p < this.parts; p++) this.#write(this.#bucketCells + p, this.#bucketN[p]!);
    for (let i = 0; i < this.#witness.length; i++) this.#write(this.#slotCells + i, this.#witness[i]!);
    for (let s = 0, at = this.#slotCells + this.#witness.length; s < this.#found.length; s++) this.#write(at + s, this.#found[s]!);
  }

  /** Checks state k of the level in memory (state `id`) and appends its successors. */
  #state(level: Uint32Array, k: number, id: number): void {
    const ex = this.expander, width = this.stateWords, from = k * width, checks = this.checks, nA = checks.always.length, counters = this.counters;
    this.#stage = STAGE.always;
    ex.unpack(level, from, ex.cur);
    const discover = this.#found.length > 0;
    if (discover) { for (let i = 0; i < nA; i++) if (this.#unfound(i) && !checks.holds(ex, i)) this.#discovered(i, { key: eventKey(id, STAGE.always) }); }
    else {
      const bad = checks.firstViolated(ex);
      if (bad >= 0) { this.#terminal(eventKey(id, STAGE.always), { kind: 'safety', property: bad }); return; }
    }
    this.#stage = STAGE.sometimes;
    for (let i = 0; i < checks.sometimes.length; i++) {
      if (this.#witness[i]! < NONE || counters.witness[i]! < NONE) continue;
      try { if (checks.witnesses(ex, i)) this.#witness[i] = id; } catch (err) { this.#conditional(eventKey(id, STAGE.sometimes), i, err); }
    }
    this.#stage = STAGE.expand;
    const n = ex.enabled();
    const reps = auditRepeats(id);
    if (reps > 0) this.#audit.state(n, reps);
    const red = this.#opts.reduction, sel = this.#selected, visitedRule = this.#visitedRule;
    const c = this.#candidateCount;
    if (visitedRule) { this.#room(c + n); const h = this.#here; h.level = level; h.from = from; h.c = c; h.id = id; this.#passed = false; }
    const m = red === undefined ? n : red.select(ex, n, sel, this.#unwitnessed, visitedRule ? this.#revisits : undefined);
    if (!visitedRule) this.#room(c + m);
    const mine = this.#mine, words = mine.words.view, lo = mine.lo.view, hi = mine.hi.view, par = mine.parent.view, edge = mine.edge.view, tr = mine.generated.view;
    const canon = this.#opts.canon;
    // the set `revisits` passed last is the one chosen: its successors are packed already
    const packed = visitedRule && m < n && this.#passed;
    const checkTrans = checks.transitions.length > 0 && (discover ? this.#transUnfound() : counters.pendingKey === NONE);
    const fired = this.fired, parts = this.parts, bn = this.#bucketN, blo = this.#bucketLo, bhi = this.#bucketHi;
    if (red !== undefined) for (let j = 0; j < n; j++) fired[ex.edge[j]!] = 1;
    for (let t = 0; t < m; t++) {
      const j = red === undefined ? t : sel[t]!;
      const e = ex.edge[j]!, leaf = ex.leaf[j]!, at = (c + t) * width;
      if (!packed) {
        ex.pack(leaf, level, from, words, at);
        canon?.canonPacked(words, at);
        fingerprint(words, at, width);
        lo[c + t] = fp.lo; hi[c + t] = fp.hi;
      }
      par[c + t] = id; edge[c + t] = e; tr[c + t] = ++this.#successors;
      if (parts > 1) { const b = partOf(hi[c + t]!, parts), k = bn[b]!++; blo[b]![k] = lo[c + t]!; bhi[b]![k] = hi[c + t]!; }
      fired[e] = 1;
      if (checkTrans && this.#pendingKey === NONE) this.#transition(id, t, e, leaf, lo[c + t]!, discover);
    }
    for (let o = 0; o < this.#observers.length; o++) this.#observers[o]!.expanded(id, ex, this.#predBase[o]!, m, level, from, words, c);
    this.#candidateCount = c + m;
    this.#stage = STAGE.deadlock;
    if (checks.deadlock && (!discover || this.#unfound(this.#slotDeadlock))) {
      const d = checks.deadlockOf(ex);
      if (d !== undefined) {
        if (discover) this.#discovered(this.#slotDeadlock, { key: eventKey(id, STAGE.deadlock), cycle: d.cycle });
        else this.#terminal(eventKey(id, STAGE.deadlock), { kind: 'deadlock', cycle: d.cycle });
      }
    }
  }

  /** The state `#state` expands (`#revisits` packs its successors as candidates from `c` on). */
  #here: { level: Uint32Array; from: number; c: number; id: number } = { level: new Uint32Array(0), from: 0, c: 0, id: 0 };
  /** The last set `#revisits` was asked about does not lead back. */
  #passed = false;
  /**
   * The visited proviso (`por.ts`): does an edge of the set `sel[0..m)` that stays within a loop
   * of its actor's program lead to a state numbered no later than this one (the state itself
   * included)? States of this level and the ones before are all numbered; a successor not in the
   * table yet gets a larger id. Packs the successors as candidates.
   */
  readonly #revisits = (sel: Int32Array, m: number): boolean => {
    const ex = this.expander, width = this.stateWords, { level, from, c, id } = this.#here, canon = this.#opts.canon, t = this.table;
    const mine = this.#mine, words = mine.words.view, lo = mine.lo.view, hi = mine.hi.view, red = this.#opts.reduction!;
    for (let i = 0; i < m; i++) {
      const at = (c + i) * width;
      ex.pack(ex.leaf[sel[i]!]!, level, from, words, at);
      canon?.canonPacked(words, at);
      fingerprint(words, at, width);
      lo[c + i] = fp.lo; hi[c + i] = fp.hi;
      const was = t.idOf(fp.lo, fp.hi);
      if (was >= 0 && was <= id && red.stays(ex, sel[i]!)) { this.#passed = false; return true; }
    }
    this.#passed = true;
    return false;
  };

  /** `discover`: slot s has no event yet, in the search or in this part's round. */
  #unfound(s: number): boolean { return this.counters.found[s] === NONE && this.#found[s] === NONE; }

  #transUnfound(): boolean {
    for (let s = this.#slotTrans; s < this.#slotDeadlock; s++) if (this.#unfound(s)) return true;
    return false;
  }

  /** `discover`: slot s's event in this round (the first one: states and successors come in key order). */
  #discovered(s: number, f: Found): void {
    if (f.key >= this.#found[s]!) return;
    this.#found[s] = f.key;
    const kept = this.found[s];
    if (kept === undefined || f.key < kept.key) this.found[s] = f;
  }

  /** Transition properties on the edge `id --e--> leaf` (successor t of the state). */
  #transition(id: number, t: number, e: number, leaf: number, lo: number, discover: boolean): void {
    const ex = this.expander, checks = this.checks, after = ex.after(leaf);
    for (let i = 0; i < checks.transitions.length; i++) {
      const s = this.#slotTrans + i;
      if (discover && !this.#unfound(s)) continue;
      let ok: boolean;
      try {
        ok = checks.transitionHolds(i, ex.view, e, after);
      } catch (err) {
        this.#conditional(eventKey(id, STAGE.expand, t + 1), discover ? -2 - s : -1, err);
        if (discover) continue;
        return;
      }
      if (discover) {
        if (!ok) this.#discovered(s, { key: eventKey(id, STAGE.expand, t + 1), edge: e, lo });
        continue;
      }
      if (!ok) {
        this.#pendingKey = eventKey(id, STAGE.expand, t + 1);
        this.pending = { property: i, parent: id, edge: e, lo };
        return;
      }
    }
  }

  #terminal(key: number, ev: Event): void {
    if (key < this.#eventKey) { this.#eventKey = key; this.event = ev; }
  }

  #conditional(key: number, kind: number, err: unknown): void {
    if (key < this.#condKey) { this.#condKey = key; this.#condKind = kind; this.cond = err; }
  }

  #room(n: number): void {
    const mine = this.#mine;
    if (n <= mine.lo.view.length && n * this.stateWords <= mine.words.view.length) return;
    const cap = Math.max(n, 2 * mine.lo.view.length);
    for (const a of [mine.lo, mine.hi, mine.parent, mine.edge, mine.generated, ...mine.flags]) a.ensure(cap);
    if (this.parts > 1) for (const a of [...mine.bucketLo, ...mine.bucketHi]) a.ensure(cap);
    mine.words.ensure(cap * this.stateWords);
    this.#views();
  }

  #views(): void {
    this.#bucketLo = this.#mine.bucketLo.map((b) => b.view); this.#bucketHi = this.#mine.bucketHi.map((b) => b.view);
  }

  /** The first transition violation over the parts (this level), and the first witnesses. */
  #pendingNow(): { key: number; part: number } {
    let key = this.counters.pendingKey, part = this.counters.pendingPart;
    for (let v = 0; v < this.parts; v++) { const k = this.#read(v, CELL.pending); if (k < key) { key = k; part = v; } }
    return { key, part };
  }

  /** `discover`: slot s's first key over the search and this round's parts. */
  #foundNow(s: number): number {
    let k = this.counters.found[s]!;
    const at = this.#slotCells + this.checks.sometimes.length + s;
    for (let v = 0; v < this.parts; v++) k = Math.min(k, this.#read(v, at));
    return k;
  }

  #witnessNow(i: number): number {
    let id = this.counters.witness[i]!;
    for (let v = 0; v < this.parts; v++) id = Math.min(id, this.#read(v, this.#slotCells + i));
    return id;
  }

  /** After phase 1, in every part alike: the first part whose event counts, its key, and whether it is the part's conditional error. */
  #cut(): { part: number; key: number; cond: boolean } {
    const pending = this.#pendingNow().key;
    let part = this.parts, key = NONE, cond = false;
    for (let v = 0; v < this.parts; v++) {
      let k = this.#read(v, CELL.event), c = false;
      const ck = this.#read(v, CELL.cond);
      if (ck < k) {
        const kind = this.#read(v, CELL.condKind);
        if (kind <= -2 ? this.#foundNow(-2 - kind) > ck : kind < 0 ? pending > ck : this.#witnessNow(kind) > keyId(ck)) { k = ck; c = true; }
      }
      if (k < key) { key = k; part = v; cond = c; }
    }
    return { part, key, cond };
  }

  /** The payload of the search's end event, if this part holds it. */
  payload(): Event | undefined {
    const e = this.end;
    if (e?.kind !== 'event' || e.part !== this.index) return undefined;
    return e.cond ? { kind: 'error', error: this.cond } : this.event;
  }

  /** After phase 1, in every part alike: the next rounds' slices (`resplit`; a round too small to time well changes nothing). */
  #resplit(size: number): void {
    if (size < RESPLIT_MIN * this.parts) return;
    const n: number[] = [], took: number[] = [];
    for (let v = 0; v < this.parts; v++) { n.push(this.#sliceAt(v + 1, size) - this.#sliceAt(v, size)); took.push(this.#read(v, CELL.took)); }
    resplit(this.#split, n, took);
  }

  /** Part 0, before phase 2: room in the shared arrays for every candidate of the round. */
  #grow(last: number): void {
    let cands = 0;
    for (let v = 0; v <= last; v++) cands += this.#read(v, CELL.candidates);
    const spill = this.#spill;
    this.#levels[1].ensure((this.counters.nextCount - (spill?.nextBase ?? 0) + cands) * this.stateWords);
    const states = this.counters.states - (spill?.treeBase ?? 0) + cands;
    this.parent.ensure(states); this.via.ensure(states); this.check.ensure(states);
  }

  /**
   * Phase 2: insert, in order, the candidates of parts 0..last that fall into this part's
   * partition: with several parts, the buckets they addressed to it (in part order, so that the
   * first of equal candidates wins as in one thread).
   */
  #insert(last: number): void {
    if (this.#targets !== undefined) { this.#insertIds(); return; }
    const t = this.visited, parts = this.parts, index = this.index, ids = this.#visitedRule ? this.table : undefined, base = this.counters.states;
    for (let v = 0; v < parts; v++) {
      if (v > last) { this.#write(NEW_COUNTS + v, 0); continue; }
      const cv = this.#candidates[v]!;
      if (v !== index) cv.refresh();
      const n = this.#read(v, parts === 1 ? CELL.candidates : this.#bucketCells + index), flag = cv.flags[index]!.view;
      const lo = parts === 1 ? cv.lo.view : cv.bucketLo[index]!.view, hi = parts === 1 ? cv.hi.view : cv.bucketHi[index]!.view;
      let added = 0;
      for (let j0 = 0; j0 < n; j0 += 256) {
        const j1 = Math.min(n, j0 + 256);
        // the home cells of a block first, so that their cache misses overlap (a software prefetch)
        let acc = 0;
        for (let j = j0; j < j1; j++) acc ^= t.home(lo[j]!, hi[j]!);
        this.#sink ^= acc;
        for (let j = j0; j < j1; j++) {
          if (ids === undefined ? t.add(lo[j]!, hi[j]!) : ids.addId(lo[j]!, hi[j]!, base + added) < 0) { flag[j] = 1; added++; } else flag[j] = 0;
        }
      }
      this.#write(NEW_COUNTS + v, added);
    }
    this.#write(CELL.tableBytes, t.bytes); this.#write(CELL.memo, this.expander.bytes); this.#write(CELL.observed, this.#observedBytes());
  }

  #observedBytes(): number {
    let n = this.#targets?.byteLength ?? 0;
    for (const o of this.#observers) n += o.bytes;
    return n;
  }

  /** Phase 2 in the one part, for observers that want each successor's state id: new states are numbered as they are inserted. */
  #insertIds(): void {
    const t = this.table, cv = this.#mine, n = this.#read(0, CELL.candidates), lo = cv.lo.view, hi = cv.hi.view, flag = cv.flags[0]!.view;
    if (this.#targets!.length < n) this.#targets = new Int32Array(Math.max(n, 2 * this.#targets!.length));
    const ids = this.#targets!;
    let added = 0;
    for (let j = 0; j < n; j++) {
      const id = t.addId(lo[j]!, hi[j]!, this.counters.states + added);
      if (id < 0) { ids[j] = this.counters.states + added; flag[j] = 1; added++; } else { ids[j] = id; flag[j] = 0; }
    }
    this.#write(NEW_COUNTS + 0, added);
    this.#write(CELL.tableBytes, t.bytes); this.#write(CELL.memo, this.expander.bytes); this.#write(CELL.observed, this.#observedBytes());
    for (const o of this.#observers) if (o.ids) o.targets(ids, n);
  }

  /**
   * Whether each candidate of `c`, in order, was new (its partition's owner said so): its flag
   * is at the candidate's rank in its bucket, counted in `cursor` (one cell per partition).
   */
  #isNew(c: Candidates, j: number, cursor: Int32Array): number {
    if (this.parts === 1) return c.flags[0]!.view[j]!;
    const p = partOf(c.hi.view[j]!, this.parts);
    return c.flags[p]!.view[cursor[p]!++]!;
  }

  /** New candidates of part v this round, over every partition. */
  #newsOf(v: number): number {
    let n = 0;
    for (let p = 0; p < this.parts; p++) n += this.#read(p, NEW_COUNTS + v);
    return n;
  }

  /**
   * Phase 3: copy this part's new candidates into the next level and the per-state arrays. With
   * `--max-states`, the state that would go past the bound ends the search before it is stored.
   */
  #commit(last: number): void {
    if (this.index > last) return;
    const width = this.stateWords, counters = this.counters;
    let before = 0;
    for (let v = 0; v < this.index; v++) before += this.#newsOf(v);
    const news = Math.min(this.#newsOf(this.index), Math.max(0, this.#opts.maxStates - counters.states - before));
    if (news <= 0) return;
    const mine = this.#mine, n = this.#read(this.index, CELL.candidates), words = mine.words.view, fl = mine.flags.map((f) => f.view), parts = this.parts;
    const level = this.#levels[1].refresh(), parent = this.parent.refresh(), via = this.via.refresh(), check = this.check.refresh();
    const lo = mine.lo.view, hi = mine.hi.view, par = mine.parent.view, edge = mine.edge.view, cursor = this.#bucketN;
    const nextAt = counters.nextCount - (this.#spill?.nextBase ?? 0), treeAt = counters.states - (this.#spill?.treeBase ?? 0);
    cursor.fill(0);   // its sizes are on the board: it counts each bucket's rank again
    for (let j = 0, r = 0; j < n && r < news; j++) {
      if (parts === 1) { if (fl[0]![j] === 0) continue; } else { const p = partOf(hi[j]!, parts); if (fl[p]![cursor[p]!++] === 0) continue; }
      const at = (nextAt + before + r) * width, gid = treeAt + before + r;
      for (let i = 0; i < width; i++) level[at + i] = words[j * width + i]!;
      parent[gid] = par[j]!; via[gid] = edge[j]!; check[gid] = lo[j]! & 0xff;
      r++;
    }
  }

  /** After phase 3, in every part alike: the counters move on; how the search goes on. */
  #advance(cut: { part: number; key: number; cond: boolean }, last: number, stop: boolean): 'round' | 'level' | 'end' {
    const counters = this.counters, max = this.#opts.maxStates;
    let news = 0, succs = 0;
    for (let v = 0; v <= last; v++) { news += this.#newsOf(v); succs += this.#read(v, CELL.successors); }
    const pending = this.#pendingNow();
    counters.pendingKey = pending.key; counters.pendingPart = pending.part;
    // witnesses count up to where the search stops (an event, or the state whose successor passes
    // --max-states): parts after it have looked further into the round than one thread would
    let upTo = cut.key;
    if (counters.states + news > max) {
      // the candidate that would be state max + 1: the transitions counted when it was generated
      let rank = max - counters.states, before = counters.transitions;
      for (let v = 0; v <= last; v++) {
        const nv = this.#newsOf(v);
        if (rank < nv) {
          const at = this.#newAt(v, rank);
          counters.transitions = before + at.trans;
          upTo = Math.min(upTo, eventKey(at.parent, STAGE.expand));
          break;
        }
        rank -= nv; before += this.#read(v, CELL.successors);
      }
      this.#witnessesUpTo(upTo);
      this.#foundUpTo(upTo, true);
      counters.states = max;
      this.end = { kind: 'bound' };
      return 'end';
    }
    this.#witnessesUpTo(upTo);
    counters.states += news; counters.nextCount += news; counters.transitions += succs;
    counters.cursor += Math.min(counters.levelCount - counters.cursor, this.#roundSize * this.parts);
    const levelEnds = counters.cursor >= counters.levelCount;
    // a search for a transition property alone reports it when its level ends: cut short before, it says nothing
    if (cut.key < NONE) { this.#foundUpTo(upTo, true); this.end = { kind: 'event', part: cut.part, id: keyId(cut.key), cond: cut.cond }; return 'end'; }
    if (stop) { this.#foundUpTo(upTo, true); this.end = { kind: 'stopped' }; return 'end'; }
    this.#foundUpTo(upTo, false);
    // at a level's end, so that states and transitions are the same for any number of parts (and under --max-states)
    if (this.#found.length > 0 && !this.#opts.exhaust && levelEnds && this.#allFound()) { this.end = { kind: 'discovered' }; return 'end'; }
    if (!levelEnds) return 'round';
    if (counters.pendingKey < NONE) { this.end = { kind: 'pending', part: counters.pendingPart }; return 'end'; }
    if (counters.nextCount === 0) { this.end = { kind: 'done' }; return 'end'; }
    if (counters.depth + 1 > (this.#opts.maxDepth ?? Infinity)) { this.end = { kind: 'depth' }; return 'end'; }
    counters.levelStart += counters.levelCount; counters.levelCount = counters.nextCount; counters.nextCount = 0; counters.cursor = 0; counters.depth++;
    this.#unwitnessed = unwitnessed(counters.witness);
    this.#levels.reverse();
    return 'level';
  }

  /** Part v's new candidate of the given rank (this round): its parent, and the successors the part had generated with it. */
  #newAt(v: number, rank: number): { parent: number; trans: number } {
    const cv = this.#candidates[v]!;
    cv.refresh();
    const tr = cv.generated.view, par = cv.parent.view, n = this.#read(v, CELL.candidates);
    const cursor = new Int32Array(this.parts);
    for (let j = 0, r = 0; j < n; j++) if (this.#isNew(cv, j, cursor) === 1 && r++ === rank) return { parent: par[j]!, trans: tr[j]! };
    throw new Error('Assertion failed: the candidate past --max-states is missing');
  }

  /** The search's witnesses: the first of every part's, if it comes before `key` (the witness stage of a state precedes its expansion). */
  #witnessesUpTo(key: number): void {
    const counters = this.counters;
    for (let i = 0; i < counters.witness.length; i++) {
      const id = this.#witnessNow(i);
      counters.witness[i] = id < NONE && eventKey(id, STAGE.sometimes) < key ? id : counters.witness[i]!;
    }
  }

  /**
   * `discover`: the search's slots, the first of every part's this round if it comes before
   * `key`; when the search ends short of its level's end (`cut`), without this level's
   * transition violations.
   */
  #foundUpTo(key: number, cut: boolean): void {
    const counters = this.counters;
    for (let s = 0; s < counters.found.length; s++) {
      const k = this.#foundNow(s);
      counters.found[s] = k < key ? k : counters.found[s]!;
      if (cut && s >= this.#slotTrans && s < this.#slotDeadlock && counters.found[s]! < NONE && keyId(counters.found[s]!) >= counters.levelStart) counters.found[s] = NONE;
    }
  }

  /** `discover`: every slot and every witness found (the deadlock slot only when deadlocks are checked). */
  #allFound(): boolean {
    const counters = this.counters;
    for (let s = 0; s < counters.found.length; s++) if (counters.found[s] === NONE && (s !== this.#slotDeadlock || this.#opts.deadlock)) return false;
    if (this.#opts.slotsOnly) return true;
    for (let i = 0; i < counters.witness.length; i++) if (counters.witness[i] === NONE) return false;
    return true;
  }

  /** Part 0: the counters on the board, for whoever watches. */
  #publish(): void {
    const counters = this.counters, b = this.board;
    b[BOARD.states] = counters.states; b[BOARD.depth] = counters.depth; b[BOARD.queue] = counters.levelCount - counters.cursor + counters.nextCount;
  }

  /** Bytes the search holds: tables and memos (as the parts last reported), candidates, per-state arrays, levels. */
  bytes(): number {
    let n = 0;
    for (let v = 0; v < this.parts; v++) {
      const at = (c: number): number => Math.max(this.board[this.#cell(v, c, 0)]!, this.board[this.#cell(v, c, 1)]!);
      n += at(CELL.tableBytes) + at(CELL.memo) + at(CELL.observed);
    }
    for (const c of this.#candidates) n += c.bytes;
    return n + (this.counters.states - (this.#spill?.treeBase ?? 0)) * (4 + this.via.view.BYTES_PER_ELEMENT + 1) + this.#levels[0].sab.byteLength + this.#levels[1].sab.byteLength;
  }

  get sink(): number { return this.#sink; }
}
