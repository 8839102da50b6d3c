/**
 * @internal The reference explorer: the same BFS, written for obviousness over decoded
 * Immutable.js states, with an exact visited set (hashCode buckets compared with `is`).
 * Independent of the fast explorer on purpose: it shares only the meaning of a step
 * (`semantics.ts`) and the wait-for cycle search; no packing, fingerprints, typed arrays, nor the
 * successor function and deadlock rule of the others, which it restates below. Tests require
 * both explorers to agree on states, transitions, depth, verdict and trace.
 */
import { getHeapStatistics } from 'node:v8';
import { is } from 'immutable';
import { findWaitCycle } from './deadlock.ts';
import { stuck } from './livelock.ts';
import { decode, type Decoded } from '../state/decode.ts';
import { ImmutableState } from '../state/immutable-state.ts';
import { attribute, enabled, fire, initial, stepWhere } from './semantics.ts';
import { truth } from '../model/truth.ts';
import { stepInfos } from './steps.ts';
import { SLICE_MS, type ExploreOptions, type ExploreResult, type Explorer, type Progress } from './options.ts';
import type { Instance } from '../state/instance.ts';
import type { Path, Verdict } from './verdict.ts';

export class ReferenceBfs implements Explorer {
  readonly #visited = new Map<number, Decoded[]>();
  readonly #parent: number[] = [];
  readonly #via: number[] = [];
  readonly #witnesses = new Map<string, Path>();
  readonly #t0 = performance.now();
  #transitions = 1;
  #depth = 0;

  constructor(readonly inst: Instance, readonly opts: ExploreOptions = {}) {}

  stop(reason: string): ExploreResult {
    return {
      verdict: { kind: 'incomplete', reason }, witnesses: this.#witnesses,
      stats: { states: this.#parent.length, transitions: this.#transitions, depth: this.#depth, seconds: (performance.now() - this.#t0) / 1000, bytesPerState: 0, exact: true, collisionProbability: 0 },
    };
  }

  *run(): Generator<Progress, ExploreResult, void> {
    const { inst, opts } = this, infos = stepInfos(inst), parent = this.#parent, via = this.#via;
    const heapLimit = getHeapStatistics().heap_size_limit * 0.5;   // well before V8 spends its time collecting
    let where = `the initial state`, yieldAt = this.#t0 + SLICE_MS;
    const seen = (d: Decoded): boolean => (this.#visited.get(d.hashCode()) ?? []).some((x) => is(x, d));
    const add = (d: Decoded): boolean => {
      const bucket = this.#visited.get(d.hashCode()) ?? [];
      if (bucket.some((x) => is(x, d))) return false;
      bucket.push(d); this.#visited.set(d.hashCode(), bucket);
      return true;
    };
    const pathTo = (id: number): number[] => (parent[id]! < 0 ? [] : [...pathTo(parent[id]!), via[id]!]);
    const finish = (verdict: Verdict): ExploreResult => ({ ...this.stop(''), verdict });
    try {
      const s0 = initial(inst, new ImmutableState(decode(inst, inst.rawInit), inst));
      add(s0.value); parent.push(-1); via.push(0);
      let level: { id: number; s: ImmutableState }[] = [{ id: 0, s: s0 }];
      while (level.length > 0) {
        const nextLevel: typeof level = [];
        let pending: Verdict | undefined;
        for (const { id, s } of level) {
          if (performance.now() >= yieldAt) {
            if (process.memoryUsage().heapUsed > heapLimit) return this.stop(`the JavaScript heap limit reached (reference explorer)`);
            yield { phase: 'reference', states: parent.length, depth: this.#depth + 1, queue: nextLevel.length, seconds: (performance.now() - this.#t0) / 1000 };
            yieldAt = performance.now() + SLICE_MS;
          }
          // the state's invariants first: a violating state is no witness
          for (const p of inst.properties) {
            where = `property '${p.name}'`;
            if (p.kind === 'always' && !truth(p.pred(s), where)) return finish({ kind: 'safety', property: p.name, path: pathTo(id) });
          }
          for (const p of inst.properties) {
            where = `property '${p.name}'`;
            if (p.kind === 'sometimes' && !this.#witnesses.has(p.name) && truth(p.pred(s), where)) this.#witnesses.set(p.name, pathTo(id));
          }
          // an actor is blocked when it is unfinished and none of its steps is enabled
          const blocked = new Uint8Array(inst.actors.length);
          let anyEnabled = false;
          for (const a of inst.actors) {
            if (s.done(a.ref)) continue;
            const edges = a.rests[s.pcOf(a.ref.id)]!.edges;
            const live = edges.filter((e) => { where = stepWhere(inst, e); return enabled(e, s); });
            blocked[a.ref.id] = live.length === 0 ? 1 : 0;
            anyEnabled ||= live.length > 0;
            for (const e of live) {
              where = stepWhere(inst, e);
              const t = fire(inst, e, s) as ImmutableState;
              this.#transitions++;
              for (const p of inst.properties) {
                where = `property '${p.name}'`;
                if (p.kind === 'transition' && pending === undefined && !truth(p.pred({ before: s, step: infos[e.id]!, after: t }), where))
                  pending = { kind: 'safety', property: p.name, path: [...pathTo(id), e.id] };
              }
              if (opts.maxStates !== undefined && parent.length >= opts.maxStates && !seen(t.value))
                return this.stop(`--max-states ${opts.maxStates} reached`);
              if (add(t.value)) {
                parent.push(id); via.push(e.id);
                nextLevel.push({ id: parent.length - 1, s: t });
              }
            }
          }
          // deadlock: a wait-for cycle among the blocked, or nothing enabled while a task, or a
          // kthread away from where it idles, is blocked
          if (opts.deadlock !== false && blocked.includes(1)) {
            where = `the deadlock check`;
            const cycle = findWaitCycle(inst, s, blocked);
            const hung = !anyEnabled && inst.actors.some((a) => blocked[a.ref.id] && (a.ref.kind === 'task' || !a.rests[s.pcOf(a.ref.id)]!.idle));
            if (cycle !== undefined || hung) return finish(stuck(inst, pathTo(id), cycle));
          }
        }
        if (pending !== undefined) return finish(pending);
        if (nextLevel.length > 0) this.#depth++;
        level = nextLevel;
      }
    } catch (err) {
      attribute(err, where);
    }
    const unreached = inst.properties.find((p) => p.kind === 'sometimes' && !this.#witnesses.has(p.name));
    return finish(unreached ? { kind: 'unreached', property: unreached.name } : { kind: 'ok' });
  }
}
