/** What a case is, the witnesses the cases return, and the ghost-state tap they use. */
import type { Property, System } from '../../src/index.ts';
import type { Node, Program } from '../../src/model/program.ts';
import type { State } from '../../src/model/state.ts';

/** A case declares its actors and returns its witnesses (`sometimes`: the race it is about is reached). */
export type Case = (sys: System) => readonly Property[];

/** `p` with the effect of its step whose label ends with `suffix` also recording ghost state: `record(before)` reads, then writes the successor. */
export function tap(p: Program, suffix: string, record: (before: State) => (after: State) => State): Program {
  if (Array.isArray(p)) return p.map((q: Program) => tap(q, suffix, record));
  const n = p as Node;
  if (n.kind === 'step' && n.spec.label.endsWith(suffix)) {
    const then = n.spec.then;
    return { kind: 'step', spec: { ...n.spec, then: (s) => { const write = record(s); return write(then ? then(s) : s); } } };
  }
  return n.kind === 'if' ? { ...n, then: tap(n.then, suffix, record), else: tap(n.else, suffix, record) } : n;
}

export const WITNESS = {
  nested: 'the transaction is T_LOCKED while the task holds its handle twice',
  ipiWaits: 'the IPI is raised while GUP-fast, interrupts off, holds a pointer into the unhooked table',
  unhooked: 'the table is unhooked while the walker holds a pointer into it',
  midWrite: 'the reader is woken while the writer is mid-write',
} as const;
