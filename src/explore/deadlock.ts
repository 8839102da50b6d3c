/**
 * The deadlock rule, checked in every state.
 *
 * - **Global deadlock**: no actor has an enabled step while some task is blocked, or some
 *   kthread is blocked anywhere but where it idles (its main loop's head, an `idle` step):
 *   a hung task, as khungtaskd would say.
 * - **Wait-for cycle**: a set of blocked actors, each waiting on a resource whose holders
 *   include another blocked member of the set: AA (self-edge), AB-BA, and longer cycles.
 *   Reported even while other actors (writeback, a device) can still run.
 *
 * An actor blocked at a `choice` waits on *any* of its arms, and a resource with several
 * holders (rwsem readers) waits on *all* of them; so an actor is stuck iff every arm has a
 * stuck actor among those it waits for. A resource that needs only *one* of several actors
 * (`needs: 'any'`: whoever may `complete()` a completion) is stuck only if all of them are.
 * The stuck set is the greatest fixed point of that rule.
 */
import { enabled } from './semantics.ts';
import type { Hold } from '../model/resource.ts';
import type { Instance } from '../state/instance.ts';
import type { EngineState } from '../state/engine-state.ts';

/** One link of a cycle: `actor` waits on `resource`, which `heldBy` holds (or queues ahead on). */
export interface WaitLink {
  readonly actor: number;
  readonly resource: string;
  readonly heldAs: string;
  readonly lockClass: string;
  readonly heldBy: number;
  /** `queued`: `heldBy` does not hold the resource but waits ahead (a queued rwsem writer blocking readers); `shares`: holds it for read. */
  readonly how: Hold;
  /** `actor` asks for the resource shared (`down_read`). */
  readonly shared: boolean;
  /** `actor` retries rather than sleeps (`Resource.retries`: a seqcount reader spinning in `read_seqbegin`). */
  readonly retries?: true;
}
export interface WaitCycle { readonly links: readonly WaitLink[] }

/** A cycle through a retry loop (a seqcount reader spinning in `read_seqbegin`): nobody sleeps, the reader spins for ever (`livelock.ts`). */
export const livelock = (c: WaitCycle): boolean => c.links.some((l) => l.retries === true);

/**
 * @param blocked per actor: true if it is not done and has no enabled step in `s`.
 * @returns a wait-for cycle among blocked actors, or undefined.
 */
export function findWaitCycle(inst: Instance, s: EngineState, blocked: Uint8Array): WaitCycle | undefined {
  const n = inst.actors.length;
  // arms[a] = for each edge at a's pc: the resources it blocks on with their wait-for sets
  const arms: { resource: string; heldAs: string; lockClass: string; shared: boolean; retries: boolean; any: boolean; waitsFor: readonly number[]; how: (h: number) => Hold }[][][] = [];
  const stuck = new Uint8Array(n);
  let any = false;
  for (let a = 0; a < n; a++) {
    arms.push([]);
    if (!blocked[a]) continue;
    const act = inst.actors[a]!;
    const rest = act.rests[s.pcOf(a)]!;
    const mine = rest.edges.map((e) => e.blocksOn.map((r) => ({ resource: r.name, heldAs: r.heldAs ?? r.name, lockClass: r.lockClass ?? r.name, shared: r.shared === true, retries: r.retries === true, any: r.needs === 'any', waitsFor: r.waitsFor(s, a), how: (h: number): Hold => r.relation?.(s, h) ?? 'holds' })));
    if (mine.every((arm) => arm.some((r) => r.waitsFor.length > 0))) { arms[a] = mine; stuck[a] = 1; any = true; }
  }
  if (!any) return undefined;
  for (let changed = true; changed;) {
    changed = false;
    for (let a = 0; a < n; a++) {
      if (!stuck[a]) continue;
      const ok = arms[a]!.every((arm) => arm.some((r) => (r.any ? r.waitsFor.length > 0 && r.waitsFor.every((h) => stuck[h]) : r.waitsFor.some((h) => stuck[h]))));
      if (!ok) { stuck[a] = 0; changed = true; }
    }
  }
  const start = stuck.indexOf(1);
  if (start < 0) return undefined;
  const next = (a: number): WaitLink => {
    for (const r of arms[a]![0]!) {
      const h = r.waitsFor.find((x) => stuck[x]);
      if (h !== undefined) return { actor: a, resource: r.resource, heldAs: r.heldAs, lockClass: r.lockClass, heldBy: h, how: r.how(h), shared: r.shared, ...(r.retries ? { retries: true as const } : {}) };
    }
    throw new Error(`Assertion failed: stuck actor without a stuck holder`);
  };
  const order: number[] = [], pos = new Map<number, number>();
  for (let a = start; !pos.has(a); a = next(a).heldBy) { pos.set(a, order.length); order.push(a); }
  const cyc = order.slice(pos.get(next(order.at(-1)!).heldBy)!);
  const first = cyc.indexOf(Math.min(...cyc));
  return { links: [...cyc.slice(first), ...cyc.slice(0, first)].map(next) };
}

/** A deadlock: a wait-for cycle, or (`cycle` undefined) nothing can run while work is unfinished. */
export interface Deadlock { readonly cycle: WaitCycle | undefined }

/**
 * The deadlock of `s`, if any. `blocked[a]`: actor a is unfinished with no enabled step;
 * `anyEnabled`: some actor has an enabled step.
 */
export function deadlockAt(inst: Instance, s: EngineState, blocked: Uint8Array, anyEnabled: boolean): Deadlock | undefined {
  if (blocked.indexOf(1) < 0) return undefined;
  const cycle = findWaitCycle(inst, s, blocked);
  if (cycle !== undefined) return { cycle };
  if (anyEnabled) return undefined;
  return inst.actors.some((a, i) => blocked[i] && !(a.ref.kind === 'kthread' && a.rests[s.pcOf(i)]!.idle)) ? { cycle: undefined } : undefined;
}

/** Why each blocked actor is stuck in `s`: its next step and whom each resource waits for. */
export interface Blocked { readonly actor: number; readonly step: string; readonly waits: readonly { resource: string; on: readonly number[]; retries?: true }[] }

export function blockedActors(inst: Instance, s: EngineState): Blocked[] {
  const out: Blocked[] = [];
  inst.actors.forEach((a, i) => {
    const pc = s.pcOf(i);
    if (pc === a.end) return;
    const edges = a.rests[pc]!.edges;
    if (edges.some((e) => enabled(e, s))) return;
    out.push({
      actor: i,
      step: edges.map((e) => e.label).join(' | '),
      waits: edges.flatMap((e) => e.blocksOn.map((r) => ({ resource: r.name, on: r.waitsFor(s, i), ...(r.retries ? { retries: true as const } : {}) }))),
    });
  });
  return out;
}
