/**
 * kmc — exhaustive interleaving explorer for Linux kernel locking, page-cache and GUP schemes.
 * The public surface: the modelling API, properties and the checker entry points.
 */
export { defineModel, isModel, type Model } from './model/define-model.ts';
export { param, type ParamSpec, type ParamSpecs, type ParamValues } from './model/params.ts';
export { bool, int, enumOf, owner, setOf, actorSet, NONE, type Domain } from './model/domain.ts';
export { step, ifElse, loop, whileDo, label, goto, brk, call, ret, choice, type Program, type StepSpec } from './model/program.ts';
export type { System, Self } from './model/system.ts';
export type { SymmetricGroup, SymmetryKind, SymmetryOptions } from './model/symmetry.ts';
export type { Var, ArrayVar, ActorRef, Fairness } from './model/vars.ts';
export type { Resource } from './model/resource.ts';
export type { State } from './model/state.ts';
export { always, never, sometimes, transition, eventually, leadsTo, infinitelyOften, terminates, returnsToStart, DEADLOCK, type Property, type Transition, type StepInfo } from './model/property.ts';
export { exitCode, isViolation, type Verdict } from './explore/verdict.ts';
export { ModelError } from './util/errors.ts';
export { check, type CheckOptions, type Report } from './check/check.ts';
export { compare, type Outcome, type Scenario } from './check/expect.ts';
export type { Expectation } from './model/expectation.ts';
