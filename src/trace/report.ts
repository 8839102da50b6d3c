/** Renders a check {@link Report} as text (for people) or one JSON object (for tools). */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { match } from 'ts-pattern';
import { headline } from '../check/describe.ts';
import { blockedActors, livelock, type Blocked } from '../explore/deadlock.ts';
import { reconstruct } from '../explore/replay.ts';
import { stepInfos } from '../explore/steps.ts';
import { fairnessText, handoffText } from '../check/liveness.ts';
import { propertyOf, type Verdict } from '../explore/verdict.ts';
import { renderCycle, renderTrace, wrap } from './text.ts';
import { narrowLockdep, renderLockdep } from './lockdep.ts';
import { toItf, type Itf } from './itf.ts';
import type { Report } from '../check/check.ts';
import type { Stats } from '../explore/options.ts';
import { thousands } from '../util/thousands.ts';
import { sourceFile } from '../model/source.ts';

export const paramsText = (params: Readonly<Record<string, unknown>>): string =>
  Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' ');

/** The parameters that differ from the model's defaults (what a reader needs to reproduce). */
export const changedParams = (inst: Report['instance']): Record<string, unknown> =>
  Object.fromEntries(Object.entries(inst.params).filter(([k, v]) => inst.model.params[k]?.default !== v));

const violation = (v: Verdict): string | undefined =>
  match(v)
    .with({ kind: 'ok' }, { kind: 'incomplete' }, () => undefined)
    .with({ kind: 'deadlock' }, () => `deadlock`)
    .with({ kind: 'livelock' }, () => `livelock`)
    .with({ kind: 'safety' }, (v) => `invariant:${v.property}`)
    .with({ kind: 'unreached' }, (v) => `unreached:${v.property}`)
    .with({ kind: 'liveness' }, (v) => `liveness:${v.property}`)
    .with({ kind: 'lockdep' }, (v) => `lockdep:${v.property}`)
    .exhaustive();

export function summary(s: Stats): string {
  const n = thousands;
  const c = s.store?.compacted ? s.store : undefined;
  const p = s.exact ? `0 (exact)` : c !== undefined
    ? `~${s.collisionProbability.toExponential(1)} (estimated: hash compaction keeps ${c.bits.toFixed(1)} bits of each state, ${c.expectedOmitted.toExponential(1)} states expected omitted)`
    : `~${s.collisionProbability.toExponential(1)} (estimated: fingerprints are hashes)`;
  return `states ${n(s.states)}, transitions ${n(s.transitions)}, depth ${s.depth}, ${s.seconds.toFixed(2)} s, ` +
    `${n(s.states / Math.max(s.seconds, 1e-9))} states/s, ${s.bytesPerState.toFixed(1)} B/state, p(collision) ${p}` +
    (s.graphBytesPerState === undefined ? '' : `, liveness graph ${s.graphBytesPerState.toFixed(1)} B/state`) +
    (s.workers === undefined ? '' : `, ${s.workers} worker threads`) +
    (s.reduction === undefined ? '' : `, partial-order reduction`) +
    (s.symmetry === undefined ? '' : `, symmetry (${s.symmetry})`) +
    (s.store === undefined ? '' : `, compact store${s.store.compacted ? '' : ' (not compacted: kept exactly)'}, ${(s.store.spilledBytes / 2 ** 20).toFixed(1)} MiB to disk`);
}

/** How to render: `invokedAs` is the model as the user named it (a path, or a name under models/) for the replay line. */
export interface TextOptions {
  readonly invokedAs?: string;
  /**
   * For a mailing-list reply (`--format email`): at most 72 columns throughout (lockdep's
   * two-CPU table falls back to one line per lock taken, each naming its CPU, where a column
   * would pass the margin), no statistics, and the replay command continued with `\` as a shell
   * reads it back.
   */
  readonly email?: boolean;
}

/** This package's models directory: a model loaded from a file elsewhere is named by its path. */
const PACKAGE_MODELS = fileURLToPath(new URL('../../models/', import.meta.url));

/** A word as a shell reads it back. */
const shellWord = (w: string): string => (/^[\w./=:@%+-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`);

/** True for a file of kmc's own models. */
export const isShippedFile = (file: string): boolean => file.startsWith(PACKAGE_MODELS);

/** The file a model was loaded from when it is not one of kmc's own (a user's model), if it was loaded from one. */
export const userModelFile = (model: Report['instance']['model']): string | undefined => {
  const file = sourceFile(model);
  return file !== undefined && !isShippedFile(file) ? file : undefined;
};

/**
 * The command that checks the same thing again: the model as the user named it (else its
 * file, when it was loaded from outside this package, else its name), the parameters that
 * differ from the defaults, and what the run was asked to check.
 */
export function replayCommand(r: Pick<Report, 'instance' | 'asked'>, invokedAs?: string): string {
  return `kmc check ${replayArgs(r, invokedAs).join(' ')}`;
}

/** The arguments of the replay command, shell-quoted, an option together with its value. */
function replayArgs(r: Pick<Report, 'instance' | 'asked'>, invokedAs?: string): string[] {
  const inst = r.instance, file = userModelFile(inst.model);
  const model = invokedAs ?? (file !== undefined ? relative(process.cwd(), file) : inst.model.name);
  const args = [shellWord(model), ...Object.entries(changedParams(inst)).map(([k, v]) => `--param ${shellWord(`${k}=${String(v)}`)}`)];
  if (r.asked?.property !== undefined) args.push(`--property ${shellWord(r.asked.property)}`);
  else if (r.asked?.deadlock === false) args.push('--no-deadlock');
  return args;
}

/** The replay command within `width` columns: lines continued with ` \\` and indented, as a shell reads them back. */
export function replayLines(r: Pick<Report, 'instance' | 'asked'>, invokedAs: string | undefined, width = 72): string[] {
  const lines: string[] = [];
  let line = 'kmc check';
  for (const a of replayArgs(r, invokedAs)) {
    if (line.length + 1 + a.length + 2 <= width) line += ` ${a}`;
    else { lines.push(`${line} \\`); line = `    ${a}`; }
  }
  return [...lines, line];
}

/** `into.push(...xs)` for any length (a spread of 10^5 arguments overflows the stack). */
export const append = (into: string[], xs: readonly string[]): void => { for (const x of xs) into.push(x); };

export function textReport(r: Report, opts: TextOptions = {}): string {
  const inst = r.instance;
  const changed = changedParams(inst);
  const lines = [...wrap(`${inst.model.name}${Object.keys(changed).length ? ` ${paramsText(changed)}` : ''}`, 72), ...wrap(headline(r.verdict, r.stats), 72)];
  if (r.trace !== undefined && r.verdict.kind === 'liveness') {
    const v = r.verdict;
    append(lines, ['', ...renderTrace(inst, r.trace, 72, v.loop), '', `fairness: ${v.fairness}`, ...handoffLine(inst), ...neverProgress(r)]);
  } else if (r.trace !== undefined) {
    append(lines, ['', ...renderTrace(inst, r.trace, 72, r.verdict.kind === 'livelock' ? r.verdict.loop : undefined)]);
    const where = r.verdict.kind === 'deadlock' ? `${r.verdict.cycle && livelock(r.verdict.cycle) ? 'livelock' : 'deadlock'} after step ${r.trace.steps.length}`
      : r.verdict.kind === 'livelock' ? `livelock: ${spinners(r.instance, r.verdict)} for ever from step ${r.verdict.loop}, and nothing changes`
      : r.verdict.kind === 'lockdep' ? `lockdep: ${r.verdict.property}, at step ${r.trace.steps.length}` : `${propertyOf(r.verdict)} violated at step ${r.trace.steps.length}`;
    lines.push(...wrap(`*** ${where}`, 72));
    const why = r.verdict.kind === 'lockdep' ? (opts.email ? narrowLockdep(r.verdict.report, 72) : r.verdict.report) : explanation(r);
    if (why.length) lines.push('', ...why);
  }
  const stuck = r.verdict.kind === 'deadlock' || r.verdict.kind === 'livelock' ? r.verdict : undefined;
  if (stuck !== undefined && stuck.cycle !== undefined) {
    const scenario = renderLockdep(inst, stuck.cycle);
    lines.push('', 'wait-for cycle:', ...renderCycle(inst, stuck.cycle), '', ...(opts.email ? narrowLockdep(scenario, 72) : scenario));
  }
  else if (stuck !== undefined && r.trace !== undefined) {
    const name = (a: number): string => inst.actors[a]!.ref.name;
    lines.push('', 'blocked:', ...blockedActors(inst, r.trace.last).map((b) => `  ${name(b.actor)} in '${b.step}'` +
      (b.waits.length ? `, ${waiting(b.waits, name)}` : '')));
    const idle = inst.actors.filter((a) => a.ref.kind === 'kthread' && r.trace!.last.pcOf(a.ref.id) !== a.end).map((a) => a.ref.name);
    if (idle.length) lines.push(`  (${idle.join(', ')}: kernel thread${idle.length > 1 ? 's' : ''}, never expected to finish)`);
  }
  if (r.verdict.kind !== 'liveness' && r.instance.properties.some((p) => p.kind === 'leadsTo'))
    lines.push(`liveness checked under fairness: ${fairnessText(inst)}`, ...handoffLine(inst));
  for (const p of opts.email ? [] : r.instance.properties) {
    if (p.kind !== 'sometimes') continue;
    const w = r.witnesses.get(p.name);
    if (w !== undefined) lines.push(`sometimes '${p.name}': reached after ${w.length} steps`);
  }
  if (opts.email) return [...fit(lines), ...(r.trace !== undefined ? ['', 'replay:', ...replayLines(r, opts.invokedAs, 70).map((l) => `  ${l}`)] : [])].join('\n') + '\n';
  if (r.trace !== undefined) lines.push('', `replay: ${replayCommand(r, opts.invokedAs)}`);
  lines.push('', summary(r.stats));
  return fit(lines).join('\n') + '\n';
}

/** The text report without its timing line: for saved files and CI reports that must not change run to run. */
export const stableTextReport = (r: Report, opts: TextOptions = {}): string => textReport(r, opts).replace(/\nstates [^\n]*\n$/, '\n');

export function itfOf(r: Report): Itf | null {
  if (r.trace === undefined) return null;
  const itf = toItf(r.instance, r.trace, {
    status: r.verdict.kind, violation: violation(r.verdict),
    cycle: r.verdict.kind === 'deadlock' || r.verdict.kind === 'livelock' ? r.verdict.cycle : undefined,
  });
  return r.verdict.kind === 'liveness' ? { ...itf, loop: r.verdict.loop, '#meta': { ...itf['#meta'], fairness: r.verdict.fairness } }
    : r.verdict.kind === 'livelock' ? { ...itf, loop: r.verdict.loop } : itf;
}

/** Who spins in a livelock's cycle: `timer_irq retries`, `A and B retry`. */
const spinners = (inst: Report['instance'], v: Extract<Verdict, { kind: 'livelock' }>): string => {
  const names = [...new Set(v.path.slice(v.loop).map((id) => inst.actors[inst.edges[id]!.actor]!.ref.name))];
  return `${names.join(' and ')} ${names.length === 1 ? 'retries' : 'retry'}`;
};

/** What a blocked actor waits on: `waiting on R held by A`, or for a retry loop `retrying, waiting for R (A in the way)`. */
const waiting = (waits: Blocked['waits'], name: (a: number) => string): string =>
  waits.map((w) => (w.retries
    ? `retrying, waiting for ${w.resource}${w.on.length ? ` (${w.on.map(name).join(', ')} in the way)` : ''}`
    : `waiting on ${w.resource}${w.on.length ? ` held by ${w.on.map(name).join(', ')}` : ''}`)).join(' or ');

/** The steps whose lock hands off (strongly fair in the liveness search), if the model has any. */
const handoffLine = (inst: Report['instance']): string[] => {
  const t = handoffText(inst);
  return t ? wrap(`strongly fair (the lock hands off): ${t}`, 72) : [];
};

/** For a lasso: the unfinished actors that take no step in the cycle, and what each waits on. */
function neverProgress(r: Report): string[] {
  if (r.verdict.kind !== 'liveness' || r.trace === undefined) return [];
  const inst = r.instance, v = r.verdict, name = (a: number): string => inst.actors[a]!.ref.name;
  const inCycle = new Set(v.path.slice(v.loop).map((id) => inst.edges[id]!.actor));
  const entry = reconstruct(inst, v.path.slice(0, v.loop)).last;
  const blocked = new Map(blockedActors(inst, entry).map((b) => [b.actor, b]));
  const out = inst.actors.filter((a) => !inCycle.has(a.ref.id) && entry.pcOf(a.ref.id) !== a.end).map((a) => {
    const b = blocked.get(a.ref.id);
    if (b) return `  ${a.ref.name} never progresses: blocked in '${b.step}'${b.waits.length ? `, ${waiting(b.waits, name)}` : ''}`;
    return `  ${a.ref.name} never progresses: it could step, but ${a.ref.fairness === 'none' ? 'it is not treated fairly' : 'only now and then (weak fairness allows that)'}`;
  });
  return out.length ? ['', 'never progresses in the cycle:', ...out] : [];
}

/** What the violated property says about the last state (lockdep's splat), if it explains itself. */
export function explanation(r: Report): readonly string[] {
  if (r.verdict.kind !== 'safety' || r.trace === undefined) return [];
  const name = r.verdict.property, p = r.instance.properties.find((q) => q.name === name);
  const inst = r.instance, last = r.trace.last, n = r.trace.steps.length;
  if (p?.kind === 'transition' && p.explainStep !== undefined && n > 0) return p.explainStep({ before: r.trace.views[n - 1]!, step: r.trace.steps[n - 1]!, after: last });
  if (p === undefined || p.kind !== 'always' || p.explain === undefined) return [];
  return p.explain(last, (actor) => {
    const a = inst.actors[actor.id]!, pc = last.pcOf(actor.id), e = pc === a.end ? undefined : a.rests[pc]!.edges[0];
    return e && stepInfos(inst)[e.id];
  });
}

/**
 * Every `sometimes` property of the check, in declaration order: whether the search reached a
 * state satisfying it, and at what depth (the length of the shortest path to one). Not reached
 * after a complete search means unreachable (the `unreached` verdict names the first); after a
 * search that stopped early (a violation, a bound, an interrupt), not reached so far.
 */
export const witnessesJson = (r: Report): { property: string; reached: boolean; depth: number | null }[] =>
  r.instance.properties.filter((p) => p.kind === 'sometimes').map((p) => {
    const path = r.witnesses.get(p.name);
    return { property: p.name, reached: path !== undefined, depth: path?.length ?? null };
  });

/** The report as one JSON value (see `jsonReport`). */
export function reportJson(r: Report): Record<string, unknown> {
  const s = r.stats;
  return {
    model: r.instance.model.name,
    params: r.instance.params,
    verdict: r.verdict.kind,
    property: propertyOf(r.verdict) ?? null,
    states: s.states,
    transitions: s.transitions,
    depth: s.depth,
    seconds: s.seconds,
    statesPerSecond: s.states / Math.max(s.seconds, 1e-9),
    bytesPerState: s.bytesPerState,
    exact: s.exact,
    collisionProbability: s.collisionProbability,
    ...(s.store === undefined ? {} : { store: s.store }),
    workers: s.workers ?? 1,
    reduction: s.reduction ?? null,
    ...(s.symmetry === undefined ? {} : { symmetry: s.symmetry }),
    notes: r.notes,
    witnesses: witnessesJson(r),
    trace: itfOf(r),
    ...(explanation(r).length ? { explanation: explanation(r) } : {}),
  };
}

/** One JSON object: `{ model, params, verdict, property, states, …, witnesses, trace }`, `trace` an ITF trace or null. */
export const jsonReport = (r: Report): string => JSON.stringify(reportJson(r), null, 2) + '\n';

/**
 * Keeps lines within 72 columns: longer ones wrap at spaces with a four-space continuation
 * indent. The summary and replay lines are never wrapped (a command must paste whole).
 */
export function fit(lines: readonly string[], width = 72): string[] {
  return lines.flatMap((l) => {
    if (l.length <= width || l.startsWith('states ') || l.startsWith('replay: ')) return [l];
    const indent = /^ */.exec(l)![0];
    const [first, ...rest] = wrap(l.trimStart(), width - indent.length);
    return [indent + first, ...wrap(rest.join(' '), width - indent.length - 4).map((x) => `${indent}    ${x}`)];
  });
}
