/**
 * The jbd2 journal (fs/jbd2/transaction.c, fs/jbd2/commit.c, fs/jbd2/journal.c): handles on the
 * running transaction and the commit thread.
 *
 * - `jbd2__journal_start` attaches a handle to the running transaction (`t_updates`++) under
 *   `j_state_lock`, in one step; while the transaction is `T_LOCKED` for commit the task waits
 *   (`wait_transaction_locked`) until the commit has switched to a new running transaction, and
 *   tries again. A task that already holds a handle (`current->journal_info`) gets the same
 *   handle back (`h_ref`++) and never waits.
 * - `jbd2_journal_stop` drops a reference; the last one leaves the transaction (`t_updates`--,
 *   waking the commit thread).
 * - The commit thread (`kjournald2`, `jbd2_journal_commit_transaction`) waits for a commit
 *   request, locks the running transaction (`T_LOCKED`), waits until its handles are all stopped
 *   (`jbd2_journal_wait_updates`), switches to a new running transaction (`T_FLUSH`: waiters in
 *   `wait_transaction_locked` go on), writes the commit record and advances
 *   `j_commit_sequence`.
 * - `jbd2_log_start_commit` requests a commit of the running transaction (noting its tid);
 *   `jbd2_log_wait_commit` waits until it is committed. A task that holds a handle on the
 *   transaction it waits for waits for itself: the commit thread waits for the handle
 *   (include/linux/jbd2.h: "the running transaction has to wait for all handles to be dropped
 *   to commit that transaction and also acquiring a handle may require transaction commit to
 *   finish") — a wait-for cycle through the commit thread.
 *
 * lockdep (on for every model declaring a journal): `j_trans_commit_map` is a lockdep map of
 * class `jbd2_handle` (kind `map`, `{0:0}`):
 * a started handle holds it for read (`rwsem_acquire_read` in `start_this_handle`, released by
 * `stop_this_handle`; a nested start records nothing), and `jbd2_might_wait_for_commit` takes it
 * for write and releases it at once where a task may wait for a commit (`wait_transaction_locked`,
 * `jbd2_log_wait_commit` of a transaction not yet committing). So a handle held across such a
 * wait is "possible recursive locking detected" on `jbd2_handle`, and a lock taken both inside
 * and around a handle is a circular dependency through it, as lockdep reports them. The commit
 * thread itself records nothing.
 *
 * Transactions are counted by tid up to `transactions` commits (default 2).
 *
 * @example
 * const j = journal(sys, 'sda1');
 * kjournald2(sys, j);
 * sys.task('write', (self) => { const cur = current(self); return [...jbd2__journal_start(j, cur), step('dirty metadata'), jbd2_journal_stop(j, cur)]; });
 */
import { actorSet, bool, enumOf, int } from '../model/domain.ts';
import { goto, ifElse, label, loop, step, type Node, type Program } from '../model/program.ts';
import type { Resource } from '../model/resource.ts';
import type { State } from '../model/state.ts';
import type { System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';
import { ModelError } from '../util/errors.ts';
import { bits } from './bits.ts';
import type { Current } from './current.ts';
import { registerLock } from './locks.ts';
import { lockdep } from './lockdep.ts';

export const T_RUNNING = 0, T_LOCKED = 1;

export interface Journal {
  readonly name: string;
  /** State of the running transaction: `T_RUNNING` or `T_LOCKED` (T_SWITCH and later belong to the committing one). */
  readonly t_state: Var;
  /** Tasks holding a handle on the running transaction. */
  readonly t_updates: Var;
  /** tid of the running transaction. */
  readonly tid: Var;
  readonly j_commit_request: Var;
  readonly j_commit_sequence: Var;
  /** Tasks inside `jbd2_might_wait_for_commit` (lockdep's write acquisition of `jbd2_handle`). */
  readonly waiting: Var;
  /** A handle, as lockdep sees it: `jbd2_handle` held for read. */
  readonly handle: Resource;
  /** `jbd2_might_wait_for_commit`: `jbd2_handle` taken for write. */
  readonly commitMap: Resource;
  /** The commit threads (registered by `jbd2_journal_commit_transaction`). */
  readonly committers: ActorRef[];
  /** How many commits the model may make. */
  readonly transactions: number;
}

/** A journal (`journal_t`) named after its device; `transactions` bounds the commits a model makes. */
export function journal(sys: System, name: string, opts: { transactions?: number } = {}): Journal {
  const n = opts.transactions ?? 2;
  if (!Number.isInteger(n) || n < 1) throw new ModelError('KMC013', `journal '${name}': transactions ${n} is not a positive integer`);
  const updates = sys.var(`${name}.t_updates`, actorSet()), waiting = sys.var(`${name}.might_wait_for_commit`, actorSet());
  const has = (v: Var) => (s: State, a: number): boolean => (s.get(v) & (1 << a)) !== 0;
  const j: Journal = {
    name,
    t_state: sys.var(`${name}.t_state`, enumOf('T_RUNNING', 'T_LOCKED')),
    t_updates: updates,
    tid: sys.var(`${name}.tid`, int(1, n + 1), 1),
    j_commit_request: sys.var(`${name}.j_commit_request`, int(0, n)),
    j_commit_sequence: sys.var(`${name}.j_commit_sequence`, int(0, n)),
    waiting,
    handle: { name: `${name}: jbd2_handle`, lockClass: 'jbd2_handle', shared: true, waitsFor: () => [], holds: has(updates) },
    commitMap: { name: `${name}: jbd2_handle`, lockClass: 'jbd2_handle', waitsFor: () => [], holds: has(waiting) },
    committers: [], transactions: n,
  };
  lockdep(sys);
  registerLock(sys, j.handle, 'map');
  registerLock(sys, j.commitMap, 'map');
  return j;
}

const T = 'fs/jbd2/transaction.c', C = 'fs/jbd2/commit.c', J = 'fs/jbd2/journal.c';

/** A commit of the running transaction, as a waiter sees it: the commit threads must move. */
const commitOf = (j: Journal, what: string): Resource => ({ name: `${j.name}: ${what}`, needs: 'any', waitsFor: () => j.committers.map((a) => a.id) });

/** `current->journal_info`: the task's handle references. */
const hRef = (j: Journal, cur: Current): Var => cur.local(`${j.name}.h_ref`, int(0, 3));

/**
 * `jbd2_might_wait_for_commit(journal)` (include/linux/jbd2.h): `rwsem_acquire` then
 * `rwsem_release` of `j_trans_commit_map`, lockdep's record that the task may wait for a commit.
 */
export const jbd2_might_wait_for_commit = (j: Journal, cur: Current): Program => {
  const me = 1 << cur.id;
  return [
    step(`jbd2_might_wait_for_commit(${j.name})`, { fn: 'include/linux/jbd2.h: jbd2_might_wait_for_commit', acquires: j.commitMap, then: (s) => s.set(j.waiting, s.get(j.waiting) | me) }),
    step(`rwsem_release(jbd2_handle)`, { fn: 'include/linux/jbd2.h: jbd2_might_wait_for_commit', then: (s) => s.set(j.waiting, s.get(j.waiting) & ~me) }),
  ];
};

/**
 * `jbd2__journal_start(journal, …)` (`jbd2_journal_start`, `ext4_journal_start`): a handle on
 * the running transaction; a task already holding one gets it again.
 */
export function jbd2__journal_start(j: Journal, cur: Current): Program {
  const ref = hRef(j, cur), locked = cur.local(`${j.name}.t_locked`, bool()), me = 1 << cur.id, repeat = cur.label(`start_this_handle(${j.name})`);
  return ifElse((s) => s.get(ref) > 0, [
    step(`jbd2__journal_start(${j.name}): h_ref++`, { fn: `${T}: jbd2__journal_start`, then: (s) => s.set(ref, s.get(ref) + 1) }),
  ], [
    label(repeat),
    step(`start_this_handle(${j.name})`, {
      fn: `${T}: start_this_handle`, sleeps: true, acquires: j.handle,
      then: (s) => (s.get(j.t_state) === T_RUNNING ? s.set(j.t_updates, s.get(j.t_updates) | me).set(ref, 1) : s.set(locked, true)),
    }),
    ifElse((s) => s.test(locked), [
      ...jbd2_might_wait_for_commit(j, cur) as Node[],
      step(`wait_transaction_locked(${j.name})`, {
        fn: `${T}: wait_transaction_locked`, sleeps: true,
        when: (s) => s.get(j.t_state) === T_RUNNING,
        then: (s) => s.set(locked, false),
        blocksOn: commitOf(j, 'T_LOCKED transaction'),
      }),
      goto(repeat),
    ]),
  ]);
}

/** `jbd2_journal_stop(handle)`: the last reference leaves the transaction (`stop_this_handle`: t_updates--, wake_up(j_wait_updates)). */
export function jbd2_journal_stop(j: Journal, cur: Current): Node {
  const ref = hRef(j, cur), me = 1 << cur.id;
  return step(`jbd2_journal_stop(${j.name})`, {
    fn: `${T}: jbd2_journal_stop`,
    then: (s) => {
      const n = s.get(ref);
      if (n === 0) throw new Error(`jbd2_journal_stop(${j.name}) by ${cur.name}, which holds no handle`);
      return n > 1 ? s.set(ref, n - 1) : s.set(ref, 0).set(j.t_updates, s.get(j.t_updates) & ~me);
    },
  });
}

/** The tid a task waits for. */
const tidOf = (j: Journal, cur: Current): Var => cur.local(`${j.name}.tid`, int(0, j.transactions + 1));

/** `jbd2_log_start_commit(journal, tid)` of the running transaction (its tid noted for `jbd2_log_wait_commit`). */
export function jbd2_log_start_commit(j: Journal, cur: Current): Node {
  const tid = tidOf(j, cur);
  return step(`jbd2_log_start_commit(${j.name})`, {
    fn: `${J}: __jbd2_log_start_commit`,
    then: (s) => {
      const t = s.get(j.tid);
      if (t > j.transactions) throw new Error(`jbd2_log_start_commit(${j.name}) by ${cur.name}: tid ${t} is past the journal's transactions bound; declare journal(sys, '${j.name}', { transactions: ${t} })`);
      return s.set(tid, t).set(j.j_commit_request, Math.max(t, s.get(j.j_commit_request)));
    },
  });
}

/**
 * `jbd2_log_wait_commit(journal, tid)` for the tid `jbd2_log_start_commit` noted: sleeps until
 * `j_commit_sequence` reaches it. lockdep's `jbd2_might_wait_for_commit` first, unless that
 * transaction is already committing or committed (CONFIG_PROVE_LOCKING branch).
 */
export function jbd2_log_wait_commit(j: Journal, cur: Current): Program {
  const tid = tidOf(j, cur);
  return [
    ifElse((s) => s.get(tid) === s.get(j.tid), jbd2_might_wait_for_commit(j, cur)),
    step(`jbd2_log_wait_commit(${j.name})`, {
      fn: `${J}: jbd2_log_wait_commit`, sleeps: true,
      when: (s) => s.get(j.j_commit_sequence) >= s.get(tid),
      blocksOn: commitOf(j, 'transaction commit'),
    }),
  ];
}

/**
 * `jbd2_journal_commit_transaction(journal)` (fs/jbd2/commit.c), as the commit thread `self`
 * runs it: T_LOCKED, wait for the handles, T_FLUSH (a new running transaction), commit record.
 */
export function jbd2_journal_commit_transaction(j: Journal, self: ActorRef): Program {
  if (!j.committers.some((a) => a.id === self.id)) j.committers.push({ id: self.id, name: self.name, kind: self.kind, fairness: self.fairness });
  const updates: Resource = { name: `${j.name}: t_updates`, lockClass: 'jbd2_handle', waitsFor: (s) => bits(s.get(j.t_updates)), relation: () => 'shares' };
  return [
    step(`t_state = T_LOCKED`, { fn: `${C}: jbd2_journal_commit_transaction`, then: (s) => s.set(j.t_state, T_LOCKED) }),
    step(`jbd2_journal_wait_updates(${j.name})`, {
      fn: `${T}: jbd2_journal_wait_updates`, sleeps: true,
      when: (s) => s.get(j.t_updates) === 0,
      blocksOn: updates,
    }),
    step(`t_state = T_FLUSH; wake_up(j_wait_transaction_locked)`, {
      fn: `${C}: jbd2_journal_commit_transaction`,
      then: (s) => s.set(j.t_state, T_RUNNING).set(j.tid, s.get(j.tid) + 1),
    }),
    step(`j_commit_sequence++; wake_up(j_wait_done_commit)`, {
      fn: `${C}: jbd2_journal_commit_transaction`,
      then: (s) => s.set(j.j_commit_sequence, s.get(j.tid) - 1),
    }),
  ];
}

/** The journal's commit thread `jbd2/<name>` (fs/jbd2/journal.c: kjournald2): commits each requested transaction. */
export function kjournald2(sys: System, j: Journal): ActorRef {
  return sys.kthread(`jbd2/${j.name}`, (self) => loop(
    step(`wait_event(j_wait_commit)`, {
      fn: `${J}: kjournald2`, idle: true,
      when: (s) => s.get(j.j_commit_request) > s.get(j.j_commit_sequence),
    }),
    jbd2_journal_commit_transaction(j, self),
  ));
}
