/**
 * @internal A model's declaration, fingerprinted: what its setup built for one choice of
 * parameters (the state layout, the actors' programs, the parameters, the properties, the
 * initial state). Two setups of one model must build the same; a setup that reads
 * `Math.random()` or the clock at load time does not, and then worker threads (which load the
 * model file again) or the determinism audit (which sets the model up again) would explore
 * another model than the one the verdict names. Compared part by part, so that the error says
 * which part differs. Function bodies are not compared (a loader may compile them differently):
 * a value drawn at load time that only a closure reads is found by the audit, if at all.
 */
import { ModelError } from '../util/errors.ts';
import { describeDomain } from '../model/domain.ts';
import { instantiate, type Instance } from '../state/instance.ts';
import { Successors } from './successors.ts';
import { freshOf, type Role } from '../model/reload.ts';

/** The fingerprint of each part of a declaration (hex). */
export interface Declaration {
  readonly layout: string;
  readonly programs: string;
  readonly parameters: string;
  readonly properties: string;
  readonly initial: string;
}

const PART_NAMES: Record<keyof Declaration, string> = {
  layout: 'the state layout', programs: "the actors' programs", parameters: 'the parameters', properties: 'the properties', initial: 'the initial state',
};

/** FNV-1a, two lanes: a 64-bit hex digest of `s`. */
function digest(s: string): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function declarationOf(inst: Instance): Declaration {
  const layout = inst.layout.slotName.map((n, i) => `${n}:${describeDomain(inst.slotDomain[i]!, inst.ctx)}`).join(',');
  const programs = JSON.stringify(inst.actors.map((a) => ({
    name: a.ref.name, pc: a.pcSlot, end: a.end, canEnd: a.canEnd, entry: a.entry,
    rests: a.rests.map((r) => ({ name: r.name, sleeps: r.sleeps, edges: r.edges.map((e) => [e.id, e.label, e.fn, e.frame, e.staticPc, e.next, e.trylock, e.handoff, e.blocksOn.length, e.acquires.length]) })),
    conts: a.conts.map((k) => ({ ...k, ...('cond' in k ? { cond: 'cond' } : {}), ...('v' in k ? { v: k.v.name } : {}) })),
  })));
  const properties = JSON.stringify(inst.properties.map((p) => [p.kind, p.name]));
  let initial: string;
  try { initial = Array.from(new Successors(inst).initial().buf).join(','); } catch { initial = 'throws'; }
  return {
    layout: digest(layout), programs: digest(programs), parameters: digest(JSON.stringify(inst.params)),
    properties: digest(properties), initial: digest(`${Array.from(inst.rawInit).join(',')}/${initial}`),
  };
}

/** The parts in which `b` differs from `a`, named; empty when they are the same. */
export function differences(a: Declaration, b: Declaration): string[] {
  return (Object.keys(PART_NAMES) as (keyof Declaration)[]).filter((k) => a[k] !== b[k]).map((k) => PART_NAMES[k]);
}

/**
 * The model set up again with the same parameters, its properties those of `inst` (by name, in
 * its order): from a fresh instance of its module when it was loaded from a file
 * (`model/reload.ts`; `role` picks which), so that module-level state is not the first
 * setup's. KMC014 if the second setup builds another model (`what` says which setup).
 */
export function setUpAgain(inst: Instance, role: Role, what = 'a second setup of the model'): Instance {
  const fresh = instantiate(freshOf(inst.model, role), inst.params), byName = new Map(fresh.properties.map((p) => [p.name, p]));
  const picked = inst.properties.map((p) => byName.get(p.name));
  const again = { ...fresh, properties: picked.every((p) => p !== undefined) ? picked : fresh.properties };
  const diff = differences(declarationOf(inst), declarationOf(again));
  if (diff.length > 0) throw new ModelError('KMC014', `${what} differs from the first in ${diff.join(', ')}: the model's setup (or its file) reads something that changes between loads (Math.random, Date, a counter) and the search would check another model than the one its verdict names`);
  return again;
}
