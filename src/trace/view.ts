/**
 * What the trace viewer shows, computed from an ITF trace alone (so `kmc view` needs no model):
 * the lanes (actors), each step with its label, kernel function and state diff, every state's
 * fields as text, the locks at each state, the wait-for cycle and the lasso's loop. Values are
 * shown as the text report shows them: owners by name (`-` for none), sets as `{a,b}`, and diffs
 * as `+flag` / `-flag` / `field=value` (actor positions left out: the step says where it went).
 */
import { steps } from '../check/describe.ts';
import { stateMeta } from './itf-read.ts';
import type { Itf } from './itf.ts';

export interface ViewStep {
  /** The actor that took the step; undefined for the initial state (and steps of a trace that does not say). */
  readonly actor: string | undefined;
  readonly label: string;
  readonly fn: string;
  readonly frame: readonly string[];
  readonly changes: readonly string[];
}

export interface ViewLock { readonly lock: string; readonly holds: readonly string[]; readonly shares: readonly string[]; readonly queued: readonly string[]; readonly waiting: readonly string[] }

export interface View {
  /** The model and its parameters, as one line. */
  readonly title: string;
  /** The model (with the scenario row it comes from, if any). */
  readonly model: string;
  /** The parameters, each `name=value`. */
  readonly params: readonly string[];
  readonly headline: string;
  readonly lanes: readonly string[];
  /** `steps[0]` is the initial state; `steps[i]` led to state i. */
  readonly steps: readonly ViewStep[];
  /** Every state's fields as `[name, value]`, in the trace's order. */
  readonly fields: readonly (readonly (readonly [string, string])[])[];
  /** The locks at each state; undefined when the trace does not record them. */
  readonly locks: readonly (readonly ViewLock[])[] | undefined;
  readonly cycle: readonly { readonly actor: string; readonly waitsFor: string; readonly heldBy: string }[] | undefined;
  /** The state a lasso's cycle starts at (the cycle ends back there, or stutters in the last state). */
  readonly loop: number | undefined;
  /** What went wrong in the last state: `deadlock`, `violated: 'P'`, … (undefined if nothing did). */
  readonly ending: string | undefined;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** An ITF value as text: `#bigint`, `#set`, `#tup`, `#map`, owners (`{tag: Held|Free}`) decoded. */
export function showItf(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(showItf).join(', ')}]`;
  if (!isRecord(x)) return String(x);
  if ('#bigint' in x) return String(x['#bigint']);
  if (Array.isArray(x['#set'])) return `{${(x['#set'] as unknown[]).map(showItf).join(',')}}`;
  if (Array.isArray(x['#tup'])) return `(${(x['#tup'] as unknown[]).map(showItf).join(', ')})`;
  if (Array.isArray(x['#map'])) return `{${(x['#map'] as unknown[][]).map(([k, v]) => `${showItf(k)}↦${showItf(v)}`).join(', ')}}`;
  if (x['tag'] === 'Free') return '-';
  if (x['tag'] === 'Held') return showItf(x['value']);
  return JSON.stringify(x);
}

/** A state's fields: globals by name, array elements as `name[i]`, actor records as `actor.pc` / `actor.local`. */
export function fieldsOf(itf: Pick<Itf, 'vars'>, s: Record<string, unknown>): [string, unknown][] {
  return itf.vars.filter((v) => v !== 'mbt::actionTaken' && v in s).flatMap((v): [string, unknown][] => {
    const x = s[v];
    if (Array.isArray(x)) return x.map((e, i) => [`${v}[${i}]`, e]);
    if (isRecord(x) && 'pc' in x) return Object.entries(x).map(([k, e]) => [`${v}.${k}`, e]);
    return [[v, x]];
  });
}

function changesOf(before: readonly [string, unknown][], after: readonly [string, unknown][], lanes: readonly string[]): string[] {
  const was = new Map(before.map(([k, v]) => [k, JSON.stringify(v)]));
  return after.filter(([k, v]) => was.get(k) !== JSON.stringify(v) && !lanes.some((a) => k === `${a}.pc`))
    .map(([k, v]) => (typeof v === 'boolean' ? `${v ? '+' : '-'}${k}` : `${k}=${showItf(v)}`));
}

const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : []);

function ending(meta: Record<string, unknown>): string | undefined {
  const v = meta['violation'];
  if (typeof v !== 'string') return undefined;
  if (v === 'deadlock' || v === 'livelock') return v;
  const [kind, ...rest] = v.split(':'), name = rest.join(':');
  if (kind === 'invariant') return `violated: '${name}'`;
  if (kind === 'liveness') return `liveness violated: '${name}'`;
  return v;
}

function headline(meta: Record<string, unknown>, length: number, loop: number | undefined): string {
  const v = typeof meta['violation'] === 'string' ? meta['violation'] : undefined, n = steps(length);
  if (v === 'deadlock') return `deadlock after ${n}`;
  if (v === 'livelock' && loop !== undefined) return `livelock after ${steps(loop)}, then a cycle of ${steps(length - loop)} that changes nothing`;
  if (v?.startsWith('invariant:')) return `violated: '${v.slice(10)}' after ${n}`;
  if (v?.startsWith('liveness:') && loop !== undefined)
    return `liveness violated: '${v.slice(9)}' on a run of ${steps(loop)}, then a cycle of ${steps(length - loop)}${typeof meta['fairness'] === 'string' ? ` (${meta['fairness']})` : ''}`;
  return `${typeof meta['status'] === 'string' ? `${meta['status']}: ` : ''}${n}`;
}

export function viewOf(itf: Itf): View {
  const meta = itf['#meta'], metas = itf.states.map(stateMeta);
  const actors = strings(meta['actors']);
  const lanes = actors.length ? actors : [...new Set(metas.map((m) => m['actor']).filter((a): a is string => typeof a === 'string'))];
  const fields = itf.states.map((s) => fieldsOf(itf, s));
  const taken = itf.states.map((s, i): ViewStep => {
    const m = metas[i]!, actor = typeof m['actor'] === 'string' ? m['actor'] : undefined;
    const action = typeof s['mbt::actionTaken'] === 'string' ? s['mbt::actionTaken'] : undefined;
    const label = typeof m['action'] === 'string' ? m['action'] : i === 0 ? 'initial state' : action ?? `step ${i}`;
    return { actor, label, fn: typeof m['fn'] === 'string' ? m['fn'] : '', frame: strings(m['frame']), changes: i === 0 ? [] : changesOf(fields[i - 1]!, fields[i]!, lanes) };
  });
  const lock = (l: unknown): ViewLock => {
    const r = isRecord(l) ? l : {};
    return { lock: String(r['lock']), holds: strings(r['holds']), shares: strings(r['shares']), queued: strings(r['queued']), waiting: strings(r['waiting']) };
  };
  const params = isRecord(meta['params']) ? Object.entries(meta['params']).map(([k, v]) => `${k}=${String(v)}`) : [];
  const model = [typeof meta['scenario'] === 'string' ? `${meta['scenario']}:` : '', typeof meta['source'] === 'string' ? meta['source'] : 'trace'].filter(Boolean).join(' ');
  const cycle = Array.isArray(meta['waitForCycle'])
    ? (meta['waitForCycle'] as unknown[]).filter(isRecord).map((l) => ({ actor: String(l['actor']), waitsFor: String(l['waitsFor']), heldBy: String(l['heldBy']) }))
    : undefined;
  return {
    title: [model, ...params].join(' '),
    model,
    params,
    headline: headline(meta, itf.states.length - 1, itf.loop),
    lanes: lanes.length ? lanes : ['trace'],
    steps: taken,
    fields: fields.map((f) => f.map(([k, v]) => [k, showItf(v)] as const)),
    // kmc records the locks of every state (none held: no entry); another tool's trace has none
    locks: actors.length ? metas.map((m) => (Array.isArray(m['locks']) ? m['locks'].map(lock) : [])) : undefined,
    cycle,
    loop: itf.loop,
    ending: ending(meta),
  };
}
