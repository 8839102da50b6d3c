/**
 * Something an actor can block on, for deadlock explanations. A blocked step names its
 * resource in `blocksOn`; the checker asks the resource whom the waiter is waiting for and
 * builds the wait-for graph from the answers (AA, AB-BA and longer cycles).
 */
import type { State } from './state.ts';

/** How an actor stands to a resource another waits on. */
/**
 * `interrupts`: a handler running on the CPU the waiter needs (it interrupted the waiter);
 * `preempts`: a runnable task of higher priority on that CPU (a SCHED_FIFO task keeps it off).
 */
export type Hold = 'holds' | 'shares' | 'queued' | 'interrupts' | 'preempts';

export interface Resource {
  /** Display name, lockdep spelling: `&mapping->invalidate_lock[A]`, `fork[2]`. */
  readonly name: string;
  /** What a holder holds, when it differs from what the waiter asks for (`A (block)` vs `A (add)`). */
  readonly heldAs?: string;
  /** Lock class for lockdep-style reports; defaults to the name. */
  readonly lockClass?: string;
  /**
   * Actor ids that must make progress before `waiter` can: the holders, plus queued waiters
   * ahead of it for locks that queue (a waiting rwsem writer blocks new readers).
   * Return `[]` for waits that no actor is responsible for (a condition, a device).
   */
  waitsFor(s: State, waiter: number): readonly number[];
  /**
   * For an actor returned by `waitsFor`: does it hold the resource (`shares`: for read), or wait
   * ahead of us in a queue? Default: holds.
   */
  relation?(s: State, actor: number): Hold;
  /** The waiter asks for it shared (`down_read`): lockdep prints such an acquisition as `rlock(...)`. */
  readonly shared?: boolean;
  /**
   * `all` (default): the waiter needs every actor `waitsFor` returns to move (a lock's holders).
   * `any`: one of them suffices (the completers of a completion, the wakers of a wait queue).
   */
  readonly needs?: 'all' | 'any';
  /**
   * The waiter does not sleep but retries (a seqcount reader spinning in `read_seqbegin` until
   * the sequence is even): waiting for ever on it is a livelock, a lasso whose cycle is the
   * waiting step re-executed with the state unchanged (`explore/livelock.ts`), not a deadlock.
   */
  readonly retries?: boolean;
  /**
   * Does `actor` hold it in `s`? Locks answer, so lockdep's rules can see the locks an actor
   * holds when it takes another (order edges, held-lock lists); waits that are not locks omit it.
   */
  holds?(s: State, actor: number): boolean;
}
