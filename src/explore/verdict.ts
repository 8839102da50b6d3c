/**
 * The one closed verdict union every consumer matches exhaustively, and the exit codes
 * (TLC's numbering: 0 ok, 10 incomplete, 11 deadlock, 12 safety, 13 liveness (a livelock too,
 * a lasso), 14 unreached; then 15 a surprise against expected verdicts, 16 a lockdep warning).
 */
import { match } from 'ts-pattern';
import type { WaitCycle } from './deadlock.ts';

/** Edge ids from the initial state: the counterexample, rebuilt into a trace by replay. */
export type Path = readonly number[];

export type Verdict =
  | { readonly kind: 'ok' }
  /** Stopped early: `reason` says by what (`--max-states 500 reached`, `interrupted (SIGINT)`). */
  | { readonly kind: 'incomplete'; readonly reason: string }
  | { readonly kind: 'deadlock'; readonly property: string; readonly path: Path; readonly cycle: WaitCycle | undefined }
  /**
   * The deadlock rule's state, but the stuck actors retry instead of sleeping (`livelock.ts`): a
   * lasso, `path[..loop]` the shortest run there, `path[loop..]` the cycle: each retrying actor's
   * step re-executed, the state unchanged. `cycle`: the wait-for cycle, if the state has one.
   */
  | { readonly kind: 'livelock'; readonly property: string; readonly path: Path; readonly loop: number; readonly cycle: WaitCycle | undefined }
  | { readonly kind: 'safety'; readonly property: string; readonly path: Path }
  | { readonly kind: 'unreached'; readonly property: string }
  /** A fair run that never reaches the goal: `path` is the prefix and then the cycle, which starts at step `loop`. */
  | { readonly kind: 'liveness'; readonly property: string; readonly path: Path; readonly loop: number; readonly fairness: string }
  /**
   * A whole-space property found a problem no single explored interleaving shows as a deadlock
   * (lockdep's "possible circular locking dependency", "inconsistent lock state"): `path` runs to
   * the transition that completed it, `report` says the rest in lockdep's words.
   */
  | { readonly kind: 'lockdep'; readonly property: string; readonly path: Path; readonly report: readonly string[] };

export const EXIT = { ok: 0, usage: 1, model: 2, write: 3, incomplete: 10, deadlock: 11, safety: 12, liveness: 13, unreached: 14, surprise: 15, lockdep: 16, internal: 255 } as const;

export const exitCode = (v: Verdict): number =>
  match(v)
    .with({ kind: 'ok' }, () => EXIT.ok)
    .with({ kind: 'incomplete' }, () => EXIT.incomplete)
    .with({ kind: 'deadlock' }, () => EXIT.deadlock)
    .with({ kind: 'safety' }, () => EXIT.safety)
    .with({ kind: 'unreached' }, () => EXIT.unreached)
    .with({ kind: 'liveness' }, { kind: 'livelock' }, () => EXIT.liveness)
    .with({ kind: 'lockdep' }, () => EXIT.lockdep)
    .exhaustive();

/** The one place that decides what a failure is: a deadlock, a livelock, a safety or a liveness violation (not `unreached` or `incomplete`). */
export const isViolation = (v: Verdict): v is Extract<Verdict, { path: Path }> =>
  match(v)
    .with({ kind: 'deadlock' }, { kind: 'livelock' }, { kind: 'safety' }, { kind: 'liveness' }, { kind: 'lockdep' }, () => true)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, () => false)
    .exhaustive();

/** The violated or unreached property, if any. */
export const propertyOf = (v: Verdict): string | undefined =>
  match(v)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, () => undefined)
    .with({ kind: 'deadlock' }, { kind: 'livelock' }, { kind: 'safety' }, { kind: 'unreached' }, { kind: 'liveness' }, { kind: 'lockdep' }, (v) => v.property)
    .exhaustive();

/** The counterexample path, if the verdict has one. */
export const pathOf = (v: Verdict): Path | undefined =>
  match(v)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, () => undefined)
    .with({ kind: 'deadlock' }, { kind: 'livelock' }, { kind: 'safety' }, { kind: 'liveness' }, { kind: 'lockdep' }, (v) => v.path)
    .exhaustive();

/** The same verdict with another counterexample path (of the same length). */
export const withPath = (v: Verdict, path: Path): Verdict =>
  match(v)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, { kind: 'unreached' }, (v) => v)
    .with({ kind: 'deadlock' }, (v) => ({ ...v, path }))
    .with({ kind: 'livelock' }, (v) => ({ ...v, path }))
    .with({ kind: 'safety' }, (v) => ({ ...v, path }))
    .with({ kind: 'liveness' }, { kind: 'lockdep' }, (v) => v)
    .exhaustive();
