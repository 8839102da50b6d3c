/**
 * @internal The determinism audit. The memo (`memo.ts`) runs a guard, an effect or a property
 * once per combination of the values it reads, and twice more on its first reuses; past that,
 * a function whose answer changes with something outside the state (a counter in a closure, a
 * `Set` filled by effects, a side channel, `Math.random`, the clock) would go unseen and its
 * first answers would make the verdict. So, for a sample of states, everything the memo
 * answered there is asked again of a second setup of the model (`setUpAgain`: fresh closures,
 * and for a model loaded from a file a fresh instance of its module, so a counter or a log kept
 * in the setup or at module level starts over) and compared: the enabled steps, each
 * successor, every property the search asked there, every transition property on every step.
 * Repetitions alternate the order (properties first and steps last to first, then steps first
 * to last and properties), so that an answer read from what an effect of another step left
 * behind differs. Any difference is KMC014, naming the step or property.
 *
 * Sampled: the first {@link FIRST} states (in BFS order) each {@link REPEAT} times, every state up to
 * {@link ALL}, then one in {@link EVERY}. The hot loop pays one comparison per state.
 */
import { ModelError } from '../util/errors.ts';
import { truth } from '../model/truth.ts';
import { SlotState } from '../state/slot-state.ts';
import { NOT_DETERMINISTIC, stepWhere } from './semantics.ts';
import { Successors } from './successors.ts';
import { setUpAgain } from './declaration.ts';
import { stepInfos } from './steps.ts';
import type { Expander } from './expander.ts';
import type { Instance } from '../state/instance.ts';
import type { Property } from '../model/property.ts';

const FIRST = 16, REPEAT = 16, ALL = 256, EVERY = 4096;

/** How many times state `id` (in BFS order) is audited: 0 for most. */
export const auditRepeats = (id: number): number => (id < FIRST ? REPEAT : id < ALL || id % EVERY === 0 ? 1 : 0);

type Of<K extends Property['kind']> = Extract<Property, { kind: K }>;

interface Second { readonly inst: Instance; readonly succ: Successors; readonly infos: ReturnType<typeof stepInfos>; readonly preds: readonly ((s: SlotState) => unknown)[]; readonly trans: readonly Of<'transition'>[] }

export class Audit {
  #second: Second | undefined;
  readonly #infos;

  /** `preds`: the expander's predicates, by property name in its order; `trans`: the transition properties checked. */
  constructor(readonly inst: Instance, readonly ex: Expander, readonly preds: readonly string[], readonly trans: readonly Of<'transition'>[]) {
    this.#infos = stepInfos(inst);
  }

  #setUp(): Second {
    const inst = setUpAgain(this.inst, 'audit'), byName = new Map(inst.properties.map((p) => [p.name, p]));
    const pred = (p: Property | undefined): ((s: SlotState) => unknown) => (p?.kind === 'always' || p?.kind === 'sometimes' ? p.pred as (s: SlotState) => unknown : () => undefined);
    return { inst, succ: new Successors(inst), infos: stepInfos(inst), preds: this.preds.map((n) => pred(byName.get(n))), trans: this.trans.map((p) => byName.get(p.name) as Of<'transition'>) };
  }

  /** Audits the expander's current state, whose `n` enabled edges `enabled()` just listed, `reps` times. */
  state(n: number, reps: number): void {
    const ex = this.ex, second = (this.#second ??= this.#setUp());
    // what the search answered
    const succs = new Map<number, Int32Array>(), transOk = new Map<number, (boolean | undefined)[]>();
    for (let j = 0; j < n; j++) {
      const e = ex.edge[j]!, leaf = ex.leaf[j]!, after = ex.cur.slice(), w = ex.writesOf(leaf);
      for (let k = w.start; k < w.stop; k += 2) after[w.data[k]!] = w.data[k + 1]!;
      succs.set(e, after);
      if (this.trans.length > 0) {
        const step = this.#infos[e]!;
        transOk.set(e, this.trans.map((p) => { try { return truth(p.pred({ before: ex.view, step, after: ex.after(leaf) }), ''); } catch { return undefined; } }));
      }
    }
    const held = this.preds.map((_, i) => ex.remembered(i));
    const view = new SlotState(ex.cur.slice(), second.succ.sc, -1);
    const where = ex.depth === 0 ? 'in the initial state' : `in a state after ${ex.depth} step${ex.depth === 1 ? '' : 's'}`;
    const differ = (what: string): never => { throw new ModelError('KMC014', `${what} (re-evaluated in a second setup of the model, ${where}): ${NOT_DETERMINISTIC}`, true); };
    const asking = <T>(what: string, f: () => T): T => {
      try { return f(); } catch (err) { return differ(`${what} fails when asked again (${err instanceof Error ? err.message : String(err)})`); }
    };
    const properties = (): void => {
      for (let i = 0; i < held.length; i++) {
        if (held[i]! < 0) continue;
        const what = `property '${this.preds[i]}'`, v = asking(what, () => truth(second.preds[i]!(view), what));
        if (v !== (held[i] === 1)) differ(`${what} gives a different answer each time it is asked`);
      }
    };
    const steps = (backwards: boolean): void => {
      const actors = second.inst.actors, A = actors.length;
      for (let k = 0; k < A; k++) {
        const act = actors[backwards ? A - 1 - k : k]!, pc = view.buf[act.pcSlot]!;
        if (pc === act.end) continue;
        const edges = act.rests[pc]!.edges;
        for (let m = 0; m < edges.length; m++) {
          const e = edges[backwards ? edges.length - 1 - m : m]!, what = stepWhere(second.inst, e);
          const after = asking(what, () => second.succ.fire(e, view)), was = succs.get(e.id);
          if ((after === undefined) !== (was === undefined)) differ(`${what} is enabled one time and not the next`);
          if (after === undefined || was === undefined) continue;
          const ok = transOk.get(e.id);
          second.trans.forEach((p, i) => {
            if (ok?.[i] === undefined) return;
            const name = `property '${p.name}'`, v = asking(name, () => truth(p.pred({ before: view, step: second.infos[e.id]!, after }), name));
            if (v !== ok[i]) differ(`${name} gives a different answer each time it is asked (on ${what})`);
          });
          const got = after.materialize();
          if (got.some((x, s) => x !== was[s])) differ(`${what} gives a different state each time it fires`);
        }
      }
    };
    for (let r = 0; r < reps; r++) {
      if (r % 2 === 0) { properties(); steps(true); } else { steps(false); properties(); }
    }
  }
}
