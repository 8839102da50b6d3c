/**
 * Completions (kernel/sched/completion.c) and wait queues (kernel/sched/wait.c,
 * include/linux/wait.h).
 *
 * Who can end a wait is recorded at build time: every actor whose program calls `complete`
 * (`wake_up`) on it. A waiter waits on any one of them that has not finished, so a waiter whose
 * completers are all stuck — one of them on a lock the waiter holds — is a wait-for cycle, and
 * one whose completers have all finished hangs (a deadlock when nothing else can run).
 *
 * `wait_event` is the kernel's loop: `prepare_to_wait_event` (the waiter joins the queue), test
 * the condition, `schedule()` until a `wake_up` takes it off the queue, again. A condition set
 * without a `wake_up`, or a `wake_up` before the condition is set, loses the wakeup as in the
 * kernel.
 *
 * **Fairness: no handoff.** A woken `wait_event` waiter tests its condition again and may find
 * it false (another task got there first); `do_wait_for_common` lets a newcomer consume `done`
 * before a woken waiter. These waits are owed only their actor's fairness (`StepSpec.handoff`
 * is for locks that hand off: mutex, rwsem, folio lock, qspinlock).
 *
 * @example
 * const done = completion(sys, 'done');
 * sys.task('waiter', (t) => [mutex_lock(m, t), wait_for_completion(done), mutex_unlock(m, t)]);
 * sys.task('worker', (t) => [mutex_lock(m, t), mutex_unlock(m, t), complete(done, t)]);
 */
import { actorSet, bool, int } from '../model/domain.ts';
import { goto, ifElse, label, step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import type { Current } from './current.ts';

/** The actors registered as able to end a wait, that have not finished. */
const pending = (s: State, who: readonly ActorRef[]): number[] => who.filter((a) => !s.done(a)).map((a) => a.id);

const register = (list: ActorRef[], a: ActorRef): void => { if (!list.some((x) => x.id === a.id)) list.push({ id: a.id, name: a.name, kind: a.kind, fairness: a.fairness }); };

export interface Completion {
  readonly name: string;
  readonly done: Var;
  readonly all: Var;
  readonly completers: ActorRef[];
  readonly resource: Resource;
}

/** A `struct completion`; `max` bounds how many `complete()` calls can be pending (default 3). */
export function completion(sys: System, name: string, opts: { max?: number } = {}): Completion {
  const completers: ActorRef[] = [];
  return {
    name, completers,
    done: sys.var(`${name}.done`, int(0, opts.max ?? 3)),
    all: sys.var(`${name}.all`, bool()),
    resource: { name: `completion ${name}`, needs: 'any', waitsFor: (s) => pending(s, completers) },
  };
}

const C = 'kernel/sched/completion.c';

/** `wait_for_completion()`: sleeps until a `complete()` is pending, and consumes it. */
export const wait_for_completion = (x: Completion): Node =>
  step(`wait_for_completion(${x.name})`, {
    fn: `${C}: wait_for_completion`, sleeps: true,
    when: (s) => s.get(x.done) > 0 || s.test(x.all),
    then: (s) => (s.test(x.all) ? s : s.set(x.done, s.get(x.done) - 1)),
    blocksOn: x.resource,
  });

/** `complete()`: wakes one waiter (or lets the next one through). */
export function complete(x: Completion, self: ActorRef): Node {
  register(x.completers, self);
  return step(`complete(${x.name})`, { fn: `${C}: complete`, then: (s) => (s.test(x.all) ? s : s.set(x.done, s.get(x.done) + 1)) });
}

/** `complete_all()`: every waiter, now and later, goes through. */
export function complete_all(x: Completion, self: ActorRef): Node {
  register(x.completers, self);
  return step(`complete_all(${x.name})`, { fn: `${C}: complete_all`, then: (s) => s.set(x.all, true) });
}

/** `reinit_completion()`. */
export const reinit_completion = (x: Completion): Node =>
  step(`reinit_completion(${x.name})`, { fn: 'include/linux/completion.h: reinit_completion', then: (s) => s.set(x.done, 0).set(x.all, false) });

export interface WaitQueue {
  readonly name: string;
  /** Tasks on the queue, not yet woken. */
  readonly sleepers: Var;
  readonly wakers: ActorRef[];
  readonly resource: Resource;
}

/** A `wait_queue_head_t`. */
export function waitqueue(sys: System, name: string): WaitQueue {
  const wakers: ActorRef[] = [];
  return { name, wakers, sleepers: sys.var(`${name}.sleepers`, actorSet()), resource: { name: `wait queue ${name}`, needs: 'any', waitsFor: (s) => pending(s, wakers) } };
}

const W = 'include/linux/wait.h';

/** `wait_event(wq, cond)`: returns at once if `cond` holds; otherwise joins the queue, re-tests, and sleeps until woken, in a loop. */
export function wait_event(wq: WaitQueue, cur: Current, cond: (s: State) => boolean, what = 'condition'): Program {
  const me = 1 << cur.id, again = cur.label(`wait_event(${wq.name})`);
  return ifElse((s) => !cond(s), [
    label(again),
    step(`prepare_to_wait_event(${wq.name})`, { fn: 'kernel/sched/wait.c: prepare_to_wait_event', sleeps: true, then: (s) => s.set(wq.sleepers, s.get(wq.sleepers) | me) }),
    ifElse((s) => !cond(s), [
      step(`schedule() until ${what}`, { fn: `${W}: ___wait_event`, when: (s) => (s.get(wq.sleepers) & me) === 0, blocksOn: wq.resource, sleeps: true }),
      goto(again),
    ]),
    step(`finish_wait(${wq.name})`, { fn: 'kernel/sched/wait.c: finish_wait', then: (s) => s.set(wq.sleepers, s.get(wq.sleepers) & ~me) }),
  ]);
}

/** `wake_up(wq)`: every sleeper on the queue is woken (taken off it). */
export function wake_up(wq: WaitQueue, self: ActorRef): Node {
  register(wq.wakers, self);
  return step(`wake_up(${wq.name})`, { fn: 'kernel/sched/wait.c: __wake_up', then: (s) => s.set(wq.sleepers, 0) });
}
