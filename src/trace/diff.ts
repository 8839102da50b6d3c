/**
 * What a step changed, as short kernel-style tokens in declaration order: `+dirty[1]` /
 * `-dirty[1]` for booleans, `fork[0]=phil0` for other values (`-` for no owner), `pins={K}`
 * for sets. Positions (pc) are left out: the step itself says where the actor went.
 */
import { is, Set as ISet } from 'immutable';
import { localKey, type Decoded } from '../state/decode.ts';
import type { Instance } from '../state/instance.ts';

export const showValue = (x: unknown): string =>
  x === null ? `-` : ISet.isSet(x) ? `{${(x as ISet<unknown>).toArray().map(showValue).join(',')}}` : String(x);

/** Path of each field element in a decoded state, with its display name, in declaration order. */
export function fieldPaths(inst: Instance): { name: string; path: (string | number)[] }[] {
  return inst.fields.flatMap((f) => {
    if (f.kind === 'array') return Array.from({ length: f.length }, (_, i) => ({ name: `${f.name}[${i}]`, path: [f.name, i] }));
    if (f.actor === undefined) return [{ name: f.name, path: [f.name] }];
    const an = inst.actors[f.actor]!.ref.name;
    return [{ name: f.name, path: [an, localKey(f.name, an)] }];
  });
}

export function diff(inst: Instance, before: Decoded, after: Decoded): string[] {
  const out: string[] = [];
  for (const { name, path } of fieldPaths(inst)) {
    const a = before.getIn(path), b = after.getIn(path);
    if (is(a, b)) continue;
    out.push(typeof b === 'boolean' ? `${b ? '+' : '-'}${name}` : `${name}=${showValue(b)}`);
  }
  return out;
}
