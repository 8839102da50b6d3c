/**
 * Symmetry reduction is checked against the full search: the same verdict, a counterexample of
 * the same (shortest) length that replays as a run of the model as declared, the same witnesses,
 * and — over a whole space — exactly one state per orbit, the orbits counted by brute force
 * (every state of the full search under every element of the group). On the shipped models that
 * declare a group and on random models of interchangeable members (fast-check).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { check, type CheckOptions, type Report } from '../check/check.ts';
import { loadModel } from '../cli/load-model.ts';
import { instantiate, resolveParams, type Instance } from '../state/instance.ts';
import { SlotState } from '../state/slot-state.ts';
import { Successors } from './successors.ts';
import { Canon } from './symmetry.ts';
import { replay } from './replay.ts';
import { isViolation } from './verdict.ts';
import { buildSymmetric, symSpecs } from '../test-util/random-symmetric.ts';
import { always, defineModel, int, step, transition } from '../index.ts';
import { UsageError } from '../util/errors.ts';
import { kmc } from '../test-util/cli.ts';
import type { Model } from '../model/define-model.ts';

/** Orbits of the whole state space, by brute force: each state's least image under every element. */
function orbits(inst: Instance): { states: number; orbits: number } {
  const c = new Canon(inst), succ = new Successors(inst), els = c.elements();
  const key = (s: Int32Array): string => Array.from(c.packed(s)).join(',');
  const seen = new Map<string, Int32Array>(), queue: Int32Array[] = [succ.initial().buf.slice()];
  seen.set(key(queue[0]!), queue[0]!);
  while (queue.length) {
    const s = queue.pop()!;
    succ.expand(new SlotState(s, succ.sc, -1), (_, after) => {
      const t = after.materialize(), k = key(t);
      if (!seen.has(k)) { seen.set(k, t); queue.push(t); }
    });
  }
  const reps = new Set<string>(), img = new Int32Array(c.S);
  for (const s of seen.values()) {
    let least: string | undefined;
    for (const p of els) { c.apply(p, s, img); const k = Array.from(img).join(','); if (least === undefined || k < least) least = k; }
    reps.add(least!);
  }
  return { states: seen.size, orbits: reps.size };
}

/** Verdict, counterexample length and witnesses' lengths: what the reduced search must give as the full one does. */
const shape = (r: Report): unknown => ({
  verdict: r.verdict.kind, property: 'property' in r.verdict ? r.verdict.property : undefined,
  length: isViolation(r.verdict) ? r.verdict.path.length : undefined,
  witnesses: [...r.witnesses].map(([n, p]) => [n, p.length]).sort(),
});

/** The reduced search agrees with the full one, its counterexample is a run of the model ending in the violation. */
function agrees(model: Model, opts: CheckOptions): { full: Report; sym: Report } {
  const full = check(model, opts), sym = check(model, { ...opts, symmetry: true });
  expect(shape(sym)).toEqual(shape(full));
  if (isViolation(sym.verdict)) {
    const views = replay(sym.instance, sym.verdict.path);
    expect(views).toBeDefined();
    if (sym.verdict.kind === 'safety') {
      const name = sym.verdict.property, p = sym.instance.properties.find((x) => x.name === name)!;
      expect(p.kind === 'always' && p.pred(views!.at(-1)!)).toBe(false);
    }
  }
  for (const [name, path] of sym.witnesses) {
    const p = sym.instance.properties.find((x) => x.name === name)!, views = replay(sym.instance, path);
    expect(p.kind === 'sometimes' && p.pred(views!.at(-1)!)).toBe(true);
  }
  return { full, sym };
}

/** One state per orbit over the whole space (no property stops it). */
function onePerOrbit(model: Model, params: Record<string, string | number | boolean>, extra: CheckOptions = {}): number {
  const inst = instantiate(model, resolveParams(model, params));
  const { orbits: n } = orbits(inst);
  const sym = check(model, { params, deadlock: false, symmetry: true, property: 'deadlock', ...extra });
  expect(sym.verdict.kind === 'ok' || sym.verdict.kind === 'unreached').toBe(true);
  expect(sym.stats.states).toBe(n);
  return n;
}

describe('symmetry reduction on the shipped models that declare it', async () => {
  const phil = await loadModel('classic/philosophers'), ring = await loadModel('classic/dio-ring'), dio = await loadModel('dio-mmap');
  const own = (dio_: string, n: number) => ({ dio: dio_, fault_lock: 'invalidate_lock', buffer: 'same', tasks: n, files: n });

  it('philosophers: one state per rotation orbit (pinned), the deadlock at depth n', () => {
    expect([2, 3, 4, 5, 6, 7].map((n) => onePerOrbit(phil, { n }))).toEqual([6, 13, 33, 80, 226, 614]);
    for (const n of [2, 3, 5, 6]) agrees(phil, { params: { n } });
  });

  it('dio-ring: one state per rotation orbit (pinned), the same deadlock', () => {
    expect([2, 3, 4].map((n) => onePerOrbit(ring, { n }))).toEqual([44, 344, 2879]);
    for (const n of [2, 3, 4]) agrees(ring, { params: { n } });
  });

  it('dio-mmap, one DIO per file into an mmap of it: one state per orbit of the tasks (multisets of 46 task states)', () => {
    // each task alone has 46 states (44 before the DIO's GUP was pin_user_pages_fast — GUP-fast, then the slow path with FOLL_UNLOCKABLE; 40 before a
    // fault that may retry released mmap_lock before sleeping on a folio) and the tasks barely meet (mmap_lock for read): the full space is 46^n, the orbits the multisets
    expect(onePerOrbit(dio, own('d3', 2))).toBe(1081);   // C(47, 2)
    expect(check(dio, { params: own('d3', 3), deadlock: false, symmetry: true, property: 'deadlock' }).stats.states).toBe(17296);   // C(48, 3)
    for (const d of ['d0', 'd1_excl', 'd3']) agrees(dio, { params: own(d, 2), property: 'deadlock' });
    agrees(dio, { params: { ...own('d1_shared', 2), cached: true }, property: 'deadlock' });
  });

  it('with --reduce por: the same verdicts, fewer states still', () => {
    for (const n of [3, 4]) {
      const full = check(ring, { params: { n } }), both = check(ring, { params: { n }, symmetry: true, reduction: 'partial-order' });
      expect(shape(both)).toEqual(shape(full));
      // the visited cycle proviso looks representatives up (the rank of the loops the actors rest in is the same for every renaming)
      expect(shape(check(ring, { params: { n }, symmetry: true, reduction: 'partial-order', proviso: 'visited' }))).toEqual(shape(full));
    }
    const params = own('d3', 2);
    const full = check(dio, { params, property: 'deadlock' }), both = check(dio, { params, property: 'deadlock', symmetry: true, reduction: 'partial-order' });
    // a reduced search's `sometimes` witnesses are found, not necessarily shortest (docs/scale.md): their names are compared
    const found = (r: Report): unknown => ({ ...(shape(r) as object), witnesses: [...r.witnesses.keys()].sort() });
    expect(found(both)).toEqual(found(full));
    expect(both.stats.states).toBeLessThan(check(dio, { params, property: 'deadlock', symmetry: true }).stats.states);
  });

  it('a configuration whose tasks are not interchangeable declares nothing, and --symmetry says so in one line', () => {
    expect(instantiate(dio, resolveParams(dio, {})).symmetry).toBeUndefined();
    expect(() => check(dio, { property: 'deadlock', symmetry: true })).toThrow(new UsageError(`--symmetry: model 'dio-mmap' declares no interchangeable actors (sys.symmetric)`));
  });
});

describe('symmetry reduction refuses what it cannot check, in one line', async () => {
  const phil = await loadModel('classic/philosophers'), dio = await loadModel('dio-mmap');
  const params = { dio: 'd3', fault_lock: 'invalidate_lock', buffer: 'same', tasks: 2, files: 2 };
  it.each([
    [{ explorer: 'reference' } as const, `--symmetry and --reference contradict each other: the reference explorer explores every state`],
    [{ workers: 2 }, `--symmetry runs in one thread: leave out --workers`],
    [{ continue: true }, `--symmetry and --continue: each property's first violation needs its own search`],
  ])('%o', (o, msg) => expect(() => check(phil, { symmetry: true, ...o })).toThrow(new UsageError(msg)));
  it('transition properties', () => {
    const t = defineModel({ name: 't', doc: '', params: {}, setup(_p, sys) {
      const g = sys.symmetric('permutation', 2);
      for (let i = 0; i < 2; i++) g.member(i, () => sys.task(`T${i}`, () => [step('x')]));
      return [transition('one at a time', () => true)];
    } });
    expect(() => check(t, { symmetry: true })).toThrow(new UsageError(`--symmetry: transition properties ('one at a time') are not checked over orbits; check them without --symmetry, or pick another property with --property`));
  });
  it('liveness and lockdep', () => expect(() => check(dio, { params, symmetry: true })).toThrow(/^--symmetry: refused with liveness and whole-space properties \('L2\(b\) some DIO completes'/));
});

describe('kmc check --symmetry', () => {
  it('prints the reduced count and the group, and the trace of a run of the model', async () => {
    const r = await kmc('check', 'classic/philosophers', '--param', 'n=5', '--symmetry');
    expect(r.code).toBe(11);
    expect(r.out).toMatch(/states 44, .*symmetry \(rotation\)/);
  });
  it.each([
    [['--workers', '2'], '--symmetry runs in one thread: leave out --workers'],
    [['--reference'], '--symmetry and --reference contradict each other: the reference explorer explores every state'],
    [['--expect'], `--symmetry with --expect or --junit: they answer every property, liveness and lockdep's included, which symmetry does not`],
  ])('%o is refused in one line (exit 1)', async (extra, msg) => {
    const r = await kmc('check', 'classic/philosophers', '--symmetry', ...extra);
    expect([r.code, r.err.trim()]).toEqual([1, `kmc: ${msg}`]);
  });
});

describe('a property that reads one member is checked over the orbit', () => {
  /**
   * Two tasks count their own counter to 2; the property watches task 0's alone. Each orbit's
   * representative has c0 <= c1 (member 0's slots first, least first), so the violating state
   * (c0 = 2, c1 = 0) is never stored: only checking the orbit finds it.
   */
  const counters = defineModel({
    name: 'counters', doc: 'two identical counters', params: {},
    setup(_p, sys) {
      const g = sys.symmetric('permutation', 2), c: ReturnType<typeof sys.var>[] = [];
      for (let i = 0; i < 2; i++) g.member(i, () => { c.push(sys.var(`c${i}`, int(0, 2))); sys.task(`T${i}`, () => [step('inc', { then: (s) => s.set(c[i]!, s.get(c[i]!) + 1) }), step('inc', { then: (s) => s.set(c[i]!, s.get(c[i]!) + 1) })]); });
      return [always('T0 below 2 while T1 is', (s) => !(s.get(c[0]!) === 2 && s.get(c[1]!) === 0))];
    },
  });
  it('the violation found, shortest, and shown as the run that breaks it (T0 twice)', () => {
    const { sym } = agrees(counters, {});
    expect(sym.trace?.steps.map((s) => s.actor.name)).toEqual(['T0', 'T0']);
    expect(sym.stats.states).toBeLessThan(check(counters, {}).stats.states);
  });
  it('an initial state that is not symmetric is a model error', () => {
    const bad = defineModel({ name: 'bad', doc: '', params: {}, setup(_p, sys) {
      const g = sys.symmetric('permutation', 2);
      for (let i = 0; i < 2; i++) g.member(i, () => { sys.var(`c${i}`, int(0, 2), i); sys.task(`T${i}`, () => [step('x')]); });
    } });
    expect(() => check(bad, { symmetry: true })).toThrow(/KMC013 bad model declaration: symmetric: the initial state is not symmetric \(c0 changes when the members are permuted\)/);
  });
  it('members of different shapes are a model error naming the first difference', () => {
    const bad = defineModel({ name: 'bad', doc: '', params: {}, setup(_p, sys) {
      const g = sys.symmetric('rotation', 2);
      g.member(0, () => sys.task('T0', () => [step('x')]));
      g.member(1, () => sys.task('T1', () => [step('x'), step('y')]));
    } });
    expect(() => instantiate(bad)).toThrow(/symmetric\('rotation', 2\): T1\.pc of member 1 differs from T0\.pc of member 0/);
  });
});

describe('random models of interchangeable members agree with the full search (fast-check, seed 19)', () => {
  it('verdict, shortest counterexample replayed, witnesses; one state per orbit over the whole space', () => {
    let reduced = 0;
    fc.assert(fc.property(symSpecs(3, 1), (spec) => {
      const m = buildSymmetric(spec);
      for (const deadlock of [true, false]) agrees(m, { deadlock, maxStates: 20_000 });
      const { orbits: n } = orbits(instantiate(m));
      const sym = check(m, { deadlock: false, symmetry: true, property: 'deadlock' });
      expect(sym.stats.states).toBe(n);
      const por = check(m, { symmetry: true, reduction: 'partial-order' });
      expect(shape(por)).toEqual(shape(check(m, {})));
      if (n < check(m, { deadlock: false, property: 'deadlock' }).stats.states) reduced++;
    }), { seed: 19, numRuns: 25 });
    expect(reduced).toBeGreaterThan(12);
  });
});
