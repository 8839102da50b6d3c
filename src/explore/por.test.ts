/**
 * Partial-order reduction is checked, not assumed: the reduced search gives the verdict of the
 * full one — the same counterexample too, since it is recovered by a full search to the depth
 * of the reduced one — on every cell of the kernel-locking matrix tables (`models/matrix.ts`;
 * the page-cache families' cells in the benchmark's matrix-row table), on every shipped model,
 * and on random models; and it refuses what it cannot keep (liveness).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { match } from 'ts-pattern';
import { kmc } from '../test-util/cli.ts';
import { check, type CheckOptions } from '../check/check.ts';
import { loadModel, ROOT, shippedModels } from '../cli/load-model.ts';
import { build, localSpecs, modelSpecs } from '../test-util/random-model.ts';
import { tiny } from '../test-util/tiny.ts';
import { actorSet, always, bool, defineModel, int, loop, never, step, type Program, type Property, type System, type Var } from '../index.ts';
import { down_read, down_write, rwsem, up_read, up_write } from '../kernel/rwsem.ts';
import { FastBfs } from './bfs.ts';
import { drain } from './options.ts';
import { partialOrder, stubbornSets } from './por.ts';
import { mutex, mutex_lock, mutex_unlock } from '../kernel/mutex.ts';
import { LOCKDEP_OFF } from '../kernel/lockdep.ts';
import { headline } from '../check/describe.ts';
import { instantiate, resolveParams } from '../state/instance.ts';
import { DEADLOCK, propertiesNamed } from '../model/property.ts';
import { isViolation } from './verdict.ts';
import { analyse, reachableValues, type Analysis, type PorOptions } from './por-analysis.ts';
import { Successors } from './successors.ts';
import type { Family } from '../check/family.ts';
import type { Model } from '../model/define-model.ts';

const por = { reduction: 'partial-order' } as const;
const FULL_READERS = 401, DISJOINT_READERS = 401, COMMUTING_READERS = 329;

/** The random models ask about deadlocks and their own properties: lockdep's whole-space rules, which the reduction refuses, are off. */
const deadlocksOnly = (m: Model, spec: { mutexes: number }): Model => (spec.mutexes > 0 ? { ...m, builtins: LOCKDEP_OFF } : m);

/** The full and the reduced verdict (with the trace, as step names); the reduced states, the full ones. */
/** What the reduced and the full search must agree on: the verdict and the counterexample, step for step. */
const show = (x: ReturnType<typeof check>) => ({ verdict: x.verdict, trace: x.trace?.steps.map((s) => `${s.actor.name}: ${s.label}`) });
function both(model: Model, opts: CheckOptions, reduced: CheckOptions = {}): { full: unknown; reduced: unknown; states: [number, number] } {
  const f = check(model, opts), r = check(model, { ...opts, ...por, ...reduced });
  return { full: show(f), reduced: show(r), states: [r.stats.states, f.stats.states] };
}

describe('partial-order reduction keeps every verdict', async () => {
  const { families } = (await import(pathToFileURL(join(ROOT, 'models/matrix.ts')).href)) as { families: readonly Family[] };
  // the three page-cache families' cells (about a minute of searches on two cores) are compared,
  // verdict and counterexample, by the benchmark's 'partial-order reduction per matrix row' table;
  // their default configurations are checked here below, with every shipped model
  const BENCH_ONLY = new Set(['gup-writeback', 'dio-mmap', 'dio-coherence']);
  for (const f of families.filter((x) => !BENCH_ONLY.has(x.model))) {
    const model = await loadModel(f.model);
    it(`every cell of the ${f.model} matrix (liveness and lockdep columns refused)`, () => {
      let reduced = 0, full = 0;
      for (const r of f.rows) for (const c of f.columns) {
        const params = { ...r, ...c.params };
        const props = instantiate(model, resolveParams(model, params)).properties;
        if (c.property !== DEADLOCK && propertiesNamed(props, c.property).length === 0) continue;
        const kinds = propertiesNamed(props, c.property).map((p) => p.kind);
        if (kinds.includes('leadsTo') || kinds.includes('space')) {
          expect(() => check(model, { params, property: c.property, ...por })).toThrow(/^--reduce por: refused with (liveness|whole-space) properties/);
          continue;
        }
        const b = both(model, { params, property: c.property });
        expect(b.reduced, `${JSON.stringify(r)} / ${c.label}`).toEqual(b.full);
        reduced += b.states[0]; full += b.states[1];
      }
      expect(reduced).toBeLessThan(full);
    });
  }

  for (const name of shippedModels()) {
    it(`${name}, its safety properties and deadlock`, async () => {
      const model = await loadModel(name);
      const props = instantiate(model, resolveParams(model, {})).properties;
      for (const p of [DEADLOCK, ...props.filter((x) => x.kind !== 'leadsTo' && x.kind !== 'space').map((x) => x.name)]) {
        const b = both(model, { property: p });
        expect(b.reduced, p).toEqual(b.full);
      }
    });
  }

  it('on random models: verdict and counterexample (seed 11, 200 models; every other one under the visited proviso)', () => {
    const kinds = new Map<string, number>();
    let smaller = 0, run = 0;
    fc.assert(fc.property(modelSpecs(), fc.boolean(), (spec, deadlock) => {
      const b = both(deadlocksOnly(build(spec), spec), { maxStates: 5000, deadlock }, run++ % 2 === 1 ? { proviso: 'visited' } : {});
      expect(b.reduced).toEqual(b.full);
      const kind = (b.full as { verdict: { kind: string } }).verdict.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (b.states[0] < b.states[1]) smaller++;
    }), { seed: 11, numRuns: 200 });
    for (const k of ['ok', 'deadlock', 'safety', 'unreached']) expect(kinds.get(k) ?? 0).toBeGreaterThan(0);
    expect(smaller).toBeGreaterThan(20);
  });

  it('on random models of actors with variables of their own (seed 3, 200 models)', () => {
    let smaller = 0;
    fc.assert(fc.property(localSpecs({ actors: 4, locals: 2, depth: 1 }), fc.boolean(), (spec, deadlock) => {
      const b = both(deadlocksOnly(build(spec), spec), { maxStates: 20_000, deadlock });
      expect(b.reduced).toEqual(b.full);
      if (b.states[0] < b.states[1]) smaller++;
    }), { seed: 3, numRuns: 200 });
    expect(smaller).toBeGreaterThan(20);
  });

  it('keeps the order of independent steps a property tells apart (visibility)', () => {
    // T1 and T2 touch different fields, but the property sees the order: y set while x is not
    const m = tiny('order', (sys) => {
      const x = sys.var('x', bool()), y = sys.var('y', bool());
      sys.task('T1', () => [step('x = 1', { then: (s) => s.set(x, true) })]);
      sys.task('T2', () => [step('y = 1', { then: (s) => s.set(y, true) })]);
      return [never('y before x', (s) => s.test(y) && !s.test(x))];
    });
    const b = both(m, {});
    expect(b.reduced).toEqual(b.full);
    expect((b.full as { verdict: { kind: string } }).verdict.kind).toBe('safety');
  });

  it('ignores no step forever (cycle proviso)', () => {
    // K ticks on its own field forever; without the proviso the search could follow K alone and never let T move
    const m = tiny('ignoring', (sys) => {
      const tick = sys.var('tick', bool()), done = sys.var('done', bool());
      sys.kthread('K', () => loop(step('tick', { then: (s) => s.set(tick, !s.test(tick)) })));
      sys.task('T', () => [step('done = 1', { then: (s) => s.set(done, true) })]);
      return [never('T is done', (s) => s.test(done))];
    });
    const b = both(m, { deadlock: false });
    expect(b.reduced).toEqual(b.full);
    expect((b.full as { verdict: { kind: string } }).verdict.kind).toBe('safety');
    // the visited proviso: K's second tick leads back to the initial state (numbered before), so the set {K} is not used
    // there (3 states; 4 under the static proviso)
    const v = both(m, { deadlock: false }, { dependence: 'state', proviso: 'visited' });
    expect(v.reduced).toEqual(b.full);
    expect([b.states[0], v.states[0]]).toEqual([4, 3]);
    // with no proviso at all, the search follows K alone and never sees T done
    const inst = instantiate(m, resolveParams(m, {})), inner = partialOrder(inst, { deadlock: false, proviso: 'visited' });
    const none = drain(new FastBfs(inst, { deadlock: false, reduction: { ...inner, proviso: 'static' } }).run());
    expect([none.verdict.kind, none.stats.states]).toEqual(['ok', 2]);
  });

  it('the visited proviso expands no state whose loop steps lead to new states (pinned: 16 states in full and under the static proviso, 7)', () => {
    // two counters, each moved by its own loop: every step closes a loop, but none comes back to a state
    const m = tiny('counting', (sys) => {
      const x = sys.var('x', int(0, 3)), y = sys.var('y', int(0, 3)), stop = sys.var('stop', bool());
      sys.kthread('K1', () => loop(step('x++', { when: (s) => s.get(x) < 3, then: (s) => s.set(x, s.get(x) + 1) })));
      sys.kthread('K2', () => loop(step('y++', { when: (s) => s.get(y) < 3, then: (s) => s.set(y, s.get(y) + 1) })));
      return [never('stopped', (s) => s.test(stop))];
    });
    const full = check(m, { deadlock: false }), stat = check(m, { deadlock: false, ...por }), visited = check(m, { deadlock: false, ...por, proviso: 'visited' });
    expect([full.stats.states, stat.stats.states, visited.stats.states]).toEqual([16, 16, 7]);
    expect([stat.verdict, visited.verdict]).toEqual([full.verdict, full.verdict]);
  });

  it('with two workers, the reduced search is the same as in one thread', async () => {
    const model = await loadModel('dio-mmap');
    const opts = { params: { dio: 'd0', fault_lock: 'invalidate_lock', tasks: 2, files: 2, mm_writer: 'present' }, property: DEADLOCK, ...por } as const;
    const one = check(model, opts), two = check(model, { ...opts, workers: 2, workersFromStart: true });
    expect(two.stats.workers).toBe(2);
    expect([two.stats.states, two.stats.transitions, two.stats.depth, two.verdict]).toEqual([one.stats.states, one.stats.transitions, one.stats.depth, one.verdict]);
  });
});

/** States of the reduced search when only steps on disjoint fields are independent (the rule before commuting writes). */
function disjointStates(model: Model, deadlock: boolean): number {
  const inst = instantiate(model, resolveParams(model, {}));
  return drain(new FastBfs(inst, { deadlock, reduction: partialOrder(inst, { deadlock, independence: 'disjoint' }) }).run()).stats.states;
}

/** What an actor of a random commuting model does: join or leave a set, count up or down (bounded by a guard), wait for either. */
type Op = 'join' | 'leave' | 'inc' | 'dec' | 'wait-empty' | 'wait-count';
const ops: readonly Op[] = ['join', 'leave', 'inc', 'dec', 'wait-empty', 'wait-count'];

/** Actors that add themselves to one set, leave it and move one counter (MAX = 2), with a property over both: their writes commute, their guards and the property tell some orders apart. */
function commutingModel(progs: readonly (readonly Op[])[], prop: { count: number; member: number } | undefined): Model {
  return defineModel({
    name: 'commuting', doc: 'actors joining a set and moving a counter',
    setup(_p, sys) {
      const set = sys.var('set', actorSet()), n = sys.var('n', int(0, 2));
      progs.forEach((ops, a) => sys.task(`T${a}`, (t): Program => ops.map((op, i) => {
        const bit = 1 << t.id;
        return match(op)
          .with('join', () => step(`join ${i}`, { then: (s) => s.set(set, s.get(set) | bit) }))
          .with('leave', () => step(`leave ${i}`, { then: (s) => s.set(set, s.get(set) & ~bit) }))
          .with('inc', () => step(`inc ${i}`, { when: (s) => s.get(n) < 2, then: (s) => s.set(n, s.get(n) + 1) }))
          .with('dec', () => step(`dec ${i}`, { when: (s) => s.get(n) > 0, then: (s) => s.set(n, s.get(n) - 1) }))
          .with('wait-empty', () => step(`wait empty ${i}`, { when: (s) => (s.get(set) & ~bit) === 0 }))
          .with('wait-count', () => step(`wait count ${i}`, { when: (s) => s.get(n) === 2 }))
          .exhaustive();
      })));
      const props: Property[] = prop === undefined ? [] : [always(`not n=${prop.count} with T${prop.member} in the set`, (s) => !(s.get(n) === prop.count && (s.get(set) & (1 << prop.member)) !== 0))];
      return props;
    },
  });
}

describe('commuting writes', () => {
  it('two down_reads of one rwsem are independent; a down_write is not (pinned: 3 readers and a writer)', () => {
    // three readers each take and drop the rwsem twice; the writer takes it once: the readers' steps commute among themselves
    const m = defineModel({
      name: 'readers', doc: 'three readers and a writer of one rwsem', builtins: LOCKDEP_OFF,
      setup(_p, sys) {
        const sem = rwsem(sys, 'sem');
        for (let r = 0; r < 3; r++) sys.task(`R${r}`, (t) => [down_read(sem, t), up_read(sem, t), down_read(sem, t), up_read(sem, t)]);
        sys.task('W', (t) => [...down_write(sem, t), up_write(sem, t)]);
      },
    });
    const b = both(m, {});
    expect(b.reduced).toEqual(b.full);
    expect([b.states[1], disjointStates(m, true), b.states[0]]).toEqual([FULL_READERS, DISJOINT_READERS, COMMUTING_READERS]);
  });

  it('on random models of actors joining a set and moving a counter (seed 5, 100 models): verdict and counterexample', () => {
    let fewer = 0;
    const op = fc.constantFrom(...ops);
    fc.assert(fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }),
      fc.option(fc.record({ count: fc.nat({ max: 2 }), member: fc.nat({ max: 1 }) }), { nil: undefined }), fc.boolean(), (progs, prop, deadlock) => {
        const m = commutingModel(progs, prop), b = both(m, { deadlock });
        expect(b.reduced).toEqual(b.full);
        if (b.states[0] < disjointStates(m, deadlock)) fewer++;
      }), { seed: 5, numRuns: 100 });
    expect(fewer).toBeGreaterThan(10);
  });
});

/** States of `m`'s reduced search under `opts`. */
const reducedStates = (m: Model, deadlock: boolean, opts: Partial<PorOptions> = {}): number => {
  const inst = instantiate(m, resolveParams(m, {}));
  return drain(new FastBfs(inst, { deadlock, reduction: partialOrder(inst, { deadlock, ...opts }) }).run()).stats.states;
};

describe('necessary enabling sets, held actors, reachable values', () => {
  // the kernel configuration the rules were made for: two DIO tasks in a ring (each into an mmap of the other's file), an
  // mmap_lock writer and a punch hole; before them 19,970 states (the full search: 35,204)
  const RING2 = { dio: 'd1_shared', fault_lock: 'invalidate_lock', tasks: 2, files: 2, mm_writer: 'present', punch: true };
  it('reduce the two-task dio-mmap ring (pinned: 35,204 states, 17,422 reduced with the tables alone, 13,243 with dependency in the state at hand, 13,754 under the static proviso)', async () => {
    const dio = await loadModel('dio-mmap');
    const full = check(dio, { params: RING2, property: DEADLOCK }), reduced = check(dio, { params: RING2, property: DEADLOCK, ...por, dependence: 'state' });
    const inst = instantiate(dio, resolveParams(dio, RING2));
    const tables = drain(new FastBfs(inst, { deadlock: true, reduction: partialOrder(inst, { deadlock: true, dependence: 'static' }) }).run()).stats.states;
    expect([full.stats.states, tables, reduced.stats.states]).toEqual([35_204, 17_422, 13_243]);
    expect(reduced.verdict).toEqual(full.verdict);
    // `--reduce por` judges dependence over every reachable state (the tables), `--reduce por-state` in the state at hand too
    const cli = async (how: string): Promise<number> => (JSON.parse((await kmc('check', 'dio-mmap', ...Object.entries(RING2).flatMap(([k, v]) => ['--param', `${k}=${v}`]), '--property', 'deadlock', '--reduce', how, '--json')).out) as { states: number }).states;
    expect([await cli('por'), await cli('por-state')]).toEqual([17_422, 13_243]);
    // the worker threads are told the rule too (a team from the initial state: each part selects its states' sets), under
    // the static proviso (19,443 transitions in one thread); the visited proviso runs in one thread, and says so
    const team = check(dio, { params: RING2, property: DEADLOCK, ...por, dependence: 'state', proviso: 'static', workers: 2, workersFromStart: true });
    expect([team.stats.workers, team.stats.states, team.stats.transitions]).toEqual([2, 13_754, 19_443]);
    expect(() => check(dio, { params: RING2, property: DEADLOCK, ...por, dependence: 'state', workers: 2 })).toThrow(/^--reduce por-state runs in one thread/);
  });

  it('GFS2-style DIO into an mmap of its own file (d3): under the visited proviso a set that closes a retry loop is used only where no set that closes none will do (pinned: 1,540 states, depth 185; static 2,940, depth 96; 3,304 at depth 378 without the preference)', async () => {
    // each round of the loop finds the others elsewhere, so it leads to a new state: taken as soon as the visited rule allows
    // it, the loop went round once per step of the others
    const dio = await loadModel('dio-mmap'), params = { dio: 'd3', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 2, files: 2, punch: true };
    const run = (proviso?: 'static') => check(dio, { params, property: DEADLOCK, ...por, dependence: 'state', ...(proviso ? { proviso } : {}) });
    const visited = run(), stat = run('static'), full = check(dio, { params, property: DEADLOCK });
    expect([visited.stats.states, visited.stats.depth, stat.stats.states, stat.stats.depth]).toEqual([1_540, 185, 2_940, 96]);
    expect([visited.verdict, stat.verdict]).toEqual([full.verdict, full.verdict]);
  });

  it('on random models of four actors with locks and guards, deadlocks checked (seed 23, 80 models): verdict and counterexample', () => {
    let smaller = 0, inState = 0;
    fc.assert(fc.property(modelSpecs({ actors: 4, vars: 3, depth: 2 }), (spec) => {
      const m = deadlocksOnly(build(spec), spec), b = both(m, { maxStates: 5000, deadlock: true, dependence: 'state' });
      expect(b.reduced).toEqual(b.full);
      expect(show(check(m, { maxStates: 5000, deadlock: true, ...por }))).toEqual(b.full);   // and by the tables alone (`--reduce por`)
      if (b.states[0] < reducedStates(m, true, { domains: 'declared', enabling: 'fields' })) smaller++;
      if (b.states[0] < reducedStates(m, true, { dependence: 'static' })) inState++;
    }), { seed: 23, numRuns: 80 });
    // the rules cut sets the field rule keeps; dependency in the state at hand cuts sets the tables keep
    expect(smaller).toBeGreaterThan(10);   // 15 of the 80
    expect(inState).toBeGreaterThan(3);   // 6 of the 80
  });

  it('runs steps over the values fields can reach: a fixpoint from the initial state, a field that keeps growing widened to its domain', () => {
    const m = tiny('values', (sys) => {
      const x = sys.var('x', int(0, 7)), n = sys.var('n', int(0, 20)), set = sys.var('set', actorSet());
      sys.task('T', (t) => [step('x = 2', { then: (s) => s.set(x, 2) }), step('x = x + 1', { when: (s) => s.get(x) < 3, then: (s) => s.set(x, s.get(x) + 1) }),
        step('join', { then: (s) => s.set(set, s.get(set) | (1 << t.id)) })]);
      sys.kthread('K', () => loop(step('n++', { when: (s) => s.get(n) < 20, then: (s) => s.set(n, s.get(n) + 1) })));
    });
    const inst = instantiate(m, resolveParams(m, {})), succ = new Successors(inst), L = inst.layout;
    const at = (e: number): Map<number, number> => { const a = inst.actors[inst.edges[e]!.actor]!; return new Map([[a.pcSlot, a.rests.findIndex((r) => r.edges.some((x) => x.id === e))]]); };
    const values = reachableValues(inst, succ, at)!, slot = (name: string) => L.slotName.indexOf(name);
    // x: 0, 2 (the first step), 3 (2 + 1), and 1 (0 + 1: the second step is run over every value found, not only those it meets)
    expect([...values[slot('x')]!]).toEqual([0, 1, 2, 3]);
    expect([...values[slot('set')]!]).toEqual([0, 1]);
    expect(values[slot('n')]).toBeUndefined();
  });

  /**
   * R reads z (first in the actors' order, so the stubborn set seeded by it is tried first) and
   * is stuck for good if it read 1: a deadlock, reachable only if B sets z before R reads it.
   * `b`: B's program up to its `z = 1`; `others`: actors after B.
   */
  const race = (b: (x: Var) => Program[], others: (sys: System, x: Var) => void = () => undefined): Model => tiny('race', (sys) => {
    const x = sys.var('x', int(0, 1)), z = sys.var('z', int(0, 1)), seen = sys.var('seen', int(0, 1));
    sys.task('R', () => [step('read z', { then: (s) => s.set(seen, s.get(z)) }), step('stuck if z was 1', { when: (s) => s.get(seen) === 0 })]);
    sys.task('B', () => [...b(x), step('z = 1', { then: (s) => s.set(z, 1) })]);
    others(sys, x);
  });
  const wait = (x: Var): Program[] => [step('wait x = 1', { when: (s) => s.get(x) === 1 })];
  const deadlockOf = (m: Model, alter: (a: Analysis) => Analysis = (a) => a): string => {
    const inst = instantiate(m, resolveParams(m, {}));
    return drain(new FastBfs(inst, { deadlock: true, reduction: stubbornSets(inst, alter(analyse(inst, { deadlock: true }))) }).run()).verdict.kind;
  };

  it('a blocked actor of the set brings in the actors that can enable it (made unsound: the deadlock is missed)', () => {
    // B waits for x = 1, which only E sets: R's read depends on B's future write of z, and B, blocked, needs E
    const m = race(wait, (sys, x) => sys.task('E', () => [step('x = 1', { then: (s) => s.set(x, 1) })]));
    expect([check(m, {}).verdict.kind, deadlockOf(m), deadlockOf(m, (a) => ({ ...a, enabling: () => false, enablingAt: () => false }))]).toEqual(['deadlock', 'deadlock', 'ok']);
  });

  it('an actor is followed past a resting point where its own earlier steps may free it (made unsound: the deadlock is missed)', () => {
    // B sets x itself before it waits for it: it is not held there, so its z = 1 counts against R's read
    const m = race((x) => [step('x = 1', { then: (s) => s.set(x, 1) }), ...wait(x)]);
    expect([check(m, {}).verdict.kind, deadlockOf(m), deadlockOf(m, (a) => ({ ...a, touchesOnTheWay: () => false }))]).toEqual(['deadlock', 'deadlock', 'ok']);
  });

  it('an actor is followed along its future, not only where it rests (made unsound: the deadlock is missed)', () => {
    const m = race((x) => [step('B starts', { then: (s) => s.set(x, 0) })]);
    expect([check(m, {}).verdict.kind, deadlockOf(m), deadlockOf(m, (a) => ({ ...a, nextAt: a.nextAt.map(() => new Int32Array(0)) }))]).toEqual(['deadlock', 'deadlock', 'ok']);
  });

  it('an actor held until a step of the set runs is not followed past that point (pinned: 14 states, 13 without the rule, 12)', () => {
    // B sets y, then waits for x = 1, which only R sets, after its reads: B cannot write z before R has read it, so
    // R's reads go alone; without the rule they take B along (its z = 1), and B's y = 1 takes R along
    const m = tiny('held', (sys) => {
      const x = sys.var('x', int(0, 1)), y = sys.var('y', int(0, 1)), z = sys.var('z', int(0, 1));
      const seen = sys.var('seen', int(0, 1)), seenY = sys.var('seen y', int(0, 1));
      sys.task('R', () => [step('read z', { then: (s) => s.set(seen, s.get(z)) }), step('read y', { then: (s) => s.set(seenY, s.get(y)) }), step('x = 1', { then: (s) => s.set(x, 1) })]);
      sys.task('B', () => [step('y = 1', { then: (s) => s.set(y, 1) }), ...wait(x), step('z = 1', { then: (s) => s.set(z, 1) })]);
    });
    expect([check(m, {}).stats.states, reducedStates(m, true, { enabling: 'fields' }), reducedStates(m, true)]).toEqual([14, 13, 12]);
  });
});

describe('dependency in the state at hand', () => {
  const run = (m: Model, alter: (a: Analysis) => Analysis = (a) => a, opts: Partial<PorOptions> = { dependence: 'state' }): [string, number] => {
    const inst = instantiate(m, resolveParams(m, {}));
    const r = drain(new FastBfs(inst, { deadlock: true, reduction: stubbornSets(inst, alter(analyse(inst, { deadlock: true, ...opts }))) }).run());
    return [r.verdict.kind, r.stats.states];
  };
  /** Without the moves of the actors a set leaves out, every field would stay as it is here: what the rule must not assume. */
  const frozen = (a: Analysis): Analysis => ({ ...a, movesOf: () => undefined });

  it('a pair dependent in general is independent where a field the actors left out cannot change decides it (pinned: 13 states, 12 with the tables alone, 9; made unsound: the deadlock is missed)', () => {
    // R reads x through a gate: with the gate shut, B's x = 1 does not matter to it, but G may open the gate
    // before R reads: R and B are independent only while G cannot move (G in the set)
    const m = tiny('gate', (sys) => {
      const x = sys.var('x', int(0, 1)), gate = sys.var('gate', int(0, 1)), seen = sys.var('seen', int(0, 1));
      sys.task('R', () => [step('read x through the gate', { then: (s) => s.set(seen, s.get(gate) === 1 ? s.get(x) : 0) }), step('stuck if it read 1', { when: (s) => s.get(seen) === 0 })]);
      sys.task('B', () => [step('x = 1', { then: (s) => s.set(x, 1) })]);
      sys.task('G', () => [step('gate = 1', { then: (s) => s.set(gate, 1) })]);
    });
    const full = check(m, {});
    expect([full.verdict.kind, full.stats.states]).toEqual(['deadlock', 13]);
    expect([run(m, undefined, { dependence: 'static' }), run(m), run(m, frozen)]).toEqual([['deadlock', 12], ['deadlock', 9], ['ok', 5]]);
  });

  it('a blocked actor of the set brings in the actors that can enable it over the values the others can lead to (made unsound: the deadlock is missed)', () => {
    // C waits for x and the gate; B's x = 1 enables it only once G has opened the gate, which G may do first
    const m = tiny('two keys', (sys) => {
      const x = sys.var('x', int(0, 1)), gate = sys.var('gate', int(0, 1)), z = sys.var('z', int(0, 1)), seen = sys.var('seen', int(0, 1));
      sys.task('R', () => [step('read z', { then: (s) => s.set(seen, s.get(z)) }), step('stuck if z was 1', { when: (s) => s.get(seen) === 0 })]);
      sys.task('C', () => [step('wait for x and the gate', { when: (s) => s.get(x) === 1 && s.get(gate) === 1 }), step('z = 1', { then: (s) => s.set(z, 1) })]);
      sys.task('B', () => [step('x = 1', { then: (s) => s.set(x, 1) })]);
      sys.task('G', () => [step('gate = 1', { then: (s) => s.set(gate, 1) })]);
    });
    expect(check(m, {}).verdict.kind).toBe('deadlock');
    expect([run(m)[0], run(m, frozen)[0], run(m, (a) => ({ ...a, enablesWithin: () => false }))[0]]).toEqual(['deadlock', 'ok', 'ok']);
  });
});

describe('what the reduction says and refuses', () => {
  it('a reduced violation comes with the shortest trace, recovered by a full search, and says so', async () => {
    const r = check(await loadModel('classic/philosophers'), { params: { n: 6 }, ...por });
    expect(isViolation(r.verdict) && r.verdict.path.length).toBe(6);
    expect(r.stats.reduction).toBe('partial-order');
    expect(r.notes.join('\n')).toMatch(/^partial-order reduction: a violation at depth 6 of the reduced search \([\d,]+ states\); the shortest counterexample recovered by a full search to depth 6 \([\d,]+ states\)$/m);
  });

  it('when the full search that recovers the shortest trace stops first, the reduced trace is shown as not necessarily shortest', () => {
    // four tasks each set their own counter six times; AB-BA on two mutexes deadlocks in 2 steps, the reduced search finds it after 26
    const model = defineModel({
      name: 'late-abba', doc: 'a reduced deadlock deeper than the shortest one', builtins: LOCKDEP_OFF,
      setup(_p, sys) {
        const a = mutex(sys, 'A'), b = mutex(sys, 'B');
        for (let w = 0; w < 4; w++) sys.task(`W${w}`, (self) => {
          const x = self.local('x', int(0, 6));
          return Array.from({ length: 6 }, (_, i) => step(`x=${i + 1}`, { then: (s) => s.set(x, i + 1) }));
        });
        sys.task('T1', (t) => [mutex_lock(a, t), mutex_lock(b, t), mutex_unlock(b, t), mutex_unlock(a, t)]);
        sys.task('T2', (t) => [mutex_lock(b, t), mutex_lock(a, t), mutex_unlock(a, t), mutex_unlock(b, t)]);
      },
    });
    const whole = check(model, por);
    expect([whole.verdict.kind, isViolation(whole.verdict) && whole.verdict.path.length, headline(whole.verdict, whole.stats)]).toEqual(['deadlock', 2, 'deadlock: wait-for cycle (AB-BA) after 2 steps (shortest)']);
    const cut = check(model, { ...por, maxStates: 50 });
    expect([cut.verdict.kind, isViolation(cut.verdict) && cut.verdict.path.length, cut.stats.notShortest]).toEqual(['deadlock', 26, true]);
    expect(headline(cut.verdict, cut.stats)).toBe('deadlock: wait-for cycle (AB-BA) after 26 steps (a path of the reduced search, not necessarily shortest)');
    expect(cut.notes).toContain('partial-order reduction: a violation at depth 26 of the reduced search (31 states); the full search to depth 26 that finds the shortest one stopped (--max-states 50 reached), so the counterexample shown is the reduced search\'s, not necessarily shortest');
  });

  it('is refused with liveness and whole-space (lockdep) properties, and says why', async () => {
    const kernel = await loadModel('kernel-locking');
    const lockdep = instantiate(kernel, resolveParams(kernel, {})).properties.find((p) => p.kind === 'space')!;
    expect(() => check(kernel, { property: lockdep.name, ...por })).toThrow(
      `--reduce por: refused with whole-space properties ('${lockdep.name}'): lockdep's rules read every interleaving, which the reduction leaves out; check them without it, or pick a safety property with --property`);
    const peterson = await loadModel('classic/peterson');
    expect(() => check(peterson, por)).toThrow(
      `--reduce por: refused with liveness properties ('p0 waiting leads to p0 in the critical section', 'p1 waiting leads to p1 in the critical section'): the reduction is not proven sound for fair-cycle detection; check them without it, or pick a safety property with --property`);
  });

  it('infers what a step reads and writes from its code, over the declared domains', async () => {
    const inst = instantiate(await loadModel('classic/abba'), {});
    const analysis = analyse(inst, { deadlock: true });
    const names = (s: Uint32Array): string[] => inst.layout.slotName.filter((_, i) => (s[i >>> 5]! >>> (i & 31)) & 1);
    const lockA = inst.edges.find((e) => e.label === 'mutex_lock(A)' && e.actor === 0)!;
    expect(names(analysis.guards[lockA.id]!)).toEqual(['A']);
    expect(names(analysis.writes[lockA.id]!)).toEqual(['A', 'T1.pc']);
  });
});
