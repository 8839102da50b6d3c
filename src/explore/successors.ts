/**
 * @internal The one successor function. Every explorer but the reference one (independent on
 * purpose) expands a state here: each enabled edge in the fixed order (actor, then edge) is
 * fired into a draft over the state, and the actors without an enabled step are recorded for
 * the deadlock rule (`deadlockAt`). Determinism is the model's contract: the same state must
 * give the same edges and successors, or traces cannot be replayed (checked on replay, KMC014).
 */
import { ModelError } from '../util/errors.ts';
import { describeDomain } from '../model/domain.ts';
import { Scratch, SlotState, lostWrite } from '../state/slot-state.ts';
import { pack } from '../state/layout.ts';
import { attribute, badEffect, initial, settle, stepWhere } from './semantics.ts';
import { truth } from '../model/truth.ts';
import { deadlockAt, type Deadlock } from './deadlock.ts';
import type { Edge } from '../model/compile.ts';
import type { Instance } from '../state/instance.ts';

export class Successors {
  readonly sc: Scratch;
  /** After `expand`: per actor, 1 if it is unfinished and has no enabled step. */
  readonly blocked: Uint8Array;
  /** After `expand`: some actor has an enabled step. */
  anyEnabled = false;

  constructor(readonly inst: Instance) {
    this.sc = new Scratch(inst);
    this.blocked = new Uint8Array(inst.actors.length);
  }

  /** The initial state, as a base view. */
  initial(): SlotState {
    const s0 = initial(this.inst, new SlotState(this.inst.rawInit.slice(), this.sc, -1)).materialize();
    checkDomains(this.inst, s0, undefined);
    return new SlotState(s0, this.sc, -1);
  }

  /**
   * Fires every enabled edge of the base view `s`. `visit(e, after)` gets each successor as a
   * draft whose changed slots are `sc.slot/sc.val[0..sc.n)`, valid until the next edge fires.
   */
  expand(view: SlotState, visit: (e: Edge, after: SlotState) => void): void {
    const actors = this.inst.actors, blocked = this.blocked, s = this.#own(view);
    let any = false;
    for (let a = 0; a < actors.length; a++) {
      const act = actors[a]!, pc = s.buf[act.pcSlot]!;
      if (pc === act.end) { blocked[a] = 0; continue; }
      const edges = act.rests[pc]!.edges;
      let en = false;
      for (let j = 0; j < edges.length; j++) {
        const e = edges[j]!, after = this.fire(e, s);
        if (after === undefined) continue;
        en = true;
        visit(e, after);
      }
      blocked[a] = en ? 0 : 1;
      any ||= en;
    }
    this.anyEnabled = any;
  }

  /** The successor of base view `s` by edge `e` as a fresh base view, or undefined if `e` is not enabled there. */
  step(view: SlotState, e: Edge): SlotState | undefined {
    const s = this.#own(view), act = this.inst.actors[e.actor]!, pc = s.buf[act.pcSlot]!;
    if (pc === act.end || !act.rests[pc]!.edges.includes(e)) return undefined;
    const after = this.fire(e, s);
    if (after === undefined) return undefined;
    const t = after.materialize();
    checkDomains(this.inst, t, e);
    return new SlotState(t, this.sc, -1);
  }

  /**
   * Edge `e` as a retry loop runs it in base view `s` when its condition is false: the actor is
   * at `e`, `e` is not enabled and waits on a resource it retries (`Resource.retries`), so it
   * spins and the state does not change (`s` is returned). Undefined if `e` is not such a spin.
   */
  spin(view: SlotState, e: Edge): SlotState | undefined {
    const act = this.inst.actors[e.actor]!, pc = view.buf[act.pcSlot]!;
    if (pc === act.end || !act.rests[pc]!.edges.includes(e) || !e.blocksOn.some((r) => r.retries === true)) return undefined;
    return this.fire(e, this.#own(view)) === undefined ? view : undefined;
  }

  /** After `expand(s)`: the deadlock of `s`, if any. */
  deadlock(s: SlotState): Deadlock | undefined {
    return deadlockAt(this.inst, s, this.blocked, this.anyEnabled);
  }

  /** `s` as a base view over this scratch (drafts of another would look stale to it). */
  #own(s: SlotState): SlotState {
    if (s.gen >= 0) throw new Error('Assertion failed: expanding a draft');
    return s.sc === this.sc ? s : new SlotState(s.buf, this.sc, -1);
  }

  /**
   * Edge `e` on base view `s` (the actor is at `e`'s resting point): undefined if its guard is
   * false, else the successor as a draft whose changed slots are `sc.slot/sc.val[0..sc.n)`.
   */
  fire(e: Edge, s: SlotState): SlotState | undefined {
    try {
      if (e.when !== undefined) {
        const g = e.when(s);
        if (g !== true) { if (g !== false) truth(g, `the guard`); return undefined; }
      }
      const t = e.then === undefined ? s : this.#effect(e.then, s);
      if (e.staticPc < 0) return settle(this.inst.actors[e.actor]!, t, e.next) as SlotState;
      this.sc.write(t as SlotState, this.inst.actors[e.actor]!.pcSlot, e.staticPc);
      return (t as SlotState).gen < 0 ? new SlotState(s.buf, this.sc, this.sc.gen) : t as SlotState;
    } catch (err) {
      if (this.sc.probing) throw err;
      return attribute(err, stepWhere(this.inst, e));
    }
  }

  /** Runs an effect on base view `s`; every write must reach the state it returns (else KMC006). */
  #effect(then: NonNullable<Edge['then']>, s: SlotState): SlotState {
    const sc = this.sc;
    sc.effect = true; sc.drafted = false;
    let t: unknown;
    try { t = then(s); } finally { sc.effect = false; }
    if (!(t instanceof SlotState)) return badEffect(t);
    if (t.gen < 0 && sc.drafted) lostWrite(`the effect wrote with set() and returned the state it was given`);
    return t;
  }
}

/** KMC001 for a slot written outside its domain, naming the field, the value and the step. */
export function domainError(inst: Instance, slot: number, value: number, e: Edge | undefined): never {
  throw new ModelError('KMC001', `${inst.layout.slotName[slot]} := ${value}, domain ${describeDomain(inst.slotDomain[slot]!, inst.ctx)} [in ${e ? stepWhere(inst, e) : 'the initial state'}]`, true);
}

/** Every slot of `slots` inside its domain, or KMC001. */
export function checkDomains(inst: Instance, slots: Int32Array, e: Edge | undefined): void {
  const bad = pack(inst.layout, slots, new Uint32Array(Math.max(1, inst.layout.words)), 0);
  if (bad >= 0) domainError(inst, bad, slots[bad]!, e);
}
