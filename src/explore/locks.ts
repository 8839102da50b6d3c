/**
 * Who holds and who waits for each lock in a state: what a trace viewer shows at each step.
 * The locks are the resources some step blocks on (`blocksOn`), by name (an rwsem's read and
 * write sides are one lock). Holders are what a resource answers to `waitsFor` with each actor
 * as the waiter, split by `relation`: `holds`, `shares` (for read), `queued` (waits ahead, a
 * queued rwsem writer); waiters are the blocked actors whose next step blocks on it.
 */
import { blockedActors } from './deadlock.ts';
import { inContext } from './semantics.ts';
import type { Resource } from '../model/resource.ts';
import type { Instance } from '../state/instance.ts';
import type { EngineState } from '../state/engine-state.ts';

export interface LockUse {
  readonly lock: string;
  /** Actor ids, ascending, per relation. */
  readonly holds: readonly number[];
  readonly shares: readonly number[];
  readonly queued: readonly number[];
  readonly waiting: readonly number[];
}

interface Locks { readonly resources: readonly Resource[]; readonly names: readonly string[] }
const cache = new WeakMap<Instance, Locks>();

/** Every resource some step blocks on, and the lock names (held as, waited on), sorted. */
function locksOf(inst: Instance): Locks {
  let l = cache.get(inst);
  if (l === undefined) {
    const resources = [...new Set(inst.edges.flatMap((e) => e.blocksOn))];
    l = { resources, names: [...new Set(resources.flatMap((r) => [r.heldAs ?? r.name, r.name]))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) };
    cache.set(inst, l);
  }
  return l;
}

/**
 * The locks held, queued for or waited on in `s` (the others are left out). A resource whose
 * holders hold something else (`heldAs`: a two-state lock's other side) lists them under that.
 */
export function lockUses(inst: Instance, s: EngineState): LockUse[] {
  const { resources, names } = locksOf(inst);
  const uses = new Map(names.map((n) => [n, { holds: new Set<number>(), shares: new Set<number>(), queued: new Set<number>(), waiting: new Set<number>() }]));
  for (const r of resources) {
    if (r.needs === 'any') continue;   // a completion or wait queue: whoever may end the wait holds nothing
    inContext(`the holders of ${r.name}`, () => {
      for (let a = 0; a < inst.actors.length; a++)
        for (const h of r.waitsFor(s, a)) {
          const how = r.relation?.(s, h) ?? 'holds';
          uses.get(r.heldAs ?? r.name)![how === 'interrupts' || how === 'preempts' ? 'holds' : how].add(h);   // a handler or a higher-priority task holds the CPU
        }
    });
  }
  for (const b of blockedActors(inst, s)) for (const w of b.waits) uses.get(w.resource)?.waiting.add(b.actor);
  const sorted = (xs: Set<number>): number[] => [...xs].sort((x, y) => x - y);
  return [...uses].filter(([, u]) => u.holds.size + u.shares.size + u.queued.size + u.waiting.size > 0)
    .map(([lock, u]) => ({ lock, holds: sorted(u.holds), shares: sorted(u.shares), queued: sorted(u.queued), waiting: sorted(u.waiting) }));
}
