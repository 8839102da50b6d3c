/**
 * @internal Program → per-actor table of resting points (pc values) and edges.
 *
 * Compiled backwards in continuation-passing style: each construct is emitted knowing its
 * continuation. Steps become resting points with one edge; a choice is one resting point with
 * an edge per arm; branches, jumps and `ret` assignments become control continuations that the
 * explorer resolves right after the step that leads into them.
 */
import { match } from 'ts-pattern';
import { ModelError, invariant } from '../util/errors.ts';
import type { State } from './state.ts';
import type { Node, Program, StepSpec } from './program.ts';
import type { Resource } from './resource.ts';
import type { ActorRef, Var } from './vars.ts';

export interface Edge {
  /** Global id, dense over all actors: what the explorer stores per state to rebuild traces. */
  id: number;
  readonly actor: number;
  readonly label: string;
  readonly fn: string;
  /** The enclosing `call` frames, outermost first: with the label, how step coverage names the step. */
  readonly frame: readonly string[];
  /** The step's place in its actor's program text (steps counted in source order): what tells apart positions that share a call path and label. */
  readonly order: number;
  readonly when: ((s: State) => boolean) | undefined;
  readonly then: ((s: State) => State) | undefined;
  readonly blocksOn: readonly Resource[];
  /** Locks the step may take (`StepSpec.acquires`), and whether it is a trylock. */
  readonly acquires: readonly Resource[];
  readonly trylock: boolean;
  /** The step is strongly fair: its lock hands off to waiters (`StepSpec.handoff`). */
  readonly handoff: boolean;
  /** Continuation after the step. */
  readonly next: number;
  /** pc reached when `next` needs no state to resolve, else -1. */
  staticPc: number;
}

export interface Rest {
  readonly edges: Edge[];
  readonly name: string;
  /** A kthread resting here waits for work (its main loop's head, an `idle` step): blocked here it is idle, not hung. */
  idle: boolean;
  /** Some step here may sleep (`StepSpec.sleeps`). */
  readonly sleeps: boolean;
}

export type Cont =
  | { kind: 'rest'; pc: number }
  | { kind: 'end' }
  | { kind: 'jump'; to: number }
  | { kind: 'branch'; cond: (s: State) => boolean; then: number; else: number }
  | { kind: 'assign'; v: Var; value: number; next: number };

export interface CompiledActor {
  readonly ref: ActorRef;
  readonly pcSlot: number;
  readonly rests: readonly Rest[];
  /** pc value of "done" (= rests.length). */
  readonly end: number;
  /** False for programs that never finish (a `loop` with no way out): pc then needs no "done" value. */
  readonly canEnd: boolean;
  readonly conts: readonly Cont[];
  readonly entry: number;
  /** `label(name)` → the pc it rests at (labels followed by control flow are absent). */
  readonly labels: ReadonlyMap<string, number>;
}

interface Env { frames: readonly string[]; breakTo: number | undefined; retTo: number; result: Var | undefined; inLoop: boolean }

export function compileActor(ref: ActorRef, pcSlot: number, program: Program): CompiledActor {
  const rests: Rest[] = [];
  const conts: Cont[] = [{ kind: 'end' }];
  const labels = new Map<string, number>();
  const gotos: { cont: number; name: string }[] = [];
  const armOf = new Map<number, number>();   // a choice arm's first resting point -> the choice's
  const heads: number[] = [];                 // continuations at the head of a main (outermost) loop
  const add = (c: Cont): number => conts.push(c) - 1;
  const where = `actor ${ref.name}`;

  const restFor = (spec: StepSpec, next: number, env: Env, order: number): number => {
    const list = (r: Resource | readonly Resource[] | undefined): readonly Resource[] => (r === undefined ? [] : Array.isArray(r) ? r : [r as Resource]);
    const edge: Edge = {
      id: -1, actor: ref.id, label: spec.label, fn: spec.fn ?? '', frame: env.frames, order,
      when: spec.when, then: spec.then, blocksOn: list(spec.blocksOn), acquires: list(spec.acquires), trylock: spec.trylock === true, handoff: spec.handoff === true, next, staticPc: -1,
    };
    const pc = rests.push({ edges: [edge], name: spec.label, idle: spec.idle === true, sleeps: spec.sleeps === true }) - 1;
    return add({ kind: 'rest', pc });
  };

  /** `at`: the source-order number of the first step in `p`. */
  const emit = (p: Program, k: number, env: Env, at: number): number => {
    if (Array.isArray(p)) {
      const starts: number[] = [];
      for (const q of p as readonly Program[]) { starts.push(at); at += stepCount(q); }
      let c = k;
      for (let i = p.length - 1; i >= 0; i--) c = emit(p[i] as Program, c, env, starts[i]!);
      return c;
    }
    return match(p as Node)
      .with({ kind: 'step' }, (n) => restFor(n.spec, k, env, at))
      .with({ kind: 'if' }, (n) => add({ kind: 'branch', cond: n.cond, then: emit(n.then, k, env, at), else: emit(n.else, k, env, at + stepCount(n.then)) }))
      .with({ kind: 'loop' }, (n) => {
        const back = add({ kind: 'jump', to: -1 });
        const head = emit(n.body, back, { ...env, breakTo: k, inLoop: true }, at);
        (conts[back] as { to: number }).to = head;
        if (!env.inLoop) heads.push(head);
        return head;
      })
      .with({ kind: 'while' }, (n) => {
        const back = add({ kind: 'jump', to: -1 });
        const head = add({ kind: 'branch', cond: n.cond, then: -1, else: k });
        (conts[head] as { then: number }).then = emit(n.body, back, { ...env, breakTo: k, inLoop: true }, at);
        (conts[back] as { to: number }).to = head;
        if (!env.inLoop) heads.push(head);
        return head;
      })
      .with({ kind: 'label' }, (n) => {
        if (labels.has(n.name)) throw new ModelError('KMC007', `${where}: label '${n.name}' is defined twice`);
        labels.set(n.name, k);
        return k;
      })
      .with({ kind: 'goto' }, (n) => { const c = add({ kind: 'jump', to: -1 }); gotos.push({ cont: c, name: n.name }); return c; })
      .with({ kind: 'break' }, () => {
        if (env.breakTo === undefined) throw new ModelError('KMC010', where);
        return add({ kind: 'jump', to: env.breakTo });
      })
      .with({ kind: 'call' }, (n) => emit(n.body, k, { frames: [...env.frames, n.frame], breakTo: undefined, retTo: k, result: n.result, inLoop: env.inLoop }, at))
      .with({ kind: 'ret' }, (n) => {
        if (n.value === undefined) return add({ kind: 'jump', to: env.retTo });
        if (env.result === undefined) throw new ModelError('KMC005', `${where}: ret(${n.value})${env.frames.length ? ` in ${env.frames.at(-1)}` : ''}`);
        return add({ kind: 'assign', v: env.result, value: n.value, next: env.retTo });
      })
      .with({ kind: 'choice' }, (n) => {
        const firsts: number[] = [];
        let armAt = at;
        const edges = n.arms.flatMap((arm) => {
          const c = staticRest(emit(arm, k, env, armAt));
          armAt += stepCount(arm);
          if (c === undefined) throw new ModelError('KMC008', `${where}: choice arm starts with control flow`);
          firsts.push(c);
          return (rests[c] as Rest).edges.map((e) => ({ ...e }));
        });
        const pc = rests.push({ edges, name: `choice(${edges.map((e) => e.label).join(' | ')})`, idle: firsts.some((c) => (rests[c] as Rest).idle), sleeps: firsts.some((c) => (rests[c] as Rest).sleeps) }) - 1;
        for (const c of firsts) armOf.set(c, pc);
        return add({ kind: 'rest', pc });
      })
      .exhaustive();
  };

  /** Follows jumps; the pc a continuation rests at if no state is needed, else undefined. */
  const staticRest = (c: number): number | undefined => {
    for (let seen = 0; seen <= conts.length; seen++) {
      const k = conts[c] as Cont;
      if (k.kind === 'rest') return k.pc;
      if (k.kind !== 'jump' || k.to < 0) return undefined;   // control flow, or a goto not resolved yet
      c = k.to;
    }
    throw new ModelError('KMC003', `${where}: goto/loop cycle without a step`);
  };

  const entry = emit(program, 0, { frames: [], breakTo: undefined, retTo: 0, result: undefined, inLoop: false }, 0);
  for (const g of gotos) {
    const to = labels.get(g.name);
    if (to === undefined) throw new ModelError('KMC004', `${where}: goto('${g.name}'); labels: ${[...labels.keys()].join(', ') || 'none'}`);
    (conts[g.cont] as { to: number }).to = to;
  }
  checkNoControlCycle(conts, where);
  // keep only resting points the program can reach (a choice copies its arms' first steps)
  const live = new Uint8Array(rests.length), seenCont = new Uint8Array(conts.length), todo = [entry];
  while (todo.length) {
    const c = todo.pop()!;
    if (seenCont[c]) continue;
    seenCont[c] = 1;
    const k = conts[c] as Cont;
    if (k.kind === 'rest') { if (!live[k.pc]) { live[k.pc] = 1; for (const e of (rests[k.pc] as Rest).edges) todo.push(e.next); } }
    else if (k.kind === 'jump') todo.push(k.to);
    else if (k.kind === 'branch') todo.push(k.then, k.else);
    else if (k.kind === 'assign') todo.push(k.next);
  }
  // a label before an arm's first step names the choice itself
  for (const k of conts) if (k.kind === 'rest' && !live[k.pc] && armOf.has(k.pc)) k.pc = armOf.get(k.pc)!;
  const renumber = new Int32Array(rests.length).fill(-1);
  let kept = 0;
  for (let pc = 0; pc < rests.length; pc++) if (live[pc]) renumber[pc] = kept++;
  for (const k of conts) if (k.kind === 'rest') k.pc = renumber[k.pc]!;
  const reachable = rests.filter((_, pc) => live[pc]);
  rests.length = 0; rests.push(...reachable);
  const end = rests.length;
  const canEnd = entry === 0 || conts.some((k) =>
    (k.kind === 'jump' && k.to === 0) || (k.kind === 'branch' && (k.then === 0 || k.else === 0)) || (k.kind === 'assign' && k.next === 0))
    || rests.some((r) => r.edges.some((e) => e.next === 0));
  for (const r of rests) for (const e of r.edges) {
    const k = resolveStatic(conts, e.next);
    e.staticPc = k === undefined ? -1 : k === 'end' ? end : k;
  }
  if (ref.kind === 'kthread') for (const h of heads) {
    const pc = resolveStatic(conts, h);
    if (typeof pc === 'number') rests[pc]!.idle = true;
  }
  if (ref.kind !== 'kthread') for (const r of rests) r.idle = false;
  const restLabels = new Map<string, number>();
  const start = resolveStatic(conts, entry);
  if (start !== undefined) restLabels.set('@start', start === 'end' ? end : start);
  for (const [name, c] of labels) {
    const k = resolveStatic(conts, c);
    if (k !== undefined && k !== -1) restLabels.set(name, k === 'end' ? end : k);
  }
  return { ref, pcSlot, rests, end, canEnd, conts, entry, labels: restLabels };
}

const counted = new WeakMap<object, number>();
/** How many steps the text of `p` holds (a sub-program used twice counts twice). */
function stepCount(p: Program): number {
  const known = counted.get(p);
  if (known !== undefined) return known;
  const n: number = Array.isArray(p) ? (p as readonly Program[]).reduce((sum: number, q) => sum + stepCount(q), 0) : match(p as Node)
    .with({ kind: 'step' }, () => 1)
    .with({ kind: 'if' }, (q) => stepCount(q.then) + stepCount(q.else))
    .with({ kind: 'loop' }, { kind: 'while' }, { kind: 'call' }, (q) => stepCount(q.body))
    .with({ kind: 'choice' }, (q) => q.arms.reduce((sum: number, a) => sum + stepCount(a), 0))
    .with({ kind: 'label' }, { kind: 'goto' }, { kind: 'break' }, { kind: 'ret' }, () => 0)
    .exhaustive();
  counted.set(p, n);
  return n;
}

function resolveStatic(conts: readonly Cont[], c: number): number | 'end' | undefined {
  for (;;) {
    const k = conts[c] as Cont;
    if (k.kind === 'rest') return k.pc;
    if (k.kind === 'end') return 'end';
    if (k.kind !== 'jump') return undefined;
    c = k.to;
  }
}

/** Control continuations must not form a cycle that never reaches a resting point. */
function checkNoControlCycle(conts: readonly Cont[], where: string): void {
  const state = new Uint8Array(conts.length); // 0 new, 1 on stack, 2 done
  const succ = (k: Cont): number[] =>
    match(k)
      .with({ kind: 'rest' }, { kind: 'end' }, () => [])
      .with({ kind: 'jump' }, (k) => [k.to])
      .with({ kind: 'branch' }, (k) => [k.then, k.else])
      .with({ kind: 'assign' }, (k) => [k.next])
      .exhaustive();
  const visit = (c: number): void => {
    if (state[c] === 2) return;
    if (state[c] === 1) throw new ModelError('KMC003', `${where}: a loop, while or goto cycle contains no step`);
    state[c] = 1;
    for (const d of succ(conts[c] as Cont)) { invariant(d >= 0, `unpatched continuation`); visit(d); }
    state[c] = 2;
  };
  for (let c = 0; c < conts.length; c++) visit(c);
}
