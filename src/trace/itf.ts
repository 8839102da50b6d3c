/**
 * ITF (Informal Trace Format, Apalache ADR-015, as Quint writes it) for counterexamples:
 * integers as `#bigint`, sets as `#set`, owners as `{tag: 'Held'|'Free'}`, each actor as a
 * record `{ pc, <locals> }`. The step that led to a state is in its `#meta` (actor, action,
 * kernel function: what `kmc replay` re-executes) and in `mbt::actionTaken`; so are the locks
 * held, queued for or waited on in that state (what `kmc view` shows). The trace's `#meta`
 * lists the actors. No timestamps, so saved files only change when the trace does.
 */
import { List, Set as ISet } from 'immutable';
import { match } from 'ts-pattern';
import { localKey, type Decoded } from '../state/decode.ts';
import { lockUses, type LockUse } from '../explore/locks.ts';
import type { Domain } from '../model/domain.ts';
import type { Instance } from '../state/instance.ts';
import type { WaitCycle } from '../explore/deadlock.ts';
import type { Trace } from '../explore/replay.ts';

export type Itf = {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
  loop?: number;
};

const FREE = { tag: 'Free', value: { '#tup': [] } };

function value(d: Domain, x: unknown): unknown {
  return match(d)
    .with({ kind: 'bool' }, () => x)
    .with({ kind: 'int' }, () => ({ '#bigint': String(x) }))
    .with({ kind: 'enum' }, () => x)
    .with({ kind: 'owner' }, () => (x === null ? FREE : { tag: 'Held', value: x }))
    .with({ kind: 'set' }, () => ({ '#set': (x as ISet<unknown>).toArray() }))
    .exhaustive();
}

/** A decoded state as ITF values: globals by name, each actor a record `{ pc, <locals> }`. */
export function itfState(inst: Instance, s: Decoded): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of inst.fields) {
    if (f.kind === 'array') out[f.name] = (s.get(f.name) as List<unknown>).toArray().map((x) => value(f.domain, x));
    else if (f.actor === undefined) out[f.name] = value(f.domain, s.get(f.name));
  }
  for (const a of inst.actors) {
    const rec: Record<string, unknown> = { pc: s.getIn([a.ref.name, 'pc']) };
    for (const f of inst.fields)
      if (f.kind === 'var' && f.actor === a.ref.id) rec[localKey(f.name, a.ref.name)] = value(f.domain, s.getIn([a.ref.name, localKey(f.name, a.ref.name)]));
    out[a.ref.name] = rec;
  }
  return out;
}

export interface ItfMeta {
  readonly status: string;
  readonly violation: string | undefined;
  readonly cycle: WaitCycle | undefined;
}

/** A lock in a state's `#meta.locks`: actor names per relation, empty ones left out. */
function itfLock(inst: Instance, l: LockUse): Record<string, unknown> {
  const names = (ids: readonly number[]): string[] => ids.map((a) => inst.actors[a]!.ref.name);
  const rel = (k: 'holds' | 'shares' | 'queued' | 'waiting'): Record<string, string[]> => (l[k].length ? { [k]: names(l[k]) } : {});
  return { lock: l.lock, ...rel('holds'), ...rel('shares'), ...rel('queued'), ...rel('waiting') };
}

/** The ITF variables of a state: the globals, then one record per actor. */
export const itfVars = (inst: Instance): string[] => [...inst.fields.filter((f) => f.actor === undefined).map((f) => f.name), ...inst.actors.map((a) => a.ref.name)];

export function toItf(inst: Instance, trace: Trace, meta: ItfMeta): Itf {
  const vars = [...itfVars(inst), 'mbt::actionTaken'];
  const states = trace.states.map((s, i) => {
    const step = i === 0 ? undefined : trace.steps[i - 1]!;
    const locks = lockUses(inst, trace.views[i]!).map((l) => itfLock(inst, l));
    return {
      '#meta': {
        index: i,
        ...(step === undefined ? {} : { actor: step.actor.name, action: step.label, fn: step.fn, ...(step.frame.length ? { frame: step.frame } : {}) }),
        ...(locks.length ? { locks } : {}),
      },
      ...itfState(inst, s),
      'mbt::actionTaken': step === undefined ? 'init' : `${step.actor.name}: ${step.label}`,
    };
  });
  const name = (a: number): string => inst.actors[a]!.ref.name;
  return {
    '#meta': {
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: inst.model.name,
      params: inst.params,
      actors: inst.actors.map((a) => a.ref.name),
      status: meta.status,
      ...(meta.violation ? { violation: meta.violation } : {}),
      ...(meta.cycle ? { waitForCycle: meta.cycle.links.map((l) => ({ actor: name(l.actor), waitsFor: l.resource, heldBy: name(l.heldBy) })) } : {}),
      description: 'Created by kmc',
    },
    vars,
    states,
  };
}
