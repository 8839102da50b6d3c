/**
 * Random models with interchangeable members, for the symmetry reduction's agreement tests: N
 * tasks run one random program over shared variables, a mutex (an owner field), an actor set,
 * locals of their own, their own element of an indexed array and — in a ring (`rotation`) — the
 * next member's element. Properties read any of it, members' own state included, so most are
 * not symmetric: the reduced search must check them over the orbit.
 */
import fc from 'fast-check';
import { always, defineModel, ifElse, int, sometimes, step, whileDo, choice, actorSet, type Program, type Property } from '../index.ts';
import { mutex, mutex_lock, mutex_unlock } from '../kernel/mutex.ts';
import { LOCKDEP_OFF } from '../kernel/lockdep.ts';
import type { Model } from '../model/define-model.ts';
import type { State } from '../model/state.ts';
import type { ArrayVar, Var } from '../model/vars.ts';

const VALUES = 3;
/** A variable as a member's step sees it. */
export type Ref = { readonly g: number } | { readonly l: number } | { readonly mine: true } | { readonly next: true };
export interface Cond { readonly r: Ref; readonly eq: boolean; readonly c: number }
export type Stmt =
  | { readonly k: 'step'; readonly guard?: Cond; readonly set?: { readonly r: Ref; readonly inc: boolean; readonly c: number } }
  | { readonly k: 'if'; readonly cond: Cond; readonly then: readonly Stmt[]; readonly else: readonly Stmt[] }
  | { readonly k: 'while'; readonly cond: Cond; readonly body: readonly Stmt[] }
  | { readonly k: 'choice'; readonly arms: readonly (readonly Stmt[])[] }
  | { readonly k: 'locked'; readonly body: readonly Stmt[] }
  | { readonly k: 'join' } | { readonly k: 'leave' } | { readonly k: 'await'; readonly size: number };
/** A variable as a property sees it: a shared one, member m's local or indexed element, the set's size, the mutex held. */
export type PropRef = { readonly g: number } | { readonly l: number; readonly m: number } | { readonly own: number } | { readonly size: true } | { readonly held: number };
export interface PropSpec { readonly kind: 'always' | 'sometimes'; readonly r: PropRef; readonly eq: boolean; readonly c: number }
export interface SymSpec { readonly kind: 'rotation' | 'permutation'; readonly n: number; readonly globals: number; readonly locals: number; readonly body: readonly Stmt[]; readonly props: readonly PropSpec[] }

const ref = (globals: number, locals: number, ring: boolean): fc.Arbitrary<Ref> => fc.oneof(
  ...(globals ? [fc.nat({ max: globals - 1 }).map((g): Ref => ({ g }))] : []),
  fc.nat({ max: locals - 1 }).map((l): Ref => ({ l })),
  fc.constant<Ref>({ mine: true }),
  ...(ring ? [fc.constant<Ref>({ next: true })] : []),
);

const stmts = (r: fc.Arbitrary<Ref>, depth: number): fc.Arbitrary<Stmt[]> => {
  const cond = fc.record({ r, eq: fc.boolean(), c: fc.nat({ max: VALUES - 1 }) });
  const leaf: fc.Arbitrary<Stmt> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ k: fc.constant('step' as const), guard: fc.option(cond, { nil: undefined }), set: fc.option(fc.record({ r, inc: fc.boolean(), c: fc.nat({ max: VALUES - 1 }) }), { nil: undefined }) }, { requiredKeys: ['k'] }) },
    { weight: 1, arbitrary: fc.constantFrom<Stmt>({ k: 'join' }, { k: 'leave' }) },
    { weight: 1, arbitrary: fc.nat({ max: 2 }).map((size): Stmt => ({ k: 'await', size })) },
  );
  if (depth === 0) return fc.array(leaf, { minLength: 1, maxLength: 3 });
  const inner = stmts(r, depth - 1), arm = fc.tuple(leaf, fc.array(leaf, { maxLength: 1 })).map(([a, b]) => [a, ...b]);
  return fc.array(fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('if' as const), cond, then: inner, else: fc.array(leaf, { maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('while' as const), cond, body: fc.tuple(leaf, inner).map(([a, b]) => [a, ...b]) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('choice' as const), arms: fc.array(arm, { minLength: 2, maxLength: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('locked' as const), body: fc.array(leaf, { minLength: 1, maxLength: 2 }) }) },
  ), { minLength: 1, maxLength: 4 });
};

export const symSpecs = (maxN = 3, depth = 1): fc.Arbitrary<SymSpec> =>
  fc.record({ kind: fc.constantFrom('rotation' as const, 'permutation' as const), n: fc.integer({ min: 2, max: maxN }), globals: fc.integer({ min: 0, max: 1 }), locals: fc.integer({ min: 1, max: 2 }) })
    .chain(({ kind, n, globals, locals }) => fc.record({
      kind: fc.constant(kind), n: fc.constant(n), globals: fc.constant(globals), locals: fc.constant(locals),
      body: stmts(ref(globals, locals, kind === 'rotation'), depth),
      props: fc.array(fc.record({
        kind: fc.constantFrom('always' as const, 'sometimes' as const),
        r: fc.oneof(
          ...(globals ? [fc.constant<PropRef>({ g: 0 })] : []),
          fc.record({ l: fc.nat({ max: locals - 1 }), m: fc.nat({ max: n - 1 }) }),
          fc.nat({ max: n - 1 }).map((own): PropRef => ({ own })),
          fc.constant<PropRef>({ size: true }),
          fc.nat({ max: n - 1 }).map((held): PropRef => ({ held })),
        ),
        eq: fc.boolean(), c: fc.nat({ max: VALUES - 1 }),
      }), { maxLength: 2 }),
    }));

const popcount = (x: number): number => { let n = 0; for (let v = x; v; v &= v - 1) n++; return n; };

export function buildSymmetric(spec: SymSpec): Model {
  return defineModel({
    name: 'random-symmetric', doc: JSON.stringify(spec), params: {},
    // deadlocks and the model's own properties: lockdep's whole-space rules are not checked over orbits
    builtins: LOCKDEP_OFF,
    setup(_p, sys) {
      const globals = Array.from({ length: spec.globals }, (_, i) => sys.var(`g${i}`, int(0, VALUES - 1)));
      const own: ArrayVar = sys.array('own', spec.n, int(0, VALUES - 1));
      const m = mutex(sys, 'm'), set = sys.var('in', actorSet());
      const group = sys.symmetric(spec.kind, spec.n, { indexed: [own] });
      const locals: Var[][] = [];
      const ids: number[] = [];
      for (let i = 0; i < spec.n; i++) group.member(i, () => {
        const t = sys.task(`T${i}`, (self) => {
          const mine = Array.from({ length: spec.locals }, (_, j) => self.local(`x${j}`, int(0, VALUES - 1)));
          locals[i] = mine;
          const get = (s: State, r: Ref): number => 'g' in r ? s.get(globals[r.g]!) : 'l' in r ? s.get(mine[r.l]!) : s.get(own, 'mine' in r ? i : (i + 1) % spec.n);
          const put = (s: State, r: Ref, x: number): State => 'g' in r ? s.set(globals[r.g]!, x) : 'l' in r ? s.set(mine[r.l]!, x) : s.set(own, 'mine' in r ? i : (i + 1) % spec.n, x);
          const test = (c: Cond) => (s: State): boolean => (get(s, c.r) === c.c) === c.eq;
          let k = 0;
          const body = (xs: readonly Stmt[]): Program[] => xs.map((x): Program => {
            switch (x.k) {
              case 'step': {
                const set_ = x.set;
                return step(`s${k++}`, { ...(x.guard ? { when: test(x.guard) } : {}), ...(set_ ? { then: (s: State) => put(s, set_.r, set_.inc ? (get(s, set_.r) + 1) % VALUES : set_.c) } : {}) });
              }
              case 'if': return ifElse(test(x.cond), body(x.then), body(x.else));
              case 'while': return whileDo(test(x.cond), body(x.body));
              case 'choice': return choice(...x.arms.map(body));
              case 'locked': return [mutex_lock(m, self), ...body(x.body), mutex_unlock(m, self)];
              case 'join': return step(`join${k++}`, { then: (s: State) => s.set(set, s.get(set) | (1 << self.id)) });
              case 'leave': return step(`leave${k++}`, { then: (s: State) => s.set(set, s.get(set) & ~(1 << self.id)) });
              case 'await': return step(`await${k++}`, { when: (s: State) => popcount(s.get(set)) === x.size });
            }
          });
          return body(spec.body);
        });
        ids.push(t.id);
      });
      return spec.props.map((p, i): Property => {
        const r = p.r;
        const val = (s: State): number => 'g' in r ? s.get(globals[r.g]!) : 'l' in r ? s.get(locals[r.m]![r.l]!) : 'own' in r ? s.get(own, r.own)
          : 'size' in r ? popcount(s.get(set)) : Number(m.holder(s) === ids[r.held]);
        const t = (s: State): boolean => (val(s) === p.c) === p.eq;
        return p.kind === 'always' ? always(`always ${i}`, t) : sometimes(`sometimes ${i}`, t);
      });
    },
  });
}
