/**
 * @internal The reference explorer: the same BFS, written for obviousness over decoded
 * Immutable.js states, with an exact visited set (hashCode buckets compared with `is`).
 * Shares only step semantics with the fast explorer; no packing, fingerprints or typed arrays.
 * Tests require both to agree on states, transitions, depth, verdict and trace.
 */
import { is } from 'immutable';
import { findWaitCycle } from '../check/deadlock.ts';
import { DEADLOCK } from '../check/property.ts';
import { decode, type Decoded } from '../state/decode.ts';
import { ImmutableState } from '../state/immutable-state.ts';
import { attribute, enabled, fire, initial, stepWhere } from './semantics.ts';
import { stepInfos } from './steps.ts';
import type { Instance } from '../model/instance.ts';
import type { Path, Verdict } from '../check/verdict.ts';
import type { ExploreOptions, ExploreResult } from './options.ts';

export function exploreReference(inst: Instance, opts: ExploreOptions = {}): ExploreResult {
  const t0 = performance.now();
  const visited = new Map<number, Decoded[]>();
  const parent: number[] = [], via: number[] = [];
  const witnesses = new Map<string, Path>();
  const infos = stepInfos(inst);
  let transitions = 1, depth = 0, where = `the initial state`;

  const seen = (d: Decoded): boolean => (visited.get(d.hashCode()) ?? []).some((x) => is(x, d));
  const add = (d: Decoded): boolean => {
    const bucket = visited.get(d.hashCode()) ?? [];
    if (bucket.some((x) => is(x, d))) return false;
    bucket.push(d); visited.set(d.hashCode(), bucket);
    return true;
  };
  const pathTo = (id: number): number[] => (parent[id]! < 0 ? [] : [...pathTo(parent[id]!), via[id]!]);
  const finish = (verdict: Verdict): ExploreResult => ({
    verdict, witnesses,
    stats: { states: parent.length, transitions, depth, seconds: (performance.now() - t0) / 1000, bytesPerState: 0, collisionProbability: 0 },
  });

  try {
    const s0 = initial(inst, new ImmutableState(decode(inst, inst.rawInit), inst));
    add(s0.value); parent.push(-1); via.push(0);
    let level: { id: number; s: ImmutableState }[] = [{ id: 0, s: s0 }];
    while (level.length > 0) {
      const nextLevel: typeof level = [];
      let pending: Verdict | undefined;
      for (const { id, s } of level) {
        for (const p of inst.properties) {
          where = `property '${p.name}'`;
          if (p.kind === 'always' && !p.pred(s)) return finish({ kind: 'safety', property: p.name, path: pathTo(id) });
          if (p.kind === 'sometimes' && !witnesses.has(p.name) && p.pred(s)) witnesses.set(p.name, pathTo(id));
        }
        const blocked = new Uint8Array(inst.actors.length);
        for (const a of inst.actors) {
          if (s.done(a.ref)) continue;
          const edges = a.rests[s.pcOf(a.ref.id)]!.edges;
          where = stepWhere(inst, edges[0]!);
          const live = edges.filter((e) => { where = stepWhere(inst, e); return enabled(e, s); });
          blocked[a.ref.id] = live.length === 0 ? 1 : 0;
          for (const e of live) {
            where = stepWhere(inst, e);
            const t = fire(inst, e, s) as ImmutableState;
            transitions++;
            for (const p of inst.properties) {
              where = `property '${p.name}'`;
              if (p.kind === 'transition' && pending === undefined && !p.pred({ before: s, step: infos[e.id]!, after: t }))
                pending = { kind: 'safety', property: p.name, path: [...pathTo(id), e.id] };
            }
            if (opts.maxStates !== undefined && parent.length >= opts.maxStates && !seen(t.value)) {
              return finish({ kind: 'incomplete', bound: `--max-states ${opts.maxStates}` });
            }
            if (add(t.value)) {
              parent.push(id); via.push(e.id);
              nextLevel.push({ id: parent.length - 1, s: t });
            }
          }
        }
        if (opts.deadlock !== false && blocked.includes(1)) {
          where = `deadlock check`;
          const cycle = findWaitCycle(inst, s, blocked);
          const none = inst.actors.every((a) => s.done(a.ref) || blocked[a.ref.id]);
          const stuckTask = none && inst.actors.some((a) => blocked[a.ref.id] && a.ref.kind === 'task');
          if (cycle !== undefined || stuckTask) return finish({ kind: 'deadlock', property: DEADLOCK, path: pathTo(id), cycle });
        }
      }
      if (pending !== undefined) return finish(pending);
      if (nextLevel.length > 0) depth++;
      level = nextLevel;
    }
  } catch (err) {
    attribute(err, where);
  }
  const unreached = inst.properties.find((p) => p.kind === 'sometimes' && !witnesses.has(p.name));
  return finish(unreached ? { kind: 'unreached', property: unreached.name } : { kind: 'ok' });
}
