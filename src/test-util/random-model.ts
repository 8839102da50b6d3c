/**
 * Random models for explorer-agreement tests: a few small integer variables and mutexes, tasks
 * and kthreads whose programs mix guarded steps, branches, bounded loops, choices and locked
 * regions, and state, witness and transition properties. Everything a model is made of is a
 * plain value (`ModelSpec`), so fast-check can generate and shrink it; `build` turns it into a
 * model, deterministically.
 */
import fc from 'fast-check';
import { always, choice, defineModel, ifElse, int, loop, sometimes, step, transition, whileDo, type Program, type Property } from '../index.ts';
import { mutex, mutex_lock, mutex_unlock, type Mutex } from '../kernel/mutex.ts';
import { recordSource } from '../model/source.ts';
import type { Model } from '../model/define-model.ts';
import type { State } from '../model/state.ts';
import type { Var } from '../model/vars.ts';

const VALUES = 3;
export interface Cond { readonly v: number; readonly eq: boolean; readonly c: number }
export type Stmt =
  | { readonly k: 'step'; readonly guard?: Cond; readonly set?: { readonly v: number; readonly inc: boolean; readonly c: number } }
  | { readonly k: 'if'; readonly cond: Cond; readonly then: readonly Stmt[]; readonly else: readonly Stmt[] }
  | { readonly k: 'while'; readonly cond: Cond; readonly body: readonly Stmt[] }
  | { readonly k: 'choice'; readonly arms: readonly (readonly Stmt[])[] }
  | { readonly k: 'locked'; readonly m: number; readonly body: readonly Stmt[] };
export interface ActorSpec { readonly kthread: boolean; readonly body: readonly Stmt[] }
/** A property over `cond`, and `and` too when given (two fields: an order of independent steps can matter). */
export interface PropSpec { readonly kind: 'always' | 'sometimes' | 'transition'; readonly cond: Cond; readonly and?: Cond }
/**
 * With `locals`, each actor also has that many variables of its own: in its steps, variable
 * `vars + i` is its own local i; in properties, `vars + a * locals + i` is actor a's local i.
 */
export interface ModelSpec { readonly vars: number; readonly mutexes: number; readonly actors: readonly ActorSpec[]; readonly props: readonly PropSpec[]; readonly locals?: number }

const cond = (vars: number): fc.Arbitrary<Cond> =>
  fc.record({ v: fc.nat({ max: vars - 1 }), eq: fc.boolean(), c: fc.nat({ max: VALUES - 1 }) });

const plainStep = (vars: number): fc.Arbitrary<Stmt> => fc.record({
  k: fc.constant('step' as const),
  guard: fc.option(cond(vars), { nil: undefined }),
  set: fc.option(fc.record({ v: fc.nat({ max: vars - 1 }), inc: fc.boolean(), c: fc.nat({ max: VALUES - 1 }) }), { nil: undefined }),
}, { requiredKeys: ['k'] });

const stmts = (vars: number, mutexes: number, depth: number): fc.Arbitrary<Stmt[]> => {
  const leaf = plainStep(vars);
  if (depth === 0) return fc.array(leaf, { minLength: 1, maxLength: 3 });
  const inner = stmts(vars, mutexes, depth - 1);
  const arm = fc.tuple(leaf, fc.array(leaf, { maxLength: 2 })).map(([first, rest]) => [first, ...rest]);   // an arm begins with a step
  return fc.array(fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('if' as const), cond: cond(vars), then: inner, else: fc.array(leaf, { maxLength: 2 }) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('while' as const), cond: cond(vars), body: fc.tuple(leaf, inner).map(([first, rest]) => [first, ...rest]) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('choice' as const), arms: fc.array(arm, { minLength: 2, maxLength: 3 }) }) },
    ...(mutexes ? [{ weight: 2, arbitrary: fc.record({ k: fc.constant('locked' as const), m: fc.nat({ max: mutexes - 1 }), body: fc.array(leaf, { minLength: 1, maxLength: 2 }) }) }] : []),
  ), { minLength: 1, maxLength: 4 });
};

/** How big generated models get: at most this many actors, variables (values 0..2) and nesting levels. */
export interface Size { readonly actors: number; readonly vars: number; readonly depth: number }

/** Models of one to `actors` actors over one to `vars` variables and up to two mutexes. */
export const modelSpecs = (size: Size = { actors: 3, vars: 3, depth: 2 }): fc.Arbitrary<ModelSpec> =>
  fc.record({ vars: fc.integer({ min: 1, max: size.vars }), mutexes: fc.integer({ min: 0, max: 2 }) })
    .chain(({ vars, mutexes }) => fc.record({
      vars: fc.constant(vars), mutexes: fc.constant(mutexes),
      actors: fc.array(fc.record({ kthread: fc.boolean(), body: stmts(vars, mutexes, size.depth) }), { minLength: 1, maxLength: size.actors }),
      props: fc.array(fc.record({ kind: fc.constantFrom('always' as const, 'sometimes' as const, 'transition' as const), cond: cond(vars), and: fc.option(cond(vars), { nil: undefined }) }, { requiredKeys: ['kind', 'cond'] }), { maxLength: 3 }),
    }));

/**
 * Models whose actors mostly work on variables of their own (one to `locals` each, plus up to
 * two shared ones and a mutex), with properties over two variables: interleavings of
 * independent steps, and properties for which their order matters (what a reduction must keep).
 */
export const localSpecs = (size: { readonly actors: number; readonly locals: number; readonly depth: number }): fc.Arbitrary<ModelSpec> =>
  fc.record({ vars: fc.integer({ min: 1, max: 2 }), mutexes: fc.integer({ min: 0, max: 1 }), locals: fc.integer({ min: 1, max: size.locals }), n: fc.integer({ min: 2, max: size.actors }) })
    .chain(({ vars, mutexes, locals, n }) => fc.record({
      vars: fc.constant(vars), mutexes: fc.constant(mutexes), locals: fc.constant(locals),
      actors: fc.array(fc.record({ kthread: fc.boolean(), body: stmts(vars + locals, mutexes, size.depth) }), { minLength: n, maxLength: n }),
      props: fc.array(fc.record({ kind: fc.constantFrom('always' as const, 'sometimes' as const, 'transition' as const), cond: cond(vars + n * locals), and: cond(vars + n * locals) }), { minLength: 1, maxLength: 3 }),
    }));

/** The model a spec describes; worker threads build it again from the same spec (`--workers`). */
export function build(spec: ModelSpec): Model {
  const model = make(spec);
  recordSource(model, { url: import.meta.url, via: 'import', factory: { name: 'build', args: [spec] } });
  return model;
}

function make(spec: ModelSpec): Model {
  return defineModel({
    name: 'random', doc: JSON.stringify(spec), params: {},
    setup(_p, sys) {
      const globals: Var[] = Array.from({ length: spec.vars }, (_, i) => sys.var(`v${i}`, int(0, VALUES - 1)));
      const m: Mutex[] = Array.from({ length: spec.mutexes }, (_, i) => mutex(sys, `m${i}`));
      const all: Var[] = [...globals];
      spec.actors.forEach((a, ai) => {
        let n = 0;
        let v: Var[] = globals;
        const test = (c: Cond) => (s: State): boolean => (s.get(v[c.v]!) === c.c) === c.eq;
        const body = (xs: readonly Stmt[], self: Parameters<Parameters<typeof sys.task>[1]>[0]): Program[] => xs.map((x): Program => {
          switch (x.k) {
            case 'step': {
              const name = `s${n++}`, set = x.set;
              return step(name, {
                ...(x.guard ? { when: test(x.guard) } : {}),
                ...(set ? { then: (s: State) => s.set(v[set.v]!, set.inc ? (s.get(v[set.v]!) + 1) % VALUES : set.c) } : {}),
              });
            }
            case 'if': return ifElse(test(x.cond), body(x.then, self), body(x.else, self));
            case 'while': return whileDo(test(x.cond), body(x.body, self));
            case 'choice': return choice(...x.arms.map((arm) => body(arm, self)));
            case 'locked': return [mutex_lock(m[x.m]!, self), ...body(x.body, self), mutex_unlock(m[x.m]!, self)];
          }
        });
        // a kthread's main loop begins with a step (a loop that can turn without one is KMC003)
        const build = (self: Parameters<Parameters<typeof sys.task>[1]>[0]): Program => {
          const own = Array.from({ length: spec.locals ?? 0 }, (_, i) => self.local(`x${i}`, int(0, VALUES - 1)));
          v = [...globals, ...own];
          all.push(...own);
          return a.kthread ? loop(step('wait for work', { idle: true }), body(a.body, self)) : body(a.body, self);
        };
        if (a.kthread) sys.kthread(`K${ai}`, build); else sys.task(`T${ai}`, build);
      });
      const v = all;
      const test = (c: Cond) => (s: State): boolean => (s.get(v[c.v]!) === c.c) === c.eq;
      return spec.props.map((p, i): Property => {
        const one = test(p.cond), two = p.and ? test(p.and) : undefined, name = `${p.kind} ${i}`;
        const t = (s: State): boolean => one(s) && (two === undefined || two(s));
        return p.kind === 'always' ? always(name, t) : p.kind === 'sometimes' ? sometimes(name, t)
          : transition(name, ({ before, after }) => !(t(after) && !t(before)) || after.get(v[p.cond.v]!) !== 0);
      });
    },
  });
}
