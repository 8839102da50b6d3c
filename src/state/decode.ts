/**
 * @internal Decoded states: the Immutable.js values traces, diffs, ITF files and the reference
 * explorer use. Shape: `Map { <global>: value | List, <actor>: Map { pc: '<step label>', <local>: value } }`.
 */
import { List, Map as IMap } from 'immutable';
import { decodeValue, encodeValue } from '../model/domain.ts';
import { invariant } from '../util/errors.ts';
import type { CompiledActor } from '../model/compile.ts';
import type { Instance } from './instance.ts';

export type Decoded = IMap<string, unknown>;

const pcNameCache = new WeakMap<CompiledActor, readonly string[]>();

/** Display names of an actor's pc values: the label of the next step (`#k` if repeated), or `done`. */
export function pcNames(a: CompiledActor): readonly string[] {
  let names = pcNameCache.get(a);
  if (names === undefined) {
    const count = new Map<string, number>(), seen = new Map<string, number>();
    for (const r of a.rests) count.set(r.name, (count.get(r.name) ?? 0) + 1);
    names = a.rests.map((r) => {
      if (count.get(r.name) === 1) return r.name;
      const k = (seen.get(r.name) ?? 0) + 1; seen.set(r.name, k);
      return `${r.name}#${k}`;
    });
    names = [...names, `done`];
    pcNameCache.set(a, names);
  }
  return names;
}

/** Path of a field in a decoded state. */
export const localKey = (fieldName: string, actor: string): string => fieldName.slice(actor.length + 1);

export function decode(inst: Instance, slots: Int32Array): Decoded {
  return IMap<string, unknown>().withMutations((m) => {
    for (const f of inst.fields) {
      if (f.kind === 'array') {
        m.set(f.name, List(Array.from({ length: f.length }, (_, i) => decodeValue(f.domain, slots[f.slot + i]!, inst.ctx))));
      } else if (f.actor === undefined) m.set(f.name, decodeValue(f.domain, slots[f.slot]!, inst.ctx));
    }
    for (const a of inst.actors) {
      m.set(a.ref.name, IMap<string, unknown>().withMutations((am) => {
        am.set('pc', pcNames(a)[slots[a.pcSlot]!]);
        for (const f of inst.fields)
          if (f.kind === 'var' && f.actor === a.ref.id) am.set(localKey(f.name, a.ref.name), decodeValue(f.domain, slots[f.slot]!, inst.ctx));
      }));
    }
  });
}

export function encode(inst: Instance, d: Decoded): Int32Array {
  const slots = new Int32Array(inst.layout.slots);
  const enc = (dom: Parameters<typeof encodeValue>[0], x: unknown, what: string): number => {
    const v = encodeValue(dom, x, inst.ctx);
    invariant(v !== undefined, `cannot encode ${what} = ${String(x)}`);
    return v;
  };
  for (const f of inst.fields) {
    if (f.kind === 'array') {
      const l = d.get(f.name) as List<unknown>;
      for (let i = 0; i < f.length; i++) slots[f.slot + i] = enc(f.domain, l.get(i), `${f.name}[${i}]`);
    } else if (f.actor === undefined) slots[f.slot] = enc(f.domain, d.get(f.name), f.name);
    else {
      const an = inst.actors[f.actor]!.ref.name;
      slots[f.slot] = enc(f.domain, d.getIn([an, localKey(f.name, an)]), f.name);
    }
  }
  for (const a of inst.actors) {
    const pc = pcNames(a).indexOf(d.getIn([a.ref.name, 'pc']) as string);
    invariant(pc >= 0, `unknown pc of ${a.ref.name}`);
    slots[a.pcSlot] = pc;
  }
  return slots;
}
