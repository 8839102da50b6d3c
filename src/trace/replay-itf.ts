/**
 * Re-executes a saved counterexample (an ITF trace as kmc writes it) against a model as it is
 * now, on the one successor function: each recorded step (actor, action) must be a step the
 * actor can take next. The answer: it still violates (at step k: the recorded violation, checked
 * on every state on the way), it no longer violates (every step replays, the violation does not
 * happen), or it diverges at step k (that step is no longer there or no longer enabled, and why).
 * The regression check for "did my fix close this race?".
 */
import { fairnessText, lassoViolates } from '../check/liveness.ts';
import { endsIn } from '../check/minimize.ts';
import { decode } from '../state/decode.ts';
import { reconstruct, type Trace } from '../explore/replay.ts';
import { Successors } from '../explore/successors.ts';
import { stuck } from '../explore/livelock.ts';
import { UsageError } from '../util/errors.ts';
import { itfSteps, type ItfStep } from './itf-read.ts';
import { itfState, type Itf } from './itf.ts';
import type { Edge } from '../model/compile.ts';
import type { Property } from '../model/property.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Path, Verdict } from '../explore/verdict.ts';

/** The violation a trace was saved for (its `#meta.violation`, and `loop` for a lasso). */
export type Recorded =
  | { readonly kind: 'deadlock' }
  /** The steps from `loop` on are spins: each retrying actor's step re-executed, the state unchanged. */
  | { readonly kind: 'livelock'; readonly loop: number }
  | { readonly kind: 'safety'; readonly property: string }
  | { readonly kind: 'liveness'; readonly property: string; readonly loop: number };

export type ReplayOutcome =
  | { readonly kind: 'violates'; readonly verdict: Extract<Verdict, { path: Path }> }
  | { readonly kind: 'no-longer-violates' }
  /** `step` (1-based) is the recorded step that cannot be taken; `why` says why. */
  | { readonly kind: 'diverges'; readonly step: number; readonly why: string };

export interface Replayed {
  readonly recorded: Recorded;
  readonly steps: readonly ItfStep[];
  readonly outcome: ReplayOutcome;
  /** What replayed: up to the violation, to the end, or to the step before the divergence. */
  readonly trace: Trace;
  /** The first replayed state that differs from the recorded one (0: the initial state), and where. */
  readonly differs: { readonly state: number; readonly fields: readonly string[] } | undefined;
}

/** The violation `itf` records, checked against the model's properties. */
export function recordedViolation(file: string, itf: Itf, inst: Instance): Recorded {
  const v = itf['#meta']['violation'];
  const named = (kind: 'invariant' | 'liveness'): string | undefined => (typeof v === 'string' && v.startsWith(`${kind}:`) ? v.slice(kind.length + 1) : undefined);
  const property = (name: string, kinds: readonly string[]): string => {
    const p = inst.properties.find((x) => x.name === name);
    if (p === undefined || !kinds.includes(p.kind))
      throw new UsageError(`${file}: the trace violates '${name}', which model '${inst.model.name}' ${p ? `checks as a ${p.kind} property now` : `no longer has (it has: ${inst.properties.map((x) => `'${x.name}'`).join(', ') || 'none'})`}`);
    return name;
  };
  if (v === 'deadlock') return { kind: 'deadlock' };
  if (v === 'livelock') {
    if (itf.loop === undefined) throw new UsageError(`${file}: a livelock counterexample without 'loop' (where its cycle of spins starts)`);
    return { kind: 'livelock', loop: itf.loop };
  }
  const inv = named('invariant'), live = named('liveness');
  if (inv !== undefined) return { kind: 'safety', property: property(inv, ['always', 'transition']) };
  if (live !== undefined) {
    if (itf.loop === undefined) throw new UsageError(`${file}: a liveness counterexample without 'loop' (where its cycle starts)`);
    return { kind: 'liveness', property: property(live, ['leadsTo']), loop: itf.loop };
  }
  throw new UsageError(`${file}: #meta.violation ${JSON.stringify(v)} is not a counterexample kmc replays (deadlock, livelock, invariant:<name>, liveness:<name>)`);
}

/** JSON with object keys sorted, to compare ITF values however their keys were ordered. */
const canon = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

const isActorRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && 'pc' in x;

/** The fields of the recorded state `rec` that the replayed state `s` does not match (actor records field by field). */
function differences(inst: Instance, itf: Itf, rec: Record<string, unknown>, s: SlotState): string[] {
  const now = itfState(inst, decode(inst, s.buf)), out: string[] = [];
  for (const v of itf.vars) {
    if (v === 'mbt::actionTaken') continue;
    const a = rec[v], b = now[v];
    if (isActorRecord(a) && isActorRecord(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if (canon(a[k]) !== canon(b[k])) out.push(`${v}.${k}`);
    } else if (!(v in now)) out.push(`${v} (not in the model)`);
    else if (canon(a) !== canon(b)) out.push(v);
  }
  for (const v of Object.keys(now)) if (!itf.vars.includes(v)) out.push(`${v} (not in the trace)`);
  return out;
}

const quoted = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(' or ');

/** Why `step` cannot be taken in `s`, or the edge it takes (the one matching the recorded state when several could). */
function takeStep(inst: Instance, succ: Successors, s: SlotState, step: ItfStep, matches: (t: SlotState) => boolean): { edge: Edge; next: SlotState } | string {
  const a = inst.actors.findIndex((x) => x.ref.name === step.actor);
  if (a < 0) return `the model has no actor '${step.actor}' (it has: ${inst.actors.map((x) => x.ref.name).join(', ')})`;
  const act = inst.actors[a]!, pc = s.pcOf(a);
  if (pc === act.end) return `${step.actor} has already finished`;
  const here = act.rests[pc]!.edges, same = here.filter((e) => e.label === step.action);
  if (same.length === 0) return `${step.actor}'s next step is ${quoted([...new Set(here.map((e) => e.label))])}, not '${step.action}'`;
  const fired = same.flatMap((edge) => { const next = succ.step(s, edge); return next ? [{ edge, next }] : []; });
  if (fired.length > 0) return (fired.length > 1 && fired.find((f) => matches(f.next))) || fired[0]!;
  const name = (x: number): string => inst.actors[x]!.ref.name;
  const waits = same.flatMap((e) => e.blocksOn.map((r) => { const on = r.waitsFor(s, a); return `${r.name}${on.length ? `, held by ${on.map(name).join(', ')}` : ''}`; }));
  return `'${step.action}' of ${step.actor} is not enabled: ${waits.length ? `it waits for ${waits.join(' or ')}` : 'its guard is false'}`;
}

/** Step `step` as a spin of a retry loop in `s` (a livelock's cycle): the state, unchanged, or why it is not one. */
function takeSpin(inst: Instance, succ: Successors, s: SlotState, step: ItfStep): { edge: Edge; next: SlotState } | string {
  const a = inst.actors.findIndex((x) => x.ref.name === step.actor);
  if (a < 0) return `the model has no actor '${step.actor}' (it has: ${inst.actors.map((x) => x.ref.name).join(', ')})`;
  const act = inst.actors[a]!, pc = s.pcOf(a);
  if (pc === act.end) return `${step.actor} has already finished`;
  for (const edge of act.rests[pc]!.edges.filter((e) => e.label === step.action)) {
    const next = succ.spin(s, edge);
    if (next !== undefined) return { edge, next };
  }
  return `'${step.action}' of ${step.actor} does not spin there: ${act.rests[pc]!.edges.some((e) => e.label === step.action) ? 'it can run, or it does not retry' : `its next step is ${quoted([...new Set(act.rests[pc]!.edges.map((e) => e.label))])}`}`;
}

/** Replays `itf` on `inst` (see the module comment). */
export function replayItf(inst: Instance, file: string, itf: Itf): Replayed {
  const recorded = recordedViolation(file, itf, inst), steps = itfSteps(file, itf);
  const succ = new Successors(inst), views = [succ.initial()], path: number[] = [];
  let differs: Replayed['differs'];
  const compare = (i: number): void => {
    if (differs !== undefined) return;
    const fields = differences(inst, itf, itf.states[i]!, views[i]!);
    if (fields.length) differs = { state: i, fields };
  };
  const violationAt = (i: number): Extract<Verdict, { path: Path }> | undefined => {
    const p = path.slice(0, i);
    if (recorded.kind === 'deadlock') {
      succ.expand(views[i]!, () => {});
      const d = succ.deadlock(views[i]!);
      return d && { kind: 'deadlock', property: 'deadlock', path: p, cycle: d.cycle };
    }
    if (recorded.kind === 'livelock') {
      // the spins replayed, the deadlock rule's state where they start must be the livelock they are
      if (i !== steps.length || i < recorded.loop) return undefined;
      succ.expand(views[recorded.loop]!, () => {});
      const d = succ.deadlock(views[recorded.loop]!), v = d && stuck(inst, path.slice(0, recorded.loop), d.cycle, views[recorded.loop]);
      return v?.kind === 'livelock' && v.path.join() === path.join() ? v : undefined;
    }
    if (recorded.kind === 'safety') {
      const v = { kind: 'safety', property: recorded.property, path: p } as const;
      return endsIn(inst, v, views.slice(0, i + 1)) ? v : undefined;
    }
    return undefined;
  };
  const spinsFrom = recorded.kind === 'livelock' ? recorded.loop : undefined;
  const done = (outcome: ReplayOutcome, n: number): Replayed => ({ recorded, steps, outcome, trace: reconstruct(inst, path.slice(0, n), undefined, spinsFrom !== undefined && n > spinsFrom ? spinsFrom : undefined), differs });
  compare(0);
  for (let i = 0; ; i++) {
    const v = violationAt(i);
    if (v) return done({ kind: 'violates', verdict: v }, i);
    if (i === steps.length) break;
    const rec = itf.states[i + 1]!;
    const taken = spinsFrom !== undefined && i >= spinsFrom ? takeSpin(inst, succ, views[i]!, steps[i]!)
      : takeStep(inst, succ, views[i]!, steps[i]!, (t) => differences(inst, itf, rec, t).length === 0);
    if (typeof taken === 'string') return done({ kind: 'diverges', step: i + 1, why: taken }, i);
    views.push(taken.next);
    path.push(taken.edge.id);
    compare(i + 1);
  }
  if (recorded.kind === 'liveness') {
    const p = inst.properties.find((x) => x.name === recorded.property) as Extract<Property, { kind: 'leadsTo' }>;
    if (lassoViolates(inst, p, views, path, recorded.loop))
      return done({ kind: 'violates', verdict: { kind: 'liveness', property: p.name, path, loop: recorded.loop, fairness: fairnessText(inst) } }, path.length);
  }
  return done({ kind: 'no-longer-violates' }, path.length);
}
