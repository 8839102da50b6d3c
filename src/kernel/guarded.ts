/**
 * Guarded-by contracts: `lockdep_assert_held()` made exhaustive. A field declares the locks one
 * of which must be held to write it (`i_size` by `inode_lock`, a folio's flags by the folio
 * lock); a step that changes the field while its actor holds none of them — before the step
 * or after it, so a step that takes the lock and writes, or writes and releases, is fine —
 * breaks the built-in property `lockdep_assert_held`, reported with the trace.
 *
 * Reads are not checked: a property sees what a step wrote, not what it read.
 *
 * @example
 * guarded_by(sys, A.i_size, [A.i_rwsem.forWrite]);
 */
import { ModelError } from '../util/errors.ts';
import { transition, type Transition } from '../model/property.ts';
import type { Resource } from '../model/resource.ts';
import type { System } from '../model/system.ts';
import type { ArrayVar, Var } from '../model/vars.ts';

export const GUARDED_BY = 'lockdep_assert_held';

interface Contract { readonly v: Var | ArrayVar; readonly locks: readonly Resource[] }
const contracts = new WeakMap<System, Contract[]>();

const changed = (t: Transition, v: Var | ArrayVar): boolean => {
  if (v.kind === 'var') return t.before.get(v) !== t.after.get(v);
  for (let i = 0; i < v.length; i++) if (t.before.get(v, i) !== t.after.get(v, i)) return true;
  return false;
};
const held = (t: Transition, c: Contract): boolean =>
  c.locks.some((l) => l.holds !== undefined && (l.holds(t.before, t.step.actor.id) || l.holds(t.after, t.step.actor.id)));
const broken = (sys: System, t: Transition): Contract | undefined => (contracts.get(sys) ?? []).find((c) => changed(t, c.v) && !held(t, c));

/** `v` may be written only by an actor holding one of `locks` (each must be a lock: `Resource.holds`). */
export function guarded_by(sys: System, v: Var | ArrayVar, locks: Resource | readonly Resource[]): void {
  const list = Array.isArray(locks) ? locks : [locks as Resource];
  for (const l of list) if (l.holds === undefined) throw new ModelError('KMC013', `guarded_by(${v.name}): '${l.name}' is not a lock (it records no holders)`);
  const all = contracts.get(sys) ?? [];
  all.push({ v, locks: list });
  contracts.set(sys, all);
  sys.builtin(transition(GUARDED_BY, (t) => broken(sys, t) === undefined, {
    explain: (t) => {
      const c = broken(sys, t);
      if (c === undefined) return [];
      const names = c.locks.map((l) => l.name).join(' or ');
      return [`WARNING: lockdep_assert_held(${names}) failed`, `${c.v.name} written by ${t.step.actor.name}/${t.step.actor.id} in '${t.step.label}' without ${names}`];
    },
  }));
}
