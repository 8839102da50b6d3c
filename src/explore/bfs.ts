/**
 * @internal The fast explorer: level-synchronous BFS over packed states.
 *
 * Per stored state it keeps a 64-bit fingerprint (open-addressing table), the parent's index,
 * the edge id that reached it and one check byte of its fingerprint (for replay); only the
 * current and next BFS levels hold packed states. Traces are rebuilt by replaying edge ids.
 * Successors come from the successor function (through its memo, `expander.ts`) in its fixed order, so runs are deterministic and the
 * first violation found is a shortest one: state checks (properties, deadlock) run when a state
 * is expanded, in BFS order; a transition violation found while expanding level d is reported
 * at the end of that level, since a state violation later in level d is shorter.
 */
import { FpTable } from '../state/fp-table.ts';
import { pack } from '../state/layout.ts';
import { exactWidth, fingerprint, fp } from '../state/fingerprint.ts';
import { DEADLOCK, type Property, type Transition } from '../model/property.ts';
import { Chunked } from './chunked.ts';
import { attribute } from './semantics.ts';
import { truth } from '../model/truth.ts';
import { Expander } from './expander.ts';
import { stepInfos } from './steps.ts';
import { SLICE_MS, type ExploreOptions, type ExploreResult, type Explorer, type Progress } from './options.ts';
import type { Instance } from '../state/instance.ts';
import type { Path, Verdict } from './verdict.ts';

type Of<K extends Property['kind']> = Extract<Property, { kind: K }>;
interface Found { readonly verdict: Verdict; readonly checks: Uint8Array }

/** States expanded between two batches of table probes (their cache misses then overlap). */
const GROUP = 32;

const grow = <A extends Int32Array | Uint32Array | Float64Array>(a: A, need: number): A => {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => A)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
};

export class FastBfs implements Explorer {
  readonly #inst: Instance;
  readonly #W: number;
  readonly #deadlock: boolean;
  readonly #maxStates: number;
  readonly #maxMemory: number;
  readonly #always: Of<'always'>[];
  readonly #sometimes: Of<'sometimes'>[];
  readonly #trans: Of<'transition'>[];
  readonly #ex: Expander;
  readonly #infos: readonly Transition['step'][];
  readonly #table = new FpTable(12);
  readonly #parent = new Chunked(Int32Array);
  readonly #via: Chunked;
  readonly #check = new Chunked(Uint8Array);
  readonly #witnesses = new Map<string, Path>();
  readonly #t0 = performance.now();
  #level: Uint32Array;
  #next: Uint32Array;
  #levelCount = 0;
  #nextCount = 0;
  #levelStart = 0;
  #depth = 0;
  #transitions = 1;
  #k = 0;
  #pending: Found | undefined;
  // successors wait here, packed at next[(nextCount + c) * W], until a group of states is expanded
  #c = 0;
  #candLo = new Int32Array(1024);
  #candHi = new Int32Array(1024);
  #candEdge = new Int32Array(1024);
  #candParent = new Int32Array(1024);
  #candTrans = new Float64Array(1024);
  #sink = 0;

  constructor(inst: Instance, opts: ExploreOptions = {}) {
    this.#inst = inst;
    this.#W = Math.max(1, inst.layout.words);
    this.#deadlock = opts.deadlock !== false;
    this.#maxStates = opts.maxStates ?? Infinity;
    this.#maxMemory = opts.maxMemory ?? Infinity;
    const of = <K extends Property['kind']>(k: K) => inst.properties.filter((p): p is Of<K> => p.kind === k);
    this.#always = of('always'); this.#sometimes = of('sometimes'); this.#trans = of('transition');
    this.#ex = new Expander(inst, [...this.#always, ...this.#sometimes].map((p) => ({ name: p.name, fn: p.pred })));
    this.#infos = stepInfos(inst);
    this.#via = new Chunked(inst.edges.length < 0xffff ? Uint16Array : Uint32Array);
    this.#level = new Uint32Array(this.#W * 1024);
    this.#next = new Uint32Array(this.#W * 1024);
  }

  *run(): Generator<Progress, ExploreResult, void> {
    try {
      this.#start();
      this.#ex.depth = 0;
      let yieldAt = this.#t0 + SLICE_MS;
      for (;;) {
        for (; this.#k < this.#levelCount; this.#k++) {
          const found = this.#expandState(this.#k);
          if (found !== undefined) return this.#flush() ?? this.#finish(found.verdict, found.checks);
          if ((this.#k & (GROUP - 1)) === GROUP - 1) {
            const stop = this.#flush();
            if (stop !== undefined) return stop;
            if (performance.now() >= yieldAt) { yield this.#progress(); yieldAt = performance.now() + SLICE_MS; }
          }
        }
        const stop = this.#flush();
        if (stop !== undefined) return stop;
        if (this.#pending !== undefined) return this.#finish(this.#pending.verdict, this.#pending.checks);
        if (this.#nextCount === 0) break;
        this.#advance();
      }
    } catch (err) {
      attribute(err, `expanding a state`);
    }
    const unreached = this.#sometimes.find((p) => !this.#witnesses.has(p.name));
    return this.#finish(unreached ? { kind: 'unreached', property: unreached.name } : { kind: 'ok' });
  }

  stop(reason: string): ExploreResult { return this.#finish({ kind: 'incomplete', reason }); }

  #start(): void {
    pack(this.#inst.layout, this.#ex.succ.initial().buf, this.#level, 0);   // in its domains: checked by initial()
    fingerprint(this.#level, 0, this.#W);
    this.#table.add(fp.lo, fp.hi);
    this.#parent.push(-1); this.#via.push(0); this.#check.push(fp.lo & 0xff);
    this.#levelCount = 1;
  }

  /** Checks state k of the level, expands it and checks for deadlock; a violation ends the run. */
  #expandState(k: number): Found | undefined {
    const W = this.#W, ex = this.#ex, id = this.#levelStart + k, from = k * W, nAlways = this.#always.length;
    ex.unpack(this.#level, from, ex.cur);
    for (let i = 0; i < nAlways; i++) if (!ex.holds(i)) return this.#found({ kind: 'safety', property: this.#always[i]!.name, path: [] }, id);
    for (let i = 0; i < this.#sometimes.length; i++) {
      const name = this.#sometimes[i]!.name;
      if (!this.#witnesses.has(name) && ex.holds(nAlways + i)) this.#witnesses.set(name, this.#pathTo(id).path);
    }
    const n = ex.enabled();
    for (let j = 0; j < n; j++) this.#successor(id, from, ex.edge[j]!, ex.leaf[j]!);
    if (this.#deadlock) {
      const d = ex.deadlock();
      if (d !== undefined) return this.#found({ kind: 'deadlock', property: DEADLOCK, path: [], cycle: d.cycle }, id);
    }
    return undefined;
  }

  /** One successor of state `id` (packed at `from`) by edge `e`: transition properties, then packed as a candidate. */
  #successor(id: number, from: number, e: number, leaf: number): void {
    const W = this.#W, ex = this.#ex;
    this.#transitions++;
    const at = (this.#nextCount + this.#c) * W;
    this.#next = grow(this.#next, at + W);
    ex.pack(leaf, this.#level, from, this.#next, at);
    fingerprint(this.#next, at, W);
    const lo = fp.lo, hi = fp.hi;
    if (this.#pending === undefined && this.#trans.length > 0) this.#transition(id, e, leaf, lo);
    const c = this.#c;
    if (c === this.#candLo.length) {
      this.#candLo = grow(this.#candLo, c + 1); this.#candHi = grow(this.#candHi, c + 1); this.#candEdge = grow(this.#candEdge, c + 1);
      this.#candParent = grow(this.#candParent, c + 1); this.#candTrans = grow(this.#candTrans, c + 1);
    }
    this.#candLo[c] = lo; this.#candHi[c] = hi; this.#candEdge[c] = e; this.#candParent[c] = id; this.#candTrans[c] = this.#transitions;
    this.#c = c + 1;
  }

  /** Transition properties on the edge `id --e--> leaf` (the first violation is held to the end of the level). */
  #transition(id: number, e: number, leaf: number, lo: number): void {
    const ex = this.#ex, after = ex.after(leaf), step = this.#infos[e]!;
    for (const p of this.#trans) {
      const where = `property '${p.name}'`;
      let ok: boolean;
      try { ok = truth(p.pred({ before: ex.view, step, after }), where); } catch (err) { return attribute(err, where); }
      if (!ok) {
        const { path, checks } = this.#pathTo(id, e, lo);
        this.#pending = { verdict: { kind: 'safety', property: p.name, path }, checks };
        return;
      }
    }
  }

  /** Moves the waiting candidates into the visited set and the next level; a result if a bound stops the run. */
  #flush(): ExploreResult | undefined {
    const t = this.#table, W = this.#W, n = this.#c, base0 = this.#nextCount;
    if (t.growsWith(n) && this.#bytes() + 2 * t.bytes > this.#maxMemory) return this.#bound(`--max-memory ${formatBytes(this.#maxMemory)} reached`, 0);
    this.#sink ^= t.touch(this.#candLo, this.#candHi, n);
    for (let j = 0; j < n; j++) {
      const lo = this.#candLo[j]!, hi = this.#candHi[j]!;
      // the bound is hit by a state that would be new beyond it, not by reaching it exactly
      if (t.size >= this.#maxStates && !t.has(lo, hi)) return this.#bound(`--max-states ${this.#maxStates} reached`, this.#candTrans[j]!);
      if (!t.add(lo, hi)) continue;
      if (this.#nextCount !== base0 + j) this.#next.copyWithin(this.#nextCount * W, (base0 + j) * W, (base0 + j + 1) * W);
      this.#parent.push(this.#candParent[j]!); this.#via.push(this.#candEdge[j]!); this.#check.push(lo & 0xff);
      this.#nextCount++;
    }
    this.#c = 0;
    if (this.#bytes() > this.#maxMemory) return this.#bound(`--max-memory ${formatBytes(this.#maxMemory)} reached`, 0);
    return undefined;
  }

  #bound(reason: string, transitions: number): ExploreResult {
    if (transitions > 0) this.#transitions = transitions;
    this.#c = 0;
    return this.stop(reason);
  }

  #advance(): void {
    this.#depth++; this.#levelStart += this.#levelCount;
    [this.#level, this.#next] = [this.#next, this.#level];
    this.#levelCount = this.#nextCount; this.#nextCount = 0; this.#k = 0;
    this.#ex.depth = this.#depth;
  }

  /** A violation in state `id`; `path` is filled in here. */
  #found(v: Extract<Verdict, { kind: 'safety' | 'deadlock' }>, id: number): Found {
    const { path, checks } = this.#pathTo(id);
    return { verdict: { ...v, path }, checks };
  }

  #pathTo(id: number, last?: number, lastFp?: number): { path: Path; checks: Uint8Array } {
    const p: number[] = last === undefined ? [] : [last], c: number[] = lastFp === undefined ? [] : [lastFp & 0xff];
    for (let i = id; ; i = this.#parent.get(i)) {
      c.push(this.#check.get(i));
      if (this.#parent.get(i) < 0) break;
      p.push(this.#via.get(i));
    }
    return { path: p.reverse(), checks: Uint8Array.from(c.reverse()) };
  }

  #bytes(): number {
    return this.#ex.bytes + this.#table.bytes + this.#parent.bytes + this.#via.bytes + this.#check.bytes + this.#level.byteLength + this.#next.byteLength;
  }

  #progress(): Progress {
    return { phase: 'safety', states: this.#table.size, depth: this.#depth + 1, queue: this.#levelCount - this.#k + this.#nextCount, seconds: (performance.now() - this.#t0) / 1000 };
  }

  #finish(verdict: Verdict, checks?: Uint8Array): ExploreResult {
    if (this.#sink === 0.5) throw new Error('unreachable');
    const states = this.#table.size, exact = exactWidth(this.#inst.layout.words);
    const stats = {
      states, transitions: this.#transitions, depth: this.#depth, seconds: (performance.now() - this.#t0) / 1000,
      bytesPerState: this.#bytes() / Math.max(1, states), exact,
      collisionProbability: exact ? 0 : states * ((this.#transitions - states) / 2 ** 64),
    };
    return { verdict, witnesses: this.#witnesses, stats, ...(checks ? { checks } : {}) };
  }
}

export const formatBytes = (n: number): string =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${n} B`;
