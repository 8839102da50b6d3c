/**
 * Discoveries (stateright's `discoveries`, TLC's `-continue`): one search that goes on until
 * every property has its first — shortest — violation or witness, or the space is exhausted,
 * read back as one report per property: the verdict, trace and witnesses a search for that
 * property alone gives (`check(model, { property })`).
 *
 * A search for property P alone checks P and the `sometimes` witnesses (never the deadlock rule
 * unless P is it) and stops at P's first violation; state ids do not depend on the properties
 * checked, so P's first event in the shared search is the one it stops at, and the witnesses it
 * reports are those found before it. What P's search says when P is never violated follows its
 * order: unreached witnesses (in the order it checks them, P first if P is one), then for a
 * liveness property its lasso, for a whole-space one (lockdep's) its finding after a clean
 * safety search. Those two are read off the observers that watched the shared search
 * (`observed.ts`), which then explores the whole space as their own search does.
 */
import { match } from 'ts-pattern';
import { DEADLOCK, type Property } from '../model/property.ts';
import type { ExploreResult } from '../explore/options.ts';
import type { Path, Verdict } from '../explore/verdict.ts';
import type { Instance } from '../state/instance.ts';

/** What one property's own search would report. */
export interface Discovery {
  readonly verdict: Verdict;
  /** The explorer's check bytes along the verdict's path (for replay). */
  readonly checks?: Uint8Array;
  readonly witnesses: ReadonlyMap<string, Path>;
}

/** What the observers of a whole search found (`observed.ts`): per liveness or whole-space property that is violated, its finding. */
export type Watched = ReadonlyMap<string, { readonly verdict: Verdict; readonly checks?: Uint8Array }>;

/** One discovery per property of the instance (and `deadlock` when deadlocks were checked), from the shared search and what watched it. */
export function discoveries(inst: Instance, safety: ExploreResult, watched: Watched, deadlock: boolean): Map<string, Discovery> {
  const props = inst.properties, sometimes = props.filter((p) => p.kind === 'sometimes');
  const complete = safety.verdict.kind !== 'incomplete';
  const incomplete: Verdict = safety.verdict.kind === 'incomplete' ? safety.verdict : { kind: 'ok' };
  /** The witnesses found before an event (with `level`, also the rest of the states as deep as `level`: a transition violation is reported when its level ends). */
  const witnessed = (before = Infinity, level = -1): Map<string, Path> =>
    new Map([...safety.witnesses].filter(([name, path]) => (safety.witnessKeys?.get(name) ?? Infinity) < before || path.length <= level));
  /** A search with no violation of its own: the first unreached witness, `first` checked first. */
  const clean = (first?: string): Verdict => {
    if (!complete) return incomplete;
    const order = [...sometimes.filter((p) => p.name === first), ...sometimes.filter((p) => p.name !== first)];
    const missing = order.find((p) => !safety.witnesses.has(p.name));
    return missing ? { kind: 'unreached', property: missing.name } : { kind: 'ok' };
  };
  const own = (name: string): Discovery => {
    const f = safety.found?.get(name);
    if (f === undefined) return { verdict: clean(), witnesses: witnessed() };
    const transition = props.some((p) => p.kind === 'transition' && p.name === name);
    return { verdict: f.verdict, checks: f.checks, witnesses: witnessed(f.key, transition ? f.verdict.path.length - 1 : -1) };
  };
  const phase = (p: Extract<Property, { kind: 'leadsTo' | 'space' }>, base: Verdict): Discovery => {
    const f = watched.get(p.name);
    return { verdict: f?.verdict ?? base, ...(f?.checks ? { checks: f.checks } : {}), witnesses: witnessed() };
  };
  const out = new Map<string, Discovery>();
  if (deadlock) out.set(DEADLOCK, own(DEADLOCK));
  for (const p of props) {
    out.set(p.name, match(p)
      .with({ kind: 'always' }, { kind: 'transition' }, (p) => own(p.name))
      .with({ kind: 'sometimes' }, (p) => ({ verdict: clean(p.name), witnesses: witnessed() }))
      // the liveness phase follows a safety search that did not stop (ok or unreached); lockdep's only a clean one
      .with({ kind: 'leadsTo' }, (p) => (complete ? phase(p, clean()) : { verdict: incomplete, witnesses: witnessed() }))
      .with({ kind: 'space' }, (p) => (clean().kind === 'ok' ? phase(p, { kind: 'ok' }) : { verdict: clean(), witnesses: witnessed() }))
      .exhaustive());
  }
  return out;
}
