/**
 * @internal The full reachable state graph, for liveness: every edge of the search's expansion
 * kept (CSR: `offsets`, `targets`, `edges` = edge ids), with per state the mask of enabled
 * actors, the truth of each liveness property's `from` / `to` predicates and its fingerprint's
 * check byte. It is built by an observer of the search that checks the safety properties
 * (`GraphBuilder`, `observer.ts`): one expansion, one visited set (which numbers the states,
 * `FpTable.addId`), one set of bounds. Which steps are enabled in a state is its edges' ids: the
 * fair-cycle search reads the strongly fair handoff steps (`StepSpec.handoff`) off them, with no
 * column of its own.
 *
 * Compact on purpose: 4 bytes per state of offsets, 4 + 2 per edge (edge ids in 16 bits
 * when the model has fewer than 65,536 edges), and per state one byte per property and the
 * enabled mask in the fewest bytes the actor count allows (the check bytes are the search's).
 * Columns grow in place (growable buffers): no copy at the end.
 *
 * Built in one thread: every edge needs its target's id, which a parallel search (`part.ts`)
 * knows only after a round's new states are numbered, and the fair-cycle search that follows
 * (`check/liveness.ts`: Tarjan's SCCs, refined) is sequential.
 */
import { Grown } from './shared.ts';
import { FastBfs } from './bfs.ts';
import type { Progress } from './options.ts';
import type { Expander, Predicate } from './expander.ts';
import type { Observer, Tree } from './observer.ts';
import type { Property } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';

type LeadsTo = Extract<Property, { kind: 'leadsTo' }>;

export interface StateGraph {
  /** States (ids 0 to states - 1). */
  readonly states: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly edges: Uint16Array | Int32Array;
  readonly enabled: Uint8Array | Uint16Array | Uint32Array;
  /** Per property: bit 0 `from`, bit 1 `to`. */
  readonly flags: readonly Uint8Array[];
  readonly bytes: number;
  readonly transitions: number;
  readonly depth: number;
  /** Why the graph is not the whole reachable graph, if it is not. */
  readonly incomplete: string | undefined;
  /** The low byte of state `id`'s fingerprint (for replay checks). */
  checkByte(id: number): number;
}

/** A column that grows by pushes, in place. */
class Column<V extends Int32Array | Uint16Array | Uint8Array | Uint32Array> {
  readonly grown: Grown<V>;
  n = 0;
  #v: V;
  constructor(ctor: ConstructorParameters<typeof Grown<V>>[0]) { this.grown = new Grown(ctor); this.#v = this.grown.view; }
  push(x: number): void {
    if (this.n === this.#v.length) this.#v = this.grown.ensure(Math.max(1024, this.n + 1));
    this.#v[this.n++] = x;
  }
  get(i: number): number { return this.#v[i]!; }
  /** The first `n` elements (a view: no copy). */
  done(n = this.n): V { return this.#v.subarray(0, n) as V; }
  get bytes(): number { return this.n * this.#v.BYTES_PER_ELEMENT; }
}

/**
 * Builds the graph as an observer of the search (`observer.ts`): per expanded state its enabled
 * mask, its predicates' truth and its edges, and, once the round's successors are numbered,
 * their targets. The graph of a search that stopped short is not the whole graph.
 */
export class GraphBuilder implements Observer {
  readonly preds: readonly Predicate[];
  readonly ids = true;
  readonly #inst: Instance;
  readonly #offsets = new Column(Int32Array);
  readonly #targets = new Column(Int32Array);
  readonly #edges: Column<Uint16Array> | Column<Int32Array>;
  readonly #enabled: Column<Uint8Array> | Column<Uint16Array> | Column<Uint32Array>;
  readonly #flags: Column<Uint8Array>[];
  /** The first error of a `from`/`to` predicate: thrown if the graph is asked for (a safety verdict found first stands). */
  #error: unknown;
  #failed = false;

  constructor(inst: Instance, props: readonly LeadsTo[]) {
    this.#inst = inst;
    this.preds = props.flatMap((p) => [{ name: p.name, fn: p.from }, { name: p.name, fn: p.to }]);
    this.#edges = inst.edges.length < 0xffff ? new Column(Uint16Array) : new Column(Int32Array);
    const A = inst.actors.length;
    this.#enabled = A <= 8 ? new Column(Uint8Array) : A <= 16 ? new Column(Uint16Array) : new Column(Uint32Array);
    this.#flags = props.map(() => new Column(Uint8Array));
  }

  expanded(_id: number, ex: Expander, base: number, n: number): void {
    this.#offsets.push(this.#edges.n);
    for (let i = 0; i < this.#flags.length; i++) {
      let f = 0;
      try { f = (ex.holds(base + 2 * i) ? 1 : 0) | (ex.holds(base + 2 * i + 1) ? 2 : 0); } catch (err) { if (!this.#failed) { this.#failed = true; this.#error = err; } }
      this.#flags[i]!.push(f);
    }
    let mask = 0;
    for (let j = 0; j < n; j++) {
      const e = ex.edge[j]!;
      mask |= 1 << this.#inst.edges[e]!.actor;
      this.#edges.push(e);
    }
    this.#enabled.push(mask);
  }

  targets(ids: Int32Array, n: number): void {
    for (let j = 0; j < n; j++) this.#targets.push(ids[j]!);
  }

  get bytes(): number {
    return this.#offsets.bytes + this.#targets.bytes + this.#edges.bytes + this.#enabled.bytes + this.#flags.reduce((x, f) => x + f.bytes, 0);
  }

  /** The graph of the search that ended with `tree` (its states, its check bytes); `incomplete`: why it is not the whole graph. */
  graph(tree: Tree, transitions: number, depth: number, incomplete: string | undefined): StateGraph {
    if (this.#failed) throw this.#error;
    const n = this.#offsets.n;   // the states expanded: all of them, unless the search stopped short
    this.#offsets.push(this.#edges.n);
    const g = {
      states: n, offsets: this.#offsets.done(), targets: this.#targets.done(), edges: this.#edges.done(), enabled: this.#enabled.done(n),
      flags: this.#flags.map((f) => f.done(n)), transitions, depth, incomplete,
      checkByte: (s: number): number => tree.check[s]!,
    };
    const held = [g.offsets, g.targets, g.edges, g.enabled, ...g.flags];
    return { ...g, bytes: held.reduce((x, a) => x + a.byteLength, 0) + n };
  }
}

/** The full reachable state graph of `inst` with `props`' predicates, by a search that checks nothing else (a drawing's graph). */
export function* buildGraph(inst: Instance, props: readonly LeadsTo[], maxStates = Infinity, maxMemory = Infinity): Generator<Progress, StateGraph, void> {
  const builder = new GraphBuilder(inst, props), bfs = new FastBfs({ ...inst, properties: [] }, { maxStates, maxMemory, deadlock: false, observers: [builder] });
  const r = yield* bfs.run();
  return builder.graph(bfs.tree(), r.stats.transitions, r.stats.depth, r.verdict.kind === 'incomplete' ? r.verdict.reason : undefined);
}

/**
 * The BFS tree of a graph: each state's parent and the edge id that discovered it (what a
 * drawing or a replay of every state needs). Not stored: states are numbered as discovered, so
 * a state's discoverer is the first state, in id order, with an edge to it.
 */
export function treeOf(g: StateGraph): { readonly parent: Int32Array; readonly via: Int32Array } {
  const parent = new Int32Array(g.states).fill(-1), via = new Int32Array(g.states);
  for (let u = 0; u < g.states; u++)
    for (let k = g.offsets[u]!; k < g.offsets[u + 1]!; k++) {
      const v = g.targets[k]!;
      if (v !== 0 && parent[v] === -1) { parent[v] = u; via[v] = g.edges[k]!; }
    }
  return { parent, via };
}
