/**
 * @internal One part of the breadth-first search: what one thread does (`bfs.ts` runs one part
 * in-process; `--workers N` runs N, one per worker thread, over the same shared memory).
 *
 * The search is level-synchronous and goes through each level in rounds. In a round, part w
 * (1) expands its contiguous slice of the round's states into candidates (successor, its
 * fingerprint, parent, edge); (2) inserts into its partition of the visited set, in order, the
 * candidates of every part whose fingerprint falls into that partition, marking each new or
 * seen; (3) copies its new candidates into the next level at offsets that the counts of all
 * parts give. Barriers separate the phases. Since slices are in state order and each partition
 * is filled in candidate order, the first of several equal candidates wins, new states are
 * numbered in discovery order and duplicates dropped exactly as a single thread does: states,
 * transitions, depth, verdict, parents and hence traces are the same for any number of parts.
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
import { fingerprint, fp } from '../state/fingerprint.ts';
import { type Property, type Transition } from '../model/property.ts';
import { truth } from '../model/truth.ts';
import { Expander } from './expander.ts';
import { Audit, auditRepeats } from './audit.ts';
import { Grown } from './shared.ts';
import { stepInfos } from './steps.ts';
import { attribute } from './semantics.ts';
import type { Deadlock } from './deadlock.ts';
import type { Instance } from '../state/instance.ts';
import type { Reduction } from './por.ts';
import type { Observer, Tree } from './observer.ts';

type Of<K extends Property['kind']> = Extract<Property, { kind: K }>;

/** States a part expands per round (a round is this times the number of parts). */
export const ROUND = 2048;

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
  /** Per part: lo, hi, parent, edge, trans, words, then one flag array per partition. */
  readonly cands: readonly (readonly SharedArrayBuffer[])[];
  /** Per part, when lockdep's record watches the search: its transitions' source, edge, and the states before and after (`acquisitions.ts`). */
  readonly acquisitions?: readonly (readonly SharedArrayBuffer[])[];
}

/** Global board cells, written by part 0 for whoever watches (progress, the main thread's stop). */
export const BOARD = { states: 0, depth: 1, queue: 2, stop: 3 } as const;
const GLOBAL = 8;
/** Per-part cells (then `parts` cells of new counts, then one witness cell per sometimes property). */
const C = { cands: 0, succs: 1, event: 2, cond: 3, condKind: 4, pending: 5, stop: 6, tableBytes: 7, memo: 8, observed: 9 } as const;
const NEWS = 10;

const blockSize = (parts: number, cells: number): number => NEWS + parts + cells;

/** Board cells per part past the new counts: a witness per sometimes property, then with `discover` a slot per always, transition and deadlock. */
export const slotCells = (inst: Instance, discover: boolean): number => {
  const n = (k: Property['kind']): number => inst.properties.filter((p) => p.kind === k).length;
  return n('sometimes') + (discover ? n('always') + n('transition') + 1 : 0);
};

export function createMemory(parts: number, cells: number, acquisitions = false): Memory {
  const g = (): SharedArrayBuffer => new Grown(Uint8Array).sab;
  return {
    board: new SharedArrayBuffer(8 * (GLOBAL + 2 * parts * blockSize(parts, cells))),
    ctrl: new SharedArrayBuffer(16),
    levels: [g(), g()], parent: g(), via: g(), check: g(),
    cands: Array.from({ length: parts }, () => Array.from({ length: 6 + parts }, g)),
    ...(acquisitions ? { acquisitions: Array.from({ length: parts }, () => [g(), g(), g()]) } : {}),
  };
}

/** What the parts kept besides the counters: `discover`'s first events (with what rebuilds them), and the edges that fired. */
export interface Gathered { readonly found: readonly (Found | undefined)[]; readonly fired: Uint8Array }

/** The parts' records as one: per slot the least key, and every edge any part fired. */
export function gather(all: readonly Gathered[]): Gathered {
  const fired = new Uint8Array(all[0]?.fired.length ?? 0), found: (Found | undefined)[] = [];
  for (const g of all) {
    for (let e = 0; e < fired.length; e++) fired[e]! |= g.fired[e]!;
    g.found.forEach((f, s) => { if (f !== undefined && (found[s] === undefined || f.key < found[s]!.key)) found[s] = f; });
  }
  return { found, fired };
}

/** A part's candidates: the successors of its slice, in order, readable by every part. */
class Cands {
  readonly lo: Grown<Int32Array>;
  readonly hi: Grown<Int32Array>;
  readonly parent: Grown<Int32Array>;
  readonly edge: Grown<Int32Array>;
  /** Successors the part generated in the round, up to and including this one. */
  readonly trans: Grown<Float64Array>;
  readonly words: Grown<Uint32Array>;
  /**
   * After the insert phase, per partition (written by its owner only, so that two owners never
   * write one cache line): 1 new, 0 seen, for the candidates that fall into it.
   */
  readonly flags: Grown<Uint8Array>[];
  constructor(b: readonly SharedArrayBuffer[]) {
    this.lo = new Grown(Int32Array, b[0]); this.hi = new Grown(Int32Array, b[1]); this.parent = new Grown(Int32Array, b[2]);
    this.edge = new Grown(Int32Array, b[3]); this.trans = new Grown(Float64Array, b[4]); this.words = new Grown(Uint32Array, b[5]);
    this.flags = b.slice(6).map((x) => new Grown(Uint8Array, x));
  }
  get all(): Grown<Int32Array | Float64Array | Uint32Array | Uint8Array>[] { return [this.lo, this.hi, this.parent, this.edge, this.trans, this.words, ...this.flags]; }
  refresh(): void { for (const g of this.all) g.refresh(); }
  get bytes(): number { return this.all.reduce((n, g) => n + g.sab.byteLength, 0); }
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
}

/** The search's counters, kept by every part (they compute the same). */
export class Counters {
  states = 1;
  transitions = 1;
  levelStart = 0;
  levelCount = 1;
  nextCount = 0;
  depth = 0;
  /** Next state of the level to expand. */
  k = 0;
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
  readonly g: Counters;
  readonly table: FpTable['raw'];
  readonly unwitnessed: number;
}

/** Bit i set while witness i has not been found (bits past 30: always set). */
const unwitnessed = (w: Float64Array): number => {
  let m = ~0;
  for (let i = 0; i < Math.min(31, w.length); i++) if (w[i]! < NONE) m &= ~(1 << i);
  return m;
};

export class Part {
  readonly ex: Expander;
  readonly w: number;
  readonly parts: number;
  readonly W: number;
  readonly table: FpTable;
  readonly always: readonly Of<'always'>[];
  readonly sometimes: readonly Of<'sometimes'>[];
  readonly trans: readonly Of<'transition'>[];
  readonly g: Counters;
  readonly board: Float64Array;
  readonly parent: Grown<Int32Array>;
  readonly via: Grown<Uint16Array> | Grown<Int32Array>;
  readonly check: Grown<Uint8Array>;
  readonly #opts: PartOptions;
  readonly #infos: readonly Transition['step'][];
  readonly #levels: [Grown<Uint32Array>, Grown<Uint32Array>];
  readonly #cands: Cands[];
  readonly #mine: Cands;
  readonly #selected: Int32Array;
  readonly #audit: Audit;
  readonly #observers: readonly Observer[];
  /** Per observer: the index of its first predicate in the expander. */
  readonly #predBase: readonly number[];
  /** With an observer that wants them: each candidate's state id (`#insertIds`). */
  #targets: Int32Array | undefined;
  // this round, this part's slice
  #c = 0;
  #succs = 0;
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
  /** Rounds run (the same in every part). */
  #round = 0;
  /** Bit i: sometimes property i had no witness when the level began (what the reduction must keep visible). */
  #unwitnessed = -1;

  constructor(inst: Instance, opts: PartOptions, mem: Memory, w: number, parts: number, resume?: Resume) {
    const of = <K extends Property['kind']>(k: K) => inst.properties.filter((p): p is Of<K> => p.kind === k);
    this.always = of('always'); this.sometimes = of('sometimes'); this.trans = of('transition');
    this.#observers = opts.observers ?? [];
    if (this.#observers.some((o) => o.ids) && (parts > 1 || resume !== undefined)) throw new Error('Assertion failed: an observer of state ids watches a search in one part');
    const own = [...this.always, ...this.sometimes].map((p) => ({ name: p.name, fn: p.pred }));
    this.#predBase = this.#observers.map((_, i) => own.length + this.#observers.slice(0, i).reduce((n, x) => n + x.preds.length, 0));
    this.ex = new Expander(inst, [...own, ...this.#observers.flatMap((o) => o.preds)]);
    this.#targets = this.#observers.some((o) => o.ids) ? new Int32Array(1024) : undefined;
    this.w = w; this.parts = parts; this.W = this.ex.W;
    this.#opts = opts;
    this.#infos = stepInfos(inst);
    const slots = opts.discover ? this.always.length + this.trans.length + 1 : 0;
    this.#slotTrans = this.always.length; this.#slotDeadlock = this.always.length + this.trans.length;
    this.g = resume ? Counters.of(resume.g) : new Counters(this.sometimes.length, slots);
    this.#unwitnessed = resume ? resume.unwitnessed : -1;
    this.table = resume ? FpTable.from(resume.table, (_, hi) => partOf(hi, parts) === w) : new FpTable(12, this.#targets !== undefined);
    this.board = new Float64Array(mem.board);
    this.#levels = [new Grown(Uint32Array, mem.levels[0]), new Grown(Uint32Array, mem.levels[1])];
    this.parent = new Grown(Int32Array, mem.parent);
    this.via = inst.edges.length < 0xffff ? new Grown(Uint16Array, mem.via) : new Grown(Int32Array, mem.via);
    this.check = new Grown(Uint8Array, mem.check);
    this.#cands = mem.cands.map((b) => new Cands(b));
    this.#mine = this.#cands[w]!;
    this.#witness = new Float64Array(this.sometimes.length);
    this.#found = new Float64Array(slots);
    this.found = Array.from({ length: slots }, () => undefined);
    this.fired = new Uint8Array(inst.edges.length);
    this.#selected = new Int32Array(Math.max(1, inst.edges.length));
    this.#audit = new Audit(inst, this.ex, [...this.always, ...this.sometimes].map((p) => p.name), this.trans);
  }

  /** Writes the initial state (packed in `words`) as state 0; done once, before any part runs. */
  static init(mem: Memory, W: number, words: Uint32Array, wideVia: boolean): void {
    const level = new Grown(Uint32Array, mem.levels[0]).ensure(W);
    level.set(words.subarray(0, W));
    fingerprint(level, 0, W);
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
    fingerprint(this.#levels[0].refresh(), 0, this.W);
    if (this.#targets !== undefined) this.table.addId(fp.lo, fp.hi, 0);
    else if (partOf(fp.hi, this.parts) === this.w) this.table.add(fp.lo, fp.hi);
  }

  /** The BFS tree as it stands (after the search: of every state it stored). */
  tree(): Tree {
    return { states: this.g.states, parent: this.parent.refresh(), via: this.via.refresh(), check: this.check.refresh() };
  }

  /** Per-part cells come in two sets, by the round's parity: a part may start round r+1 while another still reads round r's. */
  #cell(v: number, c: number, parity = this.#round & 1): number { return GLOBAL + (parity * this.parts + v) * blockSize(this.parts, this.sometimes.length + this.#found.length) + c; }
  #read(v: number, c: number): number { return this.board[this.#cell(v, c)]!; }
  #write(c: number, x: number): void { this.board[this.#cell(this.w, c)] = x; }

  /**
   * One round: the three phases, with `barrier()` between them (a no-op for one part). A part
   * may go on to the next round of the same level while another still commits: next round's
   * cells are the other set, and what it reads of the level was committed a level ago. A new
   * level waits for every commit into it.
   */
  round(barrier: () => void): 'round' | 'level' | 'end' {
    this.#round++;
    this.#expand();
    barrier();
    const stop = this.#read(0, C.stop) !== 0;
    const cut = this.#cut();
    const last = Math.min(cut.part, this.parts - 1);
    if (this.w === 0) this.#grow(last);
    this.#insert(last);
    barrier();
    this.#commit(last);
    const step = this.#advance(cut, last, stop);
    if (step !== 'round') barrier();
    if (this.w === 0) this.#publish();
    return step;
  }

  /** Phase 1: expand this part's slice of the round. */
  #expand(): void {
    const g = this.g, size = Math.min(g.levelCount - g.k, ROUND * this.parts), q = Math.ceil(size / this.parts);
    const from = g.k + Math.min(size, this.w * q), to = g.k + Math.min(size, (this.w + 1) * q);
    const level = this.#levels[0].refresh();
    this.ex.depth = g.depth;
    this.#c = 0; this.#succs = 0;
    this.#eventKey = NONE; this.event = undefined; this.#condKey = NONE; this.cond = undefined;
    this.#witness.fill(NONE); this.#found.fill(NONE);
    for (let k = from; k < to && this.#eventKey === NONE; k++) {
      const id = g.levelStart + k;
      try {
        this.#state(level, k, id);
      } catch (err) {
        this.#terminal(eventKey(id, this.#stage), { kind: 'error', error: err });
      }
    }
    this.#write(C.cands, this.#c); this.#write(C.succs, this.#succs);
    this.#write(C.event, this.#eventKey); this.#write(C.cond, this.#condKey); this.#write(C.condKind, this.#condKind);
    this.#write(C.pending, this.#pendingKey);
    if (this.w === 0) this.#write(C.stop, this.board[BOARD.stop]!);
    for (let i = 0; i < this.#witness.length; i++) this.#write(NEWS + this.parts + i, this.#witness[i]!);
    for (let s = 0, at = NEWS + this.parts + this.#witness.length; s < this.#found.length; s++) this.#write(at + s, this.#found[s]!);
  }

  /** Checks state k of the level (state `id`) and appends its successors. */
  #state(level: Uint32Array, k: number, id: number): void {
    const ex = this.ex, W = this.W, from = k * W, nA = this.always.length, g = this.g;
    this.#stage = STAGE.always;
    ex.unpack(level, from, ex.cur);
    const discover = this.#found.length > 0;
    if (discover) { for (let i = 0; i < nA; i++) if (this.#unfound(i) && !ex.holds(i)) this.#discovered(i, { key: eventKey(id, STAGE.always) }); }
    else for (let i = 0; i < nA; i++) if (!ex.holds(i)) { this.#terminal(eventKey(id, STAGE.always), { kind: 'safety', property: i }); return; }
    this.#stage = STAGE.sometimes;
    for (let i = 0; i < this.sometimes.length; i++) {
      if (this.#witness[i]! < NONE || g.witness[i]! < NONE) continue;
      try { if (ex.holds(nA + i)) this.#witness[i] = id; } catch (err) { this.#conditional(eventKey(id, STAGE.sometimes), i, err); }
    }
    this.#stage = STAGE.expand;
    const n = ex.enabled();
    const reps = auditRepeats(id);
    if (reps > 0) this.#audit.state(n, reps);
    const red = this.#opts.reduction, sel = this.#selected;
    const m = red === undefined ? n : red.select(ex, n, sel, this.#unwitnessed);
    const c = this.#c;
    this.#room(c + m);
    const mine = this.#mine, words = mine.words.view, lo = mine.lo.view, hi = mine.hi.view, par = mine.parent.view, edge = mine.edge.view, tr = mine.trans.view;
    const checkTrans = this.trans.length > 0 && (discover ? this.#transUnfound() : g.pendingKey === NONE);
    const fired = this.fired, canon = this.#opts.canon;
    if (red !== undefined) for (let j = 0; j < n; j++) fired[ex.edge[j]!] = 1;
    for (let t = 0; t < m; t++) {
      const j = red === undefined ? t : sel[t]!;
      const e = ex.edge[j]!, leaf = ex.leaf[j]!, at = (c + t) * W;
      ex.pack(leaf, level, from, words, at);
      canon?.canonPacked(words, at);
      fingerprint(words, at, W);
      lo[c + t] = fp.lo; hi[c + t] = fp.hi; par[c + t] = id; edge[c + t] = e; tr[c + t] = ++this.#succs;
      fired[e] = 1;
      if (checkTrans && this.#pendingKey === NONE) this.#transition(id, t, e, leaf, lo[c + t]!, discover);
    }
    for (let o = 0; o < this.#observers.length; o++) this.#observers[o]!.expanded(id, ex, this.#predBase[o]!, m, level, from, words, c);
    this.#c = c + m;
    this.#stage = STAGE.deadlock;
    if (this.#opts.deadlock && (!discover || this.#unfound(this.#slotDeadlock))) {
      const d = ex.deadlock();
      if (d !== undefined) {
        if (discover) this.#discovered(this.#slotDeadlock, { key: eventKey(id, STAGE.deadlock), cycle: d.cycle });
        else this.#terminal(eventKey(id, STAGE.deadlock), { kind: 'deadlock', cycle: d.cycle });
      }
    }
  }

  /** `discover`: slot s has no event yet, in the search or in this part's round. */
  #unfound(s: number): boolean { return this.g.found[s] === NONE && this.#found[s] === NONE; }

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
    const ex = this.ex, after = ex.after(leaf), step = this.#infos[e]!;
    for (let i = 0; i < this.trans.length; i++) {
      const s = this.#slotTrans + i;
      if (discover && !this.#unfound(s)) continue;
      const p = this.trans[i]!, where = `property '${p.name}'`;
      let ok: boolean;
      try {
        try { ok = truth(p.pred({ before: ex.view, step, after }), where); } catch (err) { attribute(err, where); }
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
    if (n <= mine.lo.view.length && n * this.W <= mine.words.view.length) return;
    const cap = Math.max(n, 2 * mine.lo.view.length);
    for (const a of [mine.lo, mine.hi, mine.parent, mine.edge, mine.trans, ...mine.flags]) a.ensure(cap);
    mine.words.ensure(cap * this.W);
  }

  /** The first transition violation over the parts (this level), and the first witnesses. */
  #pendingNow(): { key: number; part: number } {
    let key = this.g.pendingKey, part = this.g.pendingPart;
    for (let v = 0; v < this.parts; v++) { const k = this.#read(v, C.pending); if (k < key) { key = k; part = v; } }
    return { key, part };
  }

  /** `discover`: slot s's first key over the search and this round's parts. */
  #foundNow(s: number): number {
    let k = this.g.found[s]!;
    const at = NEWS + this.parts + this.sometimes.length + s;
    for (let v = 0; v < this.parts; v++) k = Math.min(k, this.#read(v, at));
    return k;
  }

  #witnessNow(i: number): number {
    let w = this.g.witness[i]!;
    for (let v = 0; v < this.parts; v++) w = Math.min(w, this.#read(v, NEWS + this.parts + i));
    return w;
  }

  /** After phase 1, in every part alike: the first part whose event counts, its key, and whether it is the part's conditional error. */
  #cut(): { part: number; key: number; cond: boolean } {
    const pending = this.#pendingNow().key;
    let part = this.parts, key = NONE, cond = false;
    for (let v = 0; v < this.parts; v++) {
      let k = this.#read(v, C.event), c = false;
      const ck = this.#read(v, C.cond);
      if (ck < k) {
        const kind = this.#read(v, C.condKind);
        if (kind <= -2 ? this.#foundNow(-2 - kind) > ck : kind < 0 ? pending > ck : this.#witnessNow(kind) > keyId(ck)) { k = ck; c = true; }
      }
      if (k < key) { key = k; part = v; cond = c; }
    }
    return { part, key, cond };
  }

  /** The payload of the search's end event, if this part holds it. */
  payload(): Event | undefined {
    const e = this.end;
    if (e?.kind !== 'event' || e.part !== this.w) return undefined;
    return e.cond ? { kind: 'error', error: this.cond } : this.event;
  }

  /** Part 0, before phase 2: room in the shared arrays for every candidate of the round. */
  #grow(last: number): void {
    let cands = 0;
    for (let v = 0; v <= last; v++) cands += this.#read(v, C.cands);
    this.#levels[1].ensure((this.g.nextCount + cands) * this.W);
    const states = this.g.states + cands;
    this.parent.ensure(states); this.via.ensure(states); this.check.ensure(states);
  }

  /** Phase 2: insert, in order, the candidates of parts 0..last that fall into this part's partition. */
  #insert(last: number): void {
    if (this.#targets !== undefined) { this.#insertIds(); return; }
    const t = this.table, parts = this.parts, w = this.w;
    for (let v = 0; v < parts; v++) {
      if (v > last) { this.#write(NEWS + v, 0); continue; }
      const cv = this.#cands[v]!;
      if (v !== w) cv.refresh();
      const n = this.#read(v, C.cands), lo = cv.lo.view, hi = cv.hi.view, flag = cv.flags[w]!.view;
      let added = 0;
      for (let j0 = 0; j0 < n; j0 += 256) {
        const j1 = Math.min(n, j0 + 256);
        // the home cells of a block first, so that their cache misses overlap (a software prefetch)
        let acc = 0;
        for (let j = j0; j < j1; j++) if (parts === 1 || partOf(hi[j]!, parts) === w) acc ^= t.home(lo[j]!, hi[j]!);
        this.#sink ^= acc;
        for (let j = j0; j < j1; j++) {
          if (parts > 1 && partOf(hi[j]!, parts) !== w) continue;
          if (t.add(lo[j]!, hi[j]!)) { flag[j] = 1; added++; } else flag[j] = 0;
        }
      }
      this.#write(NEWS + v, added);
    }
    this.#write(C.tableBytes, t.bytes); this.#write(C.memo, this.ex.bytes); this.#write(C.observed, this.#observedBytes());
  }

  #observedBytes(): number {
    let n = this.#targets?.byteLength ?? 0;
    for (const o of this.#observers) n += o.bytes;
    return n;
  }

  /** Phase 2 in the one part, for observers that want each successor's state id: new states are numbered as they are inserted. */
  #insertIds(): void {
    const t = this.table, cv = this.#mine, n = this.#read(0, C.cands), lo = cv.lo.view, hi = cv.hi.view, flag = cv.flags[0]!.view;
    if (this.#targets!.length < n) this.#targets = new Int32Array(Math.max(n, 2 * this.#targets!.length));
    const ids = this.#targets!;
    let added = 0;
    for (let j = 0; j < n; j++) {
      const id = t.addId(lo[j]!, hi[j]!, this.g.states + added);
      if (id < 0) { ids[j] = this.g.states + added; flag[j] = 1; added++; } else { ids[j] = id; flag[j] = 0; }
    }
    this.#write(NEWS + 0, added);
    this.#write(C.tableBytes, t.bytes); this.#write(C.memo, this.ex.bytes); this.#write(C.observed, this.#observedBytes());
    for (const o of this.#observers) if (o.ids) o.targets(ids, n);
  }

  /** 1 if candidate j of `c` was new (its partition's owner said so). */
  #isNew(c: Cands, j: number): number { return c.flags[this.parts === 1 ? 0 : partOf(c.hi.view[j]!, this.parts)]!.view[j]!; }

  /** New candidates of part v this round, over every partition. */
  #newsOf(v: number): number {
    let n = 0;
    for (let p = 0; p < this.parts; p++) n += this.#read(p, NEWS + v);
    return n;
  }

  /**
   * Phase 3: copy this part's new candidates into the next level and the per-state arrays. With
   * `--max-states`, the state that would go past the bound ends the search before it is stored.
   */
  #commit(last: number): void {
    if (this.w > last) return;
    const W = this.W, g = this.g;
    let before = 0;
    for (let v = 0; v < this.w; v++) before += this.#newsOf(v);
    const news = Math.min(this.#newsOf(this.w), Math.max(0, this.#opts.maxStates - g.states - before));
    if (news <= 0) return;
    const mine = this.#mine, n = this.#read(this.w, C.cands), words = mine.words.view, fl = mine.flags.map((f) => f.view), parts = this.parts;
    const level = this.#levels[1].refresh(), parent = this.parent.refresh(), via = this.via.refresh(), check = this.check.refresh();
    const lo = mine.lo.view, hi = mine.hi.view, par = mine.parent.view, edge = mine.edge.view;
    for (let j = 0, r = 0; j < n && r < news; j++) {
      if (fl[parts === 1 ? 0 : partOf(hi[j]!, parts)]![j] === 0) continue;
      const at = (g.nextCount + before + r) * W, gid = g.states + before + r;
      for (let i = 0; i < W; i++) level[at + i] = words[j * W + i]!;
      parent[gid] = par[j]!; via[gid] = edge[j]!; check[gid] = lo[j]! & 0xff;
      r++;
    }
  }

  /** After phase 3, in every part alike: the counters move on; how the search goes on. */
  #advance(cut: { part: number; key: number; cond: boolean }, last: number, stop: boolean): 'round' | 'level' | 'end' {
    const g = this.g, max = this.#opts.maxStates;
    let news = 0, succs = 0;
    for (let v = 0; v <= last; v++) { news += this.#newsOf(v); succs += this.#read(v, C.succs); }
    const pending = this.#pendingNow();
    g.pendingKey = pending.key; g.pendingPart = pending.part;
    // witnesses count up to where the search stops (an event, or the state whose successor passes
    // --max-states): parts after it have looked further into the round than one thread would
    let upTo = cut.key;
    if (g.states + news > max) {
      // the candidate that would be state max + 1: the transitions counted when it was generated
      let rank = max - g.states, before = g.transitions;
      for (let v = 0; v <= last; v++) {
        const nv = this.#newsOf(v);
        if (rank < nv) {
          const at = this.#newAt(v, rank);
          g.transitions = before + at.trans;
          upTo = Math.min(upTo, eventKey(at.parent, STAGE.expand));
          break;
        }
        rank -= nv; before += this.#read(v, C.succs);
      }
      this.#witnessesUpTo(upTo);
      this.#foundUpTo(upTo, true);
      g.states = max;
      this.end = { kind: 'bound' };
      return 'end';
    }
    this.#witnessesUpTo(upTo);
    g.states += news; g.nextCount += news; g.transitions += succs;
    g.k += Math.min(g.levelCount - g.k, ROUND * this.parts);
    const levelEnds = g.k >= g.levelCount;
    // a search for a transition property alone reports it when its level ends: cut short before, it says nothing
    if (cut.key < NONE) { this.#foundUpTo(upTo, true); this.end = { kind: 'event', part: cut.part, id: keyId(cut.key), cond: cut.cond }; return 'end'; }
    if (stop) { this.#foundUpTo(upTo, true); this.end = { kind: 'stopped' }; return 'end'; }
    this.#foundUpTo(upTo, false);
    // at a level's end, so that states and transitions are the same for any number of parts (and under --max-states)
    if (this.#found.length > 0 && !this.#opts.exhaust && levelEnds && this.#allFound()) { this.end = { kind: 'discovered' }; return 'end'; }
    if (!levelEnds) return 'round';
    if (g.pendingKey < NONE) { this.end = { kind: 'pending', part: g.pendingPart }; return 'end'; }
    if (g.nextCount === 0) { this.end = { kind: 'done' }; return 'end'; }
    if (g.depth + 1 > (this.#opts.maxDepth ?? Infinity)) { this.end = { kind: 'depth' }; return 'end'; }
    g.levelStart += g.levelCount; g.levelCount = g.nextCount; g.nextCount = 0; g.k = 0; g.depth++;
    this.#unwitnessed = unwitnessed(g.witness);
    this.#levels.reverse();
    return 'level';
  }

  /** Part v's new candidate of the given rank (this round): its parent, and the successors the part had generated with it. */
  #newAt(v: number, rank: number): { parent: number; trans: number } {
    const cv = this.#cands[v]!;
    cv.refresh();
    const tr = cv.trans.view, par = cv.parent.view, n = this.#read(v, C.cands);
    for (let j = 0, r = 0; j < n; j++) if (this.#isNew(cv, j) === 1 && r++ === rank) return { parent: par[j]!, trans: tr[j]! };
    throw new Error('Assertion failed: the candidate past --max-states is missing');
  }

  /** The search's witnesses: the first of every part's, if it comes before `key` (the witness stage of a state precedes its expansion). */
  #witnessesUpTo(key: number): void {
    const g = this.g;
    for (let i = 0; i < g.witness.length; i++) {
      const w = this.#witnessNow(i);
      g.witness[i] = w < NONE && eventKey(w, STAGE.sometimes) < key ? w : g.witness[i]!;
    }
  }

  /**
   * `discover`: the search's slots, the first of every part's this round if it comes before
   * `key`; when the search ends short of its level's end (`cut`), without this level's
   * transition violations.
   */
  #foundUpTo(key: number, cut: boolean): void {
    const g = this.g;
    for (let s = 0; s < g.found.length; s++) {
      const k = this.#foundNow(s);
      g.found[s] = k < key ? k : g.found[s]!;
      if (cut && s >= this.#slotTrans && s < this.#slotDeadlock && g.found[s]! < NONE && keyId(g.found[s]!) >= g.levelStart) g.found[s] = NONE;
    }
  }

  /** `discover`: every slot and every witness found (the deadlock slot only when deadlocks are checked). */
  #allFound(): boolean {
    const g = this.g;
    for (let s = 0; s < g.found.length; s++) if (g.found[s] === NONE && (s !== this.#slotDeadlock || this.#opts.deadlock)) return false;
    if (this.#opts.slotsOnly) return true;
    for (let i = 0; i < g.witness.length; i++) if (g.witness[i] === NONE) return false;
    return true;
  }

  /** Part 0: the counters on the board, for whoever watches. */
  #publish(): void {
    const g = this.g, b = this.board;
    b[BOARD.states] = g.states; b[BOARD.depth] = g.depth; b[BOARD.queue] = g.levelCount - g.k + g.nextCount;
  }

  /** Bytes the search holds: tables and memos (as the parts last reported), candidates, per-state arrays, levels. */
  bytes(): number {
    let n = 0;
    for (let v = 0; v < this.parts; v++) {
      const at = (c: number): number => Math.max(this.board[this.#cell(v, c, 0)]!, this.board[this.#cell(v, c, 1)]!);
      n += at(C.tableBytes) + at(C.memo) + at(C.observed);
    }
    for (const c of this.#cands) n += c.bytes;
    return n + this.g.states * (4 + this.via.view.BYTES_PER_ELEMENT + 1) + this.#levels[0].sab.byteLength + this.#levels[1].sab.byteLength;
  }

  get sink(): number { return this.#sink; }
}
