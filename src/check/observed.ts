/**
 * The verdicts read off what watched the search (`explore/observer.ts`): liveness on the state
 * graph (fair lassos, `liveness.ts`), then lockdep's whole-space rules on the record of every
 * lock acquisition (`space.ts`). They are asked only of a search that explored the whole space
 * and found nothing else: liveness when the safety checks held (`ok`, or a `sometimes`
 * unreached), lockdep when everything else held.
 */
import { GraphBuilder } from '../explore/graph.ts';
import { AcquisitionRecorder } from '../explore/acquisitions.ts';
import { checkLeadsTo } from './liveness.ts';
import { checkSpace } from './space.ts';
import type { Observer, Tree } from '../explore/observer.ts';
import type { ExploreResult } from '../explore/options.ts';
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
    if (this.#graph !== undefined && (r.verdict.kind === 'ok' || r.verdict.kind === 'unreached')) {
      const g = this.#graph.graph(tree, r.stats.transitions, r.stats.depth, undefined);
      r = { ...r, stats: { ...r.stats, graphBytesPerState: g.bytes / Math.max(1, g.n) } };
      for (const [i, p] of this.#live.entries()) {
        const lasso = checkLeadsTo(this.#inst, g, p.name, i, p.fromInitOnly);
        if (lasso) return { ...r, verdict: lasso.verdict, checks: Uint8Array.from(lasso.states, (s) => g.checkByte(s)) };
      }
    }
    if (this.#acquisitions !== undefined && r.verdict.kind === 'ok') {
      const v = checkSpace(this.#inst, this.#acquisitions.scan(tree), this.#space);
      if (v !== undefined) return { ...r, verdict: v, checks: undefined };
    }
    return r;
  }
}
