/**
 * The verdicts read off what watched the search (`explore/observer.ts`): liveness on the state
 * graph (fair lassos, `liveness.ts`), then lockdep's whole-space rules on the record of every
 * lock acquisition (`space.ts`). They are asked only of a search that explored the whole space
 * and found nothing else: liveness when the safety checks held (`ok`, or a `sometimes`
 * unreached), lockdep when everything else held. With discoveries (`continue`) the search goes
 * on over the whole space whatever it finds, and `findings` reads each watched property's own
 * verdict off the same observers.
 */
import { GraphBuilder } from '../explore/graph.ts';
import { AcquisitionRecorder } from '../explore/acquisitions.ts';
import { checkLeadsTo } from './liveness.ts';
import { checkSpace } from './space.ts';
import type { SpaceScan } from '../explore/acquisitions.ts';
import type { StateGraph } from '../explore/graph.ts';
import type { Observer, Tree } from '../explore/observer.ts';
import type { Watched } from './discoveries.ts';
import type { ExploreResult } from '../explore/options.ts';
import type { Verdict } from '../explore/verdict.ts';
import type { Property } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';

type Of<K extends Property['kind']> = Extract<Property, { kind: K }>;

export class Watch {
  readonly observers: readonly Observer[];
  readonly #inst: Instance;
  readonly #live: readonly Of<'leadsTo'>[];
  readonly #space: readonly Of<'space'>[];
  readonly #graph: GraphBuilder | undefined;
  readonly #acquisitions: AcquisitionRecorder | undefined;
  /** What the observers built, each read once when first asked (a graph is finished when it is read). */
  #built: StateGraph | undefined;
  #scanned: SpaceScan | undefined;

  /** Observers for `live`'s graph and `space`'s record; undefined if there is nothing to watch. */
  static of(inst: Instance): Watch | undefined {
    const live = inst.properties.filter((p): p is Of<'leadsTo'> => p.kind === 'leadsTo');
    const space = inst.properties.filter((p): p is Of<'space'> => p.kind === 'space');
    return live.length + space.length > 0 ? new Watch(inst, live, space) : undefined;
  }

  private constructor(inst: Instance, live: readonly Of<'leadsTo'>[], space: readonly Of<'space'>[]) {
    this.#inst = inst; this.#live = live; this.#space = space;
    this.#graph = live.length > 0 ? new GraphBuilder(inst, live) : undefined;
    this.#acquisitions = space.length > 0 ? new AcquisitionRecorder(inst) : undefined;
    this.observers = [this.#graph, this.#acquisitions].filter((o) => o !== undefined);
  }

  /** True if the observers can watch a search handed to worker threads (lockdep's record can, the liveness graph cannot). */
  get inWorkers(): boolean { return this.#graph === undefined; }

  /** What a search that builds the liveness graph calls itself in progress lines. */
  get phase(): 'liveness graph' | 'lockdep' { return this.#graph ? 'liveness graph' : 'lockdep'; }

  /** True if the result leaves the watched properties to be asked (the search was whole and found nothing they must yield to). */
  asks(r: ExploreResult): boolean {
    return r.verdict.kind === 'ok' || (r.verdict.kind === 'unreached' && this.#graph !== undefined);
  }

  /** The result with the watched properties' verdict, from the search that ended with `tree` (`r`'s, or one that only watched). */
  verdict(r: ExploreResult, tree: Tree): ExploreResult {
    const g = r.verdict.kind === 'ok' || r.verdict.kind === 'unreached' ? this.#graphOf(r, tree) : undefined;
    if (g !== undefined) {
      r = { ...r, stats: { ...r.stats, graphBytesPerState: g.bytes / Math.max(1, g.states) } };
      for (const [i, p] of this.#live.entries()) {
        const lasso = checkLeadsTo(this.#inst, g, p.name, i, p.fromInitOnly);
        if (lasso) return { ...r, verdict: lasso.verdict, checks: Uint8Array.from(lasso.states, (s) => g.checkByte(s)) };
      }
    }
    const scan = r.verdict.kind === 'ok' ? this.#scanOf(tree) : undefined;
    if (scan !== undefined) {
      const v = checkSpace(this.#inst, scan, this.#space);
      if (v !== undefined) return { ...r, verdict: v, checks: undefined };
    }
    return r;
  }

  /**
   * Each watched property's own finding (its lasso, lockdep's report), from a whole search that
   * ended with `tree`, whatever else it found (`continue`): a property that holds is left out.
   */
  findings(r: ExploreResult, tree: Tree): Watched {
    const g = this.#graphOf(r, tree), scan = this.#scanOf(tree), out = new Map<string, { verdict: Verdict; checks?: Uint8Array }>();
    if (g !== undefined) for (const [i, p] of this.#live.entries()) {
      const lasso = checkLeadsTo(this.#inst, g, p.name, i, p.fromInitOnly);
      if (lasso) out.set(p.name, { verdict: lasso.verdict, checks: Uint8Array.from(lasso.states, (s) => g.checkByte(s)) });
    }
    if (scan !== undefined) for (const p of this.#space) {
      const v = checkSpace(this.#inst, scan, [p]);
      if (v !== undefined) out.set(p.name, { verdict: v });
    }
    return out;
  }

  #graphOf(r: ExploreResult, tree: Tree): StateGraph | undefined {
    return this.#built ??= this.#graph?.graph(tree, r.stats.transitions, r.stats.depth, undefined);
  }

  #scanOf(tree: Tree): SpaceScan | undefined {
    return this.#scanned ??= this.#acquisitions?.scan(tree);
  }
}
