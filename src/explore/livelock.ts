/**
 * Livelocks: a state the deadlock rule reports (`deadlock.ts`) in which stuck actors do not
 * sleep but retry. A seqcount reader in `read_seqbegin` spins while the count is odd
 * (include/linux/seqlock.h `__read_seqcount_begin`, in newer trees
 * `read_seqcount_begin_cond_acquire`: `while ((__seq = seqprop_sequence(s)) & 1) cpu_relax();`):
 * when the writer it waits for cannot run (the reader interrupted it, or, a SCHED_FIFO task,
 * preempted it on its CPU), the reader runs for ever and nothing changes. The model writes that
 * loop as a guard (`Resource.retries`), so the state has no step; the verdict is a lasso all the
 * same: the shortest run to the state, then the cycle of each retrying actor's step
 * re-executed, the state unchanged (`Successors.spin`). Exit code 13, as for a liveness
 * violation; a state where every stuck actor sleeps stays a deadlock (11).
 *
 * The retrying actors: those of the wait-for cycle whose link retries; with no cycle (nothing
 * can run at all), every blocked actor whose step retries.
 */
import { DEADLOCK } from '../model/property.ts';
import { livelock } from './deadlock.ts';
import { replay } from './replay.ts';
import type { WaitCycle } from './deadlock.ts';
import type { Instance } from '../state/instance.ts';
import type { SlotState } from '../state/slot-state.ts';
import type { Path, Verdict } from './verdict.ts';

/** The step each retrying actor spins in at `s`, in the cycle's order (else the actors'): edge ids, empty if none retries. */
export function spinsAt(inst: Instance, s: SlotState, cycle: WaitCycle | undefined): number[] {
  if (cycle !== undefined && !livelock(cycle)) return [];
  const retrying = cycle !== undefined ? cycle.links.filter((l) => l.retries).map((l) => ({ actor: l.actor, on: l.resource }))
    : inst.actors.map((a) => ({ actor: a.ref.id, on: undefined as string | undefined }));
  return retrying.flatMap(({ actor, on }) => {
    const a = inst.actors[actor]!, pc = s.pcOf(actor);
    if (pc === a.end) return [];
    const e = a.rests[pc]!.edges.find((x) => x.blocksOn.some((r) => r.retries === true && (on === undefined || r.name === on)));
    return e === undefined ? [] : [e.id];
  });
}

/**
 * The deadlock rule's verdict for a stuck state reached by `path`: a livelock (the path, then
 * the retrying actors' spins, `loop` where they start) if some stuck actor retries, else a
 * deadlock. `last`: the state `path` ends in, if at hand (else the path is replayed).
 */
export function stuck(inst: Instance, path: Path, cycle: WaitCycle | undefined, last?: SlotState): Extract<Verdict, { kind: 'deadlock' | 'livelock' }> {
  const deadlock = { kind: 'deadlock', property: DEADLOCK, path, cycle } as const;
  if (cycle !== undefined && !livelock(cycle)) return deadlock;
  const s = last ?? replay(inst, path)?.at(-1);
  // a path that does not replay is the replay's to report (KMC014)
  const spins = s === undefined ? [] : spinsAt(inst, s, cycle);
  return spins.length === 0 ? deadlock : { kind: 'livelock', property: DEADLOCK, path: [...path, ...spins], loop: path.length, cycle };
}
