/**
 * `current`: what kernel code running in a task can reach of the task itself — the fields kernel
 * paths keep in `task_struct` or on their stack (a fault's return code, `faults_disabled_mapping`,
 * whether a VMA lock was taken) — declared once per task as locals of the actor, and fresh
 * label names for code paths inlined at several call sites.
 *
 * @example
 * sys.task('dio0', (self) => {
 *   const cur = current(self);
 *   return [...handle_mm_fault(cur, buf, B.folios[0]!, { write: false })];
 * });
 */
import { int, type Domain } from '../model/domain.ts';
import { systemKey, type Self, type System } from '../model/system.ts';
import type { ActorRef, Var } from '../model/vars.ts';

export interface Current extends ActorRef {
  /** The system the task belongs to (as `self.sys`). */
  readonly sys: System;
  /** The actor's local `name`, declared on first use (later uses must give the same domain). */
  local(name: string, domain: Domain, init?: number | boolean): Var;
  /** A label name unique in this actor's program: `retry`, `retry#2`, … */
  label(base: string): string;
  /**
   * `vm_fault_t` of the last `->fault` / `->page_mkwrite`: 0, VM_FAULT_SIGBUS, or VM_FAULT_RETRY
   * (with VM_FAULT_MAJOR when the folio was not in the page cache).
   */
  readonly vmret: Var;
}

/** `VM_FAULT_SIGBUS`, as kmc stores a fault's result. */
export const VM_FAULT_SIGBUS = 1;
/**
 * `VM_FAULT_RETRY` (include/linux/mm_types.h): the handler released the fault lock (mmap_lock
 * or the VMA lock) and the caller must redo the fault. Never together with VM_FAULT_SIGBUS
 * ("We never return with VM_FAULT_RETRY and a bit from VM_FAULT_ERROR set", mm/filemap.c).
 */
export const VM_FAULT_RETRY = 2;
/**
 * `VM_FAULT_MAJOR`: the fault did not find the folio in the page cache. kmc records it only
 * where a caller reads it: with VM_FAULT_RETRY, on a VMA with a per-VMA lock
 * (arch/x86/mm/fault.c: do_user_addr_fault sets FAULT_FLAG_TRIED after a VMA-lock attempt
 * only `if (fault & VM_FAULT_MAJOR)`).
 */
export const VM_FAULT_MAJOR = 4;

/** Each task's `current` (its entry in `sys.registry`). */
const CURRENT = systemKey<Map<Self, Current>>('current', () => new Map());

/** The kernel context of an actor (one per actor: every call returns the same). */
export function current(self: Self): Current {
  const cache = self.sys.registry.get(CURRENT);
  let cur = cache.get(self);
  if (cur !== undefined) return cur;
  const locals = new Map<string, Var>();
  const count = new Map<string, number>();
  const local = (name: string, domain: Domain, init?: number | boolean): Var => {
    let v = locals.get(name);
    if (v === undefined) { v = self.local(name, domain, init); locals.set(name, v); }
    return v;
  };
  cur = {
    id: self.id, name: self.name, kind: self.kind, fairness: self.fairness, sys: self.sys,
    local,
    label: (base) => { const k = (count.get(base) ?? 0) + 1; count.set(base, k); return k === 1 ? base : `${base}#${k}`; },
    get vmret() { return local('vmret', int(0, VM_FAULT_SIGBUS | VM_FAULT_RETRY | VM_FAULT_MAJOR)); },
  };
  cache.set(self, cur);
  return cur;
}
