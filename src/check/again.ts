/**
 * A verdict's paths replayed in a second setup of the model (fresh closures, and a module
 * instance of its own for a model loaded from a file: nothing fired but the path's own steps) before they are believed: the counterexample must replay step by step,
 * every `always` property must hold on the way, and the violation must be there at the end;
 * every `sometimes` witness must hold at its end. Then every state on the path is expanded in both
 * setups, which must enable the same steps with the same successors. A property or guard that read what an effect
 * of another step left beside the state (a limit an unrelated task lowered, a log) answers
 * differently here, and the verdict is KMC014 naming the step or property, never a trace of a
 * step that cannot violate anything.
 */
import { ModelError } from '../util/errors.ts';
import { truth } from '../model/truth.ts';
import { setUpAgain } from '../explore/declaration.ts';
import { NOT_DETERMINISTIC, stepWhere } from '../explore/semantics.ts';
import { Successors } from '../explore/successors.ts';
import { isViolation, type Path, type Verdict } from '../explore/verdict.ts';
import { spinsOf } from '../explore/replay.ts';
import { endsIn } from './minimize.ts';
import type { Instance } from '../state/instance.ts';
import { SlotState } from '../state/slot-state.ts';

const AGAIN = 'a replay of that path in a second setup of the model';
const steps = (n: number): string => `${n} step${n === 1 ? '' : 's'}`;
const differ = (what: string): never => { throw new ModelError('KMC014', `${what}: ${NOT_DETERMINISTIC}`, true); };

/** The states of `path` in `inst`, each `always` property holding before the last; KMC014 where it goes another way. */
function replayed(inst: Instance, path: Path, spinsFrom?: number): SlotState[] {
  const succ = new Successors(inst), views = [succ.initial()];
  const always = inst.properties.filter((p) => p.kind === 'always');
  path.forEach((id, i) => {
    for (const p of always) {
      const where = `property '${p.name}'`;
      if (!truth(p.pred(views[i]!), where)) differ(`${where} holds in exploration ${i ? `after ${steps(i)}` : 'in the initial state'} but not on ${AGAIN}`);
    }
    const e = inst.edges[id]!, spin = spinsFrom !== undefined && i >= spinsFrom, next = spin ? succ.spin(views[i]!, e) : succ.step(views[i]!, e);
    if (next === undefined) differ(`${stepWhere(inst, e)} ${spin ? 'spins' : 'is enabled'} in exploration at step ${i + 1} but not on ${AGAIN}`);
    views.push(next!);
  });
  return views;
}

/** Each enabled edge of `s` and its successor's slots. */
function expansion(succ: Successors, s: SlotState): Map<number, string> {
  const out = new Map<number, string>();
  succ.expand(new SlotState(s.buf, succ.sc, -1), (e, after) => { out.set(e.id, after.materialize().join()); });
  return out;
}

/** Every state on the path expanded in both setups: the same steps enabled, the same successors. */
function sameSteps(inst: Instance, again: Instance, views: readonly SlotState[]): void {
  const one = new Successors(inst), two = new Successors(again);
  views.forEach((s, i) => {
    const a = expansion(one, s), b = expansion(two, s);
    for (const id of new Set([...a.keys(), ...b.keys()])) {
      if (a.get(id) === b.get(id)) continue;
      const what = a.has(id) && b.has(id) ? 'gives a different state each time it fires' : 'is enabled one time and not the next';
      differ(`${stepWhere(inst, inst.edges[id]!)} ${what} (on the reported path, ${i ? `in the state after step ${i}` : 'in the initial state'}, asked again in a second setup of the model)`);
    }
  });
}

/** Holds `v`'s path and the `sometimes` witnesses to a second setup of the model (KMC014 if they do not replay). */
export function againInSecondSetup(inst: Instance, v: Verdict, witnesses: ReadonlyMap<string, Path>): void {
  if (!isViolation(v) && witnesses.size === 0) return;
  const again = setUpAgain(inst, 'replay');
  if (isViolation(v)) {
    const views = replayed(again, v.path, spinsOf(v)), n = v.path.length;
    if (!endsIn(again, v, views)) {
      differ(v.kind === 'safety' ? `property '${v.property}' is violated in exploration after ${steps(n)} but holds on ${AGAIN}`
        : `the ${v.kind} found in exploration after ${steps(n)} is not there on ${AGAIN}`);
    }
    sameSteps(inst, again, views);
  }
  for (const [name, path] of witnesses) {
    const p = again.properties.find((x) => x.name === name);
    if (p?.kind !== 'sometimes') continue;
    const where = `property '${name}'`, last = replayed(again, path).at(-1)!;
    if (!truth(p.pred(last), where)) differ(`${where} holds in exploration after ${steps(path.length)} but not on ${AGAIN}`);
  }
}
