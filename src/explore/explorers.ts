/**
 * @internal The explorers a check can run, by name, and what each can do. The checker says what
 * it asks of a search (`Search`) and which explorer runs it; how that explorer is built is
 * written here only.
 *
 * - `fast`: the breadth-first search over packed states (`bfs.ts`); given a team, it hands the
 *   search to worker threads once it proves big (`parallel.ts`).
 * - `reduced`: the same search following only a stubborn set of each state's steps
 *   (`--reduce por`, `por.ts`); a violation it finds is a path of the full graph, not
 *   necessarily a shortest one.
 * - `reference`: the independent explorer over decoded states (`reference.ts`), for
 *   cross-checking; one thread, nothing but the first violation.
 *
 * `kmc simulate`'s random walks (`simulate.ts`) are no search: they run outside this interface.
 */
import { match } from 'ts-pattern';
import { FastBfs } from './bfs.ts';
import { ReferenceBfs } from './reference.ts';
import { partialOrder, stubbornSets, type Reduction } from './por.ts';
import { analyse } from './por-analysis.ts';
import { closeVisibility } from './orbit.ts';
import type { Canon } from './symmetry.ts';
import type { ExploreOptions, Explorer, Progress } from './options.ts';
import type { Observer } from './observer.ts';
import type { Instance } from '../state/instance.ts';
import type { ModelSource } from '../model/source.ts';
import type { Reading } from './machine.ts';

export type ExplorerName = 'fast' | 'reduced' | 'reference';

/** What an explorer can do besides finding the first violation. */
export interface Capabilities {
  /** Go on past violations until every property has its first (`--continue`). */
  readonly discovers: boolean;
  /** Run in worker threads (`--workers`). */
  readonly threads: boolean;
  /** Feed observers (the liveness graph, lockdep's record) from its expansion. */
  readonly observes: boolean;
}

export const capabilities: Readonly<Record<ExplorerName, Capabilities>> = {
  fast: { discovers: true, threads: true, observes: true },
  reduced: { discovers: false, threads: true, observes: false },
  reference: { discovers: false, threads: false, observes: false },
};

/** What a check asks of one search. */
export interface Search extends ExploreOptions {
  /** The instance with the properties the search checks (`always`, `sometimes`, `transition`). */
  readonly instance: Instance;
  /** Explore no deeper than this. */
  readonly maxDepth?: number;
  /** Go on past violations until every property has its first (`part.ts`). */
  readonly discover?: { readonly exhaust: boolean; readonly slotsOnly: boolean };
  /** What else watches the expansion, and what progress calls the search meanwhile. */
  readonly observers?: { readonly observers: readonly Observer[]; readonly phase: Progress['phase'] };
  /**
   * Symmetry reduction (`--symmetry`): each state stored as its orbit's representative
   * (`canon`); `declared` is the instance as declared, whose properties the partial-order
   * reduction's visibility reads (closed under the renaming, `closeVisibility`).
   */
  readonly symmetry?: { readonly canon: Canon; readonly declared: Instance };
  /** With the partial-order reduction: dependence judged in the state at hand too (`PorOptions.dependence`). */
  readonly dependence?: 'static' | 'state';
  /** With the partial-order reduction: its cycle proviso (`PorOptions.proviso`; `visited` in one thread only). */
  readonly proviso?: 'static' | 'visited';
  /** Worker threads that load the model again from its file (`parallel.ts`). */
  readonly team?: { readonly parts: number; readonly fromStart: boolean; readonly machine?: () => Reading; readonly source: ModelSource };
}

/** The explorer `name` set up for `search`. */
export function explorer(name: ExplorerName, search: Search): Explorer {
  return match(name)
    .with('fast', () => fast(search, false))
    .with('reduced', () => fast(search, true))
    .with('reference', () => new ReferenceBfs(search.instance, search))
    .exhaustive();
}

function fast(s: Search, reduce: boolean): FastBfs {
  if (reduce && s.proviso === 'visited' && s.team !== undefined) throw new Error('Assertion failed: the visited proviso in a team');
  const inst = s.instance, deadlock = s.deadlock !== false, discover = s.discover !== undefined;
  const exhaust = s.discover?.exhaust ?? false, slotsOnly = s.discover?.slotsOnly ?? false;
  return new FastBfs(inst, {
    maxStates: s.maxStates, maxMemory: s.maxMemory, deadlock: s.deadlock, ...(s.store === undefined ? {} : { store: s.store }), discover, exhaust, slotsOnly, ...(s.maxDepth === undefined ? {} : { maxDepth: s.maxDepth }),
    ...(reduce ? { reduction: reduction(s, deadlock) } : {}),
    ...(s.symmetry === undefined ? {} : { canon: s.symmetry.canon }),
    ...(s.observers === undefined ? {} : { observers: s.observers.observers, phase: s.observers.phase }),
    team: s.team === undefined ? undefined : {
      parts: s.team.parts, fromStart: s.team.fromStart, ...(s.team.machine === undefined ? {} : { machine: s.team.machine }),
      spec: {
        source: s.team.source, params: inst.params, properties: inst.properties.map((p) => p.name), deadlock,
        maxStates: s.maxStates ?? Infinity, maxDepth: s.maxDepth ?? Infinity, reduce, dependence: s.dependence ?? 'static', discover, exhaust, slotsOnly, acquisitions: s.observers !== undefined,
      },
    },
  });
}

/** The partial-order reduction of the search; with symmetry, of the declared instance, its visibility closed under the renaming. */
function reduction(s: Search, deadlock: boolean): Reduction {
  const proviso = s.proviso ?? 'static';
  if (s.symmetry === undefined) return partialOrder(s.instance, { deadlock, dependence: s.dependence ?? 'static', proviso });
  const analysis = analyse(s.symmetry.declared, { deadlock, domains: 'declared', dependence: s.dependence ?? 'static', proviso });
  closeVisibility(s.symmetry.canon, analysis);
  return stubbornSets(s.symmetry.declared, analysis);
}
