/**
 * What the interactive explorer (`kmc explore`) shows: the model's reachable state graph,
 * explored breadth-first from the initial state up to a bound, with everything the page needs
 * to step through it by hand and no model code (so the page runs with no server): per state,
 * its fields as text, the locks held, queued for and waited on, each actor's situation (done;
 * the steps it can take, each with the state it leads to; or blocked, with what it waits on
 * and who holds that), the deadlock or wait-for cycle the state is in, and the safety
 * properties it violates; per move, the transition properties it breaks. States past the
 * bound are not in the page: a move to one says so (its target is -1).
 */
import { decode } from '../state/decode.ts';
import { SlotState } from '../state/slot-state.ts';
import { Successors } from '../explore/successors.ts';
import { blockedActors } from '../explore/deadlock.ts';
import { lockUses } from '../explore/locks.ts';
import { stepInfos } from '../explore/steps.ts';
import { itfState, itfVars } from './itf.ts';
import { fieldsOf, showItf, type ViewLock } from './view.ts';
import type { Instance } from '../state/instance.ts';

/** A step of the model: its actor's name, label, kernel function and call frame. */
export interface ExploredStep { readonly actor: string; readonly label: string; readonly fn: string; readonly frame: readonly string[] }

/** A step an actor can take: the step (an index into `Explored.steps`), the state it leads to (-1: past the bound), the transition properties it breaks. */
export interface Move { readonly step: number; readonly to: number; readonly breaks?: readonly string[] }

/** An actor in a state: done, able to step (its moves), or blocked in `step` waiting on each resource for its holders. */
export type Situation =
  | { readonly kind: 'done' }
  | { readonly kind: 'enabled'; readonly at: string; readonly moves: readonly Move[] }
  | { readonly kind: 'blocked'; readonly at: string; readonly waits: readonly { readonly resource: string; readonly on: readonly string[]; readonly retries: boolean }[] };

export interface ExploredState {
  /** Field values as indices into `Explored.values`, in the order of `Explored.fields`. */
  readonly values: readonly number[];
  readonly locks: readonly ViewLock[];
  /** Per actor, in the order of `Explored.actors`. */
  readonly actors: readonly Situation[];
  /** The deadlock the state is in: its wait-for cycle, or `[]` when nothing can run while work is unfinished. */
  readonly deadlock?: readonly { readonly actor: string; readonly waitsFor: string; readonly heldBy: string }[];
  /** The safety properties (`always`/`never`) the state violates. */
  readonly violates: readonly string[];
}

export interface Explored {
  readonly model: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly actors: readonly string[];
  readonly fields: readonly string[];
  readonly steps: readonly ExploredStep[];
  /** Every distinct field value as text (states refer to them by index). */
  readonly values: readonly string[];
  readonly states: readonly ExploredState[];
  /** The bound, when the model has more states than it (the page then holds `states.length` of them). */
  readonly truncated?: number;
}

const str = (x: Int32Array): string => x.join(',');

/** The state graph of `inst`, breadth-first, at most `maxStates` states. */
export function explore(inst: Instance, maxStates: number): Explored {
  const succ = new Successors(inst), infos = stepInfos(inst), vars = itfVars(inst);
  const names = (ids: readonly number[]): string[] => ids.map((a) => inst.actors[a]!.ref.name);
  const views: SlotState[] = [succ.initial()], ids = new Map([[str(views[0]!.buf), 0]]);
  const always = inst.properties.flatMap((p) => (p.kind === 'always' ? [p] : []));
  const transitions = inst.properties.flatMap((p) => (p.kind === 'transition' ? [p] : []));
  const fields: string[] = [], values: string[] = [], valueId = new Map<string, number>(), states: ExploredState[] = [];
  let truncated: number | undefined;
  for (let v = 0; v < views.length; v++) {
    const s = views[v]!;
    const moves = new Map<number, Move[]>();
    succ.expand(s, (e, draft) => {
      const buf = draft.materialize(), key = str(buf);
      let to = ids.get(key);
      if (to === undefined) {
        if (views.length >= maxStates) { truncated = maxStates; to = -1; }
        else { to = views.length; ids.set(key, to); views.push(new SlotState(buf, succ.sc, -1)); }
      }
      const after = to >= 0 ? views[to]! : new SlotState(buf, succ.sc, -1), info = infos[e.id]!;
      const breaks = transitions.filter((p) => !p.pred({ before: s, step: info, after })).map((p) => p.name);
      (moves.get(e.actor) ?? moves.set(e.actor, []).get(e.actor)!).push({ step: e.id, to, ...(breaks.length ? { breaks } : {}) });
    });
    const dead = succ.deadlock(s);
    const blocked = new Map(blockedActors(inst, s).map((b) => [b.actor, b]));
    const fs = fieldsOf({ vars }, itfState(inst, decode(inst, s.buf)));
    if (v === 0) fields.push(...fs.map(([k]) => k));
    states.push({
      values: fs.map(([, x]) => { const t = showItf(x); let i = valueId.get(t); if (i === undefined) { i = values.length; values.push(t); valueId.set(t, i); } return i; }),
      locks: lockUses(inst, s).map((l) => ({ lock: l.lock, holds: names(l.holds), shares: names(l.shares), queued: names(l.queued), waiting: names(l.waiting) })),
      actors: inst.actors.map((a, i): Situation => {
        if (s.pcOf(i) === a.end) return { kind: 'done' };
        const b = blocked.get(i), at = a.rests[s.pcOf(i)]!.edges.map((e) => e.label).join(' | ');
        if (b !== undefined) return { kind: 'blocked', at: b.step, waits: b.waits.map((w) => ({ resource: w.resource, on: names(w.on), retries: w.retries === true })) };
        return { kind: 'enabled', at, moves: moves.get(i) ?? [] };
      }),
      ...(dead === undefined ? {} : { deadlock: (dead.cycle?.links ?? []).map((l) => ({ actor: names([l.actor])[0]!, waitsFor: l.resource, heldBy: names([l.heldBy])[0]! })) }),
      violates: always.filter((p) => !p.pred(s)).map((p) => p.name),
    });
  }
  const steps = infos.map((i) => ({ actor: i.actor.name, label: i.label, fn: i.fn, frame: i.frame }));
  return { model: inst.model.name, params: inst.params, actors: inst.actors.map((a) => a.ref.name), fields, steps, values, states, ...(truncated === undefined ? {} : { truncated }) };
}
