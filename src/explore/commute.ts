/**
 * @internal Whether two steps of different actors that touch a common field are independent
 * all the same: two `down_read`s of one rwsem (each adds its own bit to the reader set), two
 * increments of one counter, a reader joining while another leaves. The partial-order
 * reduction's analysis (`por-analysis.ts`) asks it of the pairs its field rule calls dependent.
 *
 * Step `e` (in the stubborn set, enabled) and step `f` of another actor (one it leaves out)
 * commute when, in every state over the declared domains with both actors at those steps:
 * - where `e` is enabled, `e` neither enables nor disables `f` (Godefroid's independence, the
 *   way the stubborn set needs it), and, where `f` is disabled, `e` leaves `f`'s wait-for sets
 *   as they were (a wait-for cycle `f`'s blocked actor is in survives `e`);
 * - where both are enabled, `f` does not disable `e`, and `e` then `f` ends in the same state
 *   as `f` then `e` (every field either order wrote has the same final value);
 * - a step that throws (a model error) throws in both orders.
 * Checked on each step's guard and effect, run over the decision tree of both orders at once
 * (`enumerate.ts`: each field read by either is decided once per run, the second step sees the
 * first's writes), so "every state" is every state, reachable or not. The control flow after a
 * step (its branches, assignments and pc: `cont`) is left to the field rule, by the caller:
 * it must neither read what the other step writes nor write what the other step reads or
 * writes; then it goes the same way in both orders, and the effects decide. (Run with the
 * effects, branches that test fields the effects never write multiply the runs for nothing.)
 * Where the control flow does touch what the other step writes, the caller asks again with
 * `whole`: then each step is run as the search takes it, guard, effect and control flow, and
 * its pc write is one more field the orders must agree on (trivially: the pcs are the actors').
 * More than `limit` runs, or a field too wide to enumerate, and the steps do not commute.
 */
import { enumerate, overlaid, sample } from './enumerate.ts';
import type { Successors } from './successors.ts';
import { SlotState } from '../state/slot-state.ts';
import type { Edge } from '../model/compile.ts';

/** Random states looked at before the exhaustive check. */
const SAMPLES = 8;

/** What a step does in a state: undefined, not enabled; null, it throws; else its writes (slot, value, slot, value, ...). */
type Outcome = undefined | null | number[];

/**
 * Do `e` (enabled, in the set) and `f` (another actor's, left out) commute? `at`: both actors'
 * pcs; `waits`: wait-for sets matter (deadlock checking). `guarded`: per step, whether the
 * other may write what its guard (or wait-for set) reads; a guard the other cannot change is
 * taken as true (the check then covers more states: it asks more, not less), which keeps the
 * fields only that guard reads from multiplying the runs.
 */
export function commutes(succ: Successors, e: Edge, f: Edge, at: ReadonlyMap<number, number>, waits: boolean, limit: number, guarded: readonly [boolean, boolean], whole = false): boolean {
  const sc = succ.sc;
  /** The guard and the effect of `edge` (and, `whole`, the control flow after it: the step as the search takes it). */
  const fire = (edge: Edge, s: SlotState): Outcome => {
    if (whole) {
      try {
        const t = succ.fire(edge, s);
        return t === undefined ? undefined : sc.writesOf(t);
      } catch {
        return null;
      }
    }
    try {
      const g = edge.when === undefined || !guarded[edge === e ? 0 : 1] ? true : edge.when(s);
      if (g !== true) return g === false ? undefined : null;
      let t: unknown = s;
      if (edge.then !== undefined) {
        // as the search runs an effect: writing twice through the state it was given is a model error (KMC006)
        sc.effect = true; sc.drafted = false;
        try { t = edge.then(s); } finally { sc.effect = false; }
        if (t instanceof SlotState && t.gen < 0 && sc.drafted) return null;
      }
      return t instanceof SlotState ? sc.writesOf(t) : null;
    } catch {
      return null;
    }
  };
  const after = (edge: Edge, s: SlotState, w: readonly number[]): Outcome => overlaid(s, w, (x) => fire(edge, x));
  const waitsFor = (s: SlotState): string => {
    try { return f.blocksOn.map((r) => [...new Set(r.waitsFor(s, f.actor))].sort((x, y) => x - y).join(' ')).join(); } catch { return 'throws'; }
  };
  /** The same final state: every field either sequence wrote has the same last value (or the state's, if one did not write it). */
  const same = (s: SlotState, x: readonly number[], y: readonly number[]): boolean => {
    const fx = new Map<number, number>(), fy = new Map<number, number>();
    for (let k = 0; k < x.length; k += 2) fx.set(x[k]!, x[k + 1]!);
    for (let k = 0; k < y.length; k += 2) fy.set(y[k]!, y[k + 1]!);
    const base = (slot: number): number => sc.tap!.read(s.buf, slot);
    for (const [slot, v] of fx) if ((fy.get(slot) ?? base(slot)) !== v) return false;
    for (const [slot, v] of fy) if (!fx.has(slot) && base(slot) !== v) return false;
    return true;
  };
  const ok = (v: SlotState): boolean => {
    const a = fire(e, v);
    if (a === undefined) return true;
    const b = fire(f, v);
    if (a === null) return b === undefined || b === null || after(e, v, b) === null;
    const fa = after(f, v, a);
    if ((b === undefined) !== (fa === undefined)) return false;
    if (b === undefined) return !waits || f.blocksOn.length === 0 || !guarded[1] || waitsFor(v) === overlaid(v, a, waitsFor);
    if (b === null || fa === null) return b === null && fa === null;
    const ef = after(e, v, b);
    if (ef === undefined || ef === null) return false;
    return same(v, [...a, ...fa!], [...b, ...ef]);
  };
  // most pairs that do not commute show it on a random state: look at a few before the proof
  if (sample(succ, at, ok, SAMPLES, (x) => x !== true)) return false;
  const runs = enumerate(succ, at, ok, limit, (x) => x !== true);
  return runs !== undefined && runs.every((r) => r.value === true);
}
