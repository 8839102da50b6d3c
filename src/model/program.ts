/**
 * Actor programs. An actor runs a program of **atomic steps**; between steps any other actor
 * may run. Kernel code paths need a little control flow around the steps, provided here:
 *
 * | construct                       | kernel idiom                                          |
 * |---------------------------------|-------------------------------------------------------|
 * | `[a, b, c]`                     | straight-line code                                    |
 * | `ifElse(cond, then, else)`      | `if (!folio_test_uptodate(folio)) …`                   |
 * | `loop(body)`, `whileDo(c, b)`   | kthread main loops, `for (;;)`, `while (…)`            |
 * | `label('retry')`, `goto('retry')`, `brk()` | `goto retry;`, `goto out;`, `break;`      |
 * | `call('handle_mm_fault', body, { result })` | a sub-program, shown as a stack frame     |
 * | `ret(-EFAULT)`                  | `return -EFAULT;` from the innermost call             |
 * | `choice(armA, armB)`            | nondeterminism: the actor may take either arm          |
 *
 * **Atomicity.** Only `step`s are atomic actions. Control constructs are resolved at the end of
 * the step before them (or in the initial state): a branch decides on the state right after
 * that step, and a `ret` value is written as part of it. So a task that checks a condition and
 * then blocks on a lock keeps its decision while it waits, as kernel code does. Control flow
 * that can loop without passing a step is rejected (KMC003).
 *
 * @example
 * const fault = call('filemap_fault', [
 *   ifElse((s) => s.test(uptodate), [map_folio], [
 *     filemap_invalidate_lock_shared(mapping),
 *     read_folio,
 *     filemap_invalidate_unlock_shared(mapping),
 *   ]),
 * ]);
 */
import type { State } from './state.ts';
import type { Resource } from './resource.ts';
import type { Var } from './vars.ts';

/** One atomic step: enabled when `when` holds, then `then` yields the successor state. */
export interface StepSpec {
  /** What the trace shows: `mutex_lock(&inode->i_rwsem[A])`. */
  readonly label: string;
  /** The kernel function modelled, with its file: `mm/gup.c: __get_user_pages`. */
  readonly fn?: string;
  /** Guard. A blocked actor is simply not enabled (never a spin). Omitted = always enabled. */
  readonly when?: (s: State) => boolean;
  /** Effect. Omitted = the step changes nothing but the actor's position. */
  readonly then?: (s: State) => State;
  /** What the actor waits on while `when` is false, for wait-for cycles and deadlock reports. */
  readonly blocksOn?: Resource | readonly Resource[];
  /**
   * For a kthread: waiting here is idling (`wait_event` for work), not a hang. A kthread also
   * idles at the head of its main loop; blocked anywhere else while nothing can run, it is a
   * hung task (a deadlock).
   */
  readonly idle?: boolean;
  /**
   * The step may sleep (the kernel function calls `might_sleep()`: a mutex, an rwsem, the folio
   * lock, `wait_for_completion`, `synchronize_rcu`): an actor about to take it in atomic context
   * is lockdep's "sleeping function called from invalid context" (`State.mightSleep`).
   */
  readonly sleeps?: boolean;
  /**
   * The lock(s) this step may take (for lockdep's rules: order edges, irq usage). The step takes
   * one when the actor does not hold it before and holds it after (`Resource.holds`).
   */
  readonly acquires?: Resource | readonly Resource[];
  /** A trylock: it cannot wait, so lockdep records no order edge into what it takes. */
  readonly trylock?: boolean;
  /**
   * The lock this step waits on is **handed to its waiters in order**: the kernel queues them
   * and a waiter that keeps finding the lock taken is given it at an unlock (mutex
   * `MUTEX_FLAG_HANDOFF`, rwsem `RWSEM_FLAG_HANDOFF`, the folio lock after
   * `page_lock_unfairness` wakeups). So the step is **strongly fair**: enabled (the lock free)
   * infinitely often, it is taken — an actor waiting here is not starved by one that re-takes
   * the lock forever. The liveness search adds this to the actor's own fairness (an actor with
   * fairness `none` is promised nothing). Not for `wait_event` on a condition, trylock loops or
   * locks woken waiters race for (the bcachefs two-state lock): those hand off nothing.
   */
  readonly handoff?: boolean;
}

export type Program = Node | readonly Program[];

export type Node =
  | { readonly kind: 'step'; readonly spec: StepSpec }
  | { readonly kind: 'if'; readonly cond: (s: State) => boolean; readonly then: Program; readonly else: Program }
  | { readonly kind: 'loop'; readonly body: Program }
  | { readonly kind: 'while'; readonly cond: (s: State) => boolean; readonly body: Program }
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'goto'; readonly name: string }
  | { readonly kind: 'break' }
  | { readonly kind: 'call'; readonly frame: string; readonly body: Program; readonly result: Var | undefined }
  | { readonly kind: 'ret'; readonly value: number | undefined }
  | { readonly kind: 'choice'; readonly arms: readonly Program[] };

/** An atomic step. */
export const step = (label: string, spec: Omit<StepSpec, 'label'> = {}): Node => ({ kind: 'step', spec: { label, ...spec } });

/** `if (cond) then else otherwise`; `cond` is decided at the end of the preceding step. */
export const ifElse = (cond: (s: State) => boolean, then: Program, otherwise: Program = []): Node =>
  ({ kind: 'if', cond, then, else: otherwise });

/** `for (;;) body` — leave with `brk()`, `goto` or `ret`. */
export const loop = (...body: Program[]): Node => ({ kind: 'loop', body });

/** `while (cond) body`. */
export const whileDo = (cond: (s: State) => boolean, ...body: Program[]): Node => ({ kind: 'while', cond, body });

/** A jump target: `retry:`. Also names a resting point for `s.at(actor, name)`. */
export const label = (name: string): Node => ({ kind: 'label', name });

/** `goto name;` within the same actor program. */
export const goto = (name: string): Node => ({ kind: 'goto', name });

/** `break;` out of the innermost loop. */
export const brk = (): Node => ({ kind: 'break' });

/**
 * Run `body` as a sub-program (a fault handler invoked from GUP); `frame` shows in traces like
 * a stack line. With `result`, `ret(value)` inside the body stores the value there.
 */
export const call = (frame: string, body: Program, opts: { result?: Var } = {}): Node =>
  ({ kind: 'call', frame, body, result: opts.result });

/** `return value;` from the innermost `call` (or end the actor's program at top level). */
export const ret = (value?: number | boolean): Node =>
  ({ kind: 'ret', value: value === undefined ? undefined : Number(value) });

/** Nondeterministic choice: each arm must begin with a step; any enabled arm may be taken. */
export const choice = (...arms: Program[]): Node => ({ kind: 'choice', arms });

/**
 * `p` with every step also guarded by `when`, and waiting on `resource` while it is false
 * (after the step's own resources): how an actor placed on a CPU yields it to an interrupt.
 */
export function guarded(p: Program, when: (s: State) => boolean, resource: Resource): Program {
  if (Array.isArray(p)) return p.map((q: Program) => guarded(q, when, resource));
  const n = p as Node;
  switch (n.kind) {
    case 'step': {
      const own = n.spec.when, mine = n.spec.blocksOn === undefined ? [] : Array.isArray(n.spec.blocksOn) ? n.spec.blocksOn : [n.spec.blocksOn as Resource];
      return { kind: 'step', spec: { ...n.spec, when: own ? (s) => when(s) && own(s) : when, blocksOn: [...mine, resource] } };
    }
    case 'if': return { ...n, then: guarded(n.then, when, resource), else: guarded(n.else, when, resource) };
    case 'loop': case 'while': case 'call': return { ...n, body: guarded(n.body, when, resource) };
    case 'choice': return { ...n, arms: n.arms.map((a) => guarded(a, when, resource)) };
    case 'label': case 'goto': case 'break': case 'ret': return n;
    default: { const never: never = n; return never; }
  }
}
