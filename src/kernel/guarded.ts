/**
 * Guarded-by contracts: `lockdep_assert_held()` made exhaustive. A field declares the locks one
 * of which must be held to write it (`i_size` by `inode_lock`, a folio's flags by the folio
 * lock), and with `{ reads: true }` to read it too; a step that changes (or reads) the field
 * while its actor holds none of them — before the step or after it, so a step that takes the
 * lock and writes, or writes and releases, is fine — breaks the built-in property
 * `lockdep_assert_held`, reported with the trace.
 *
 * What a step reads is what its guard and effect read of the state it starts from (run again
 * on a recording view: `model/reads.ts`); conditions of branches decided after the step are
 * not counted.
 *
 * @example
 * guarded_by(sys, A.i_size, [A.i_rwsem.forWrite]);
 * guarded_by(sys, dev.count, [dev.lock], { reads: true });
 */
import { ModelError } from '../util/errors.ts';
import { transition, type Transition } from '../model/property.ts';
import type { Resource } from '../model/resource.ts';
import { systemKey, type System } from '../model/system.ts';
import type { ArrayVar, Var } from '../model/vars.ts';

export const GUARDED_BY = 'lockdep_assert_held';

interface Contract { readonly v: Var | ArrayVar; readonly locks: readonly Resource[]; readonly reads: boolean }
/** The contracts of a system (its entry in `sys.registry`). */
const CONTRACTS = systemKey<Contract[]>('guarded', () => []);

const changed = (t: Transition, v: Var | ArrayVar): boolean => {
  if (v.kind === 'var') return t.before.get(v) !== t.after.get(v);
  for (let i = 0; i < v.length; i++) if (t.before.get(v, i) !== t.after.get(v, i)) return true;
  return false;
};
const held = (t: Transition, c: Contract): boolean =>
  c.locks.some((l) => l.holds !== undefined && (l.holds(t.before, t.step.actor.id) || l.holds(t.after, t.step.actor.id)));
/** The first contract the transition breaks, and how. */
const broken = (contracts: readonly Contract[], t: Transition): { c: Contract; how: 'written' | 'read' } | undefined => {
  for (const c of contracts) {
    if (changed(t, c.v)) { if (!held(t, c)) return { c, how: 'written' }; }
    else if (c.reads && !held(t, c) && t.step.reads(t.before).has(c.v)) return { c, how: 'read' };
  }
  return undefined;
};

/** `v` may be written (with `reads`, also read) only by an actor holding one of `locks` (each must be a lock: `Resource.holds`). */
export function guarded_by(sys: System, v: Var | ArrayVar, locks: Resource | readonly Resource[], opts: { readonly reads?: boolean } = {}): void {
  const list = Array.isArray(locks) ? locks : [locks as Resource];
  for (const l of list) if (l.holds === undefined) throw new ModelError('KMC013', `guarded_by(${v.name}): '${l.name}' is not a lock (it records no holders)`);
  const all = sys.registry.get(CONTRACTS);
  all.push({ v, locks: list, reads: opts.reads === true });
  sys.builtin(transition(GUARDED_BY, (t) => broken(all, t) === undefined, {
    explain: (t) => {
      const b = broken(all, t);
      if (b === undefined) return [];
      const names = b.c.locks.map((l) => l.name).join(' or ');
      return [`WARNING: lockdep_assert_held(${names}) failed`, `${b.c.v.name} ${b.how} by ${t.step.actor.name}/${t.step.actor.id} in '${t.step.label}' without ${names}`];
    },
  }));
}
