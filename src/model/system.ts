/**
 * The builder a model's `setup` receives: it declares the state's fields and the actors.
 *
 * @example
 * setup({ n }, sys) {
 *   const fork = sys.array('fork', n, owner());
 *   for (let i = 0; i < n; i++)
 *     sys.task(`phil${i}`, (self) => loop(mutex_lock(fork, i, self), …));
 *   return [never('…', (s) => …)];
 * }
 */
import { ModelError } from '../util/errors.ts';
import { NONE, type Domain } from './domain.ts';
import { guarded, type Program } from './program.ts';
import { Registry, registryKey, type RegistryKey } from './registry.ts';
import type { Property } from './property.ts';
import type { Resource } from './resource.ts';
import type { State } from './state.ts';
import type { ActorRef, ArrayVar, Fairness, Field, Var } from './vars.ts';
import { SymmetricGroup, type DeclaredSymmetry, type SymmetryKind, type SymmetryOptions } from './symmetry.ts';

type Init = number | boolean;

/** A library module's key into `sys.registry` (see `registry.ts`). */
export type SystemKey<T> = RegistryKey<T, System>;
/** A library module's key: `create(sys)` makes its entry for a system the first time it is asked for. */
export const systemKey = <T>(name: string, create: (sys: System) => T): SystemKey<T> => registryKey(name, create);

/** What an actor's program builder gets: its identity and a way to declare locals. */
export interface Self extends ActorRef {
  /** Declares a variable of this actor (a local, `err`, a loop counter), stored in the state. */
  local(name: string, domain: Domain, init?: Init): Var;
  /** The system the actor belongs to (for library code that declares shared state lazily). */
  readonly sys: System;
}

/**
 * Where an actor runs when it shares a CPU with others (`sys.task(name, build, { on: cpu0 })`):
 * each of its steps is enabled only while `when` holds — the CPU is not running an interrupt
 * handler or another task's non-preemptible section — and meanwhile the actor waits on
 * `resource`. Declared by the kernel library (`cpu()` in src/kernel/context.ts).
 */
export interface Placement {
  runs(self: Self): { readonly when: (s: State) => boolean; readonly resource: Resource } | undefined;
}

export interface ActorOptions {
  readonly fairness?: Fairness;
  /** The CPU (or context) the actor runs on; without it the actor interleaves freely, as on a CPU of its own. */
  readonly on?: Placement;
}

/** @internal One declared actor, before compilation. */
export interface DeclaredActor { readonly ref: ActorRef; readonly pcSlot: number; readonly program: Program }

/** @internal Everything `setup` declared. */
export interface Declarations {
  readonly fields: readonly Field[];
  /** Initial value per slot (pc slots are 0 until the explorer resolves the entry). */
  readonly init: readonly number[];
  /** Domain per slot; `undefined` for pc slots (sized after compilation). */
  readonly slotDomain: readonly (Domain | undefined)[];
  readonly slotName: readonly string[];
  readonly actors: readonly DeclaredActor[];
  /** Properties the library added (`builtin`). */
  readonly builtins: readonly Property[];
  /** Interchangeable actors (`symmetric`), if declared. */
  readonly symmetry?: DeclaredSymmetry;
}

const defaultInit = (d: Domain): number =>
  d.kind === 'owner' ? NONE : d.kind === 'int' ? (d.min <= 0 && d.max >= 0 ? 0 : d.min) : 0;

export class System {
  readonly #fields: Field[] = [];
  readonly #init: number[] = [];
  readonly #slotDomain: (Domain | undefined)[] = [];
  readonly #slotName: string[] = [];
  readonly #actors: DeclaredActor[] = [];
  readonly #names = new Set<string>();
  readonly #builtins = new Map<string, Property>();
  #symmetry: SymmetricGroup | undefined;
  /** The member whose `member(i, …)` is running: what is declared now belongs to it. */
  #member: number | undefined;

  /**
   * The per-system state of the libraries a model uses (the kernel library's contexts, locks,
   * RCU, lockdep, …): one entry per module key, created on first use (`registry.ts`).
   */
  readonly registry: Registry<System> = new Registry<System>(this);

  #sealed = false;

  #claim(name: string): void {
    // a variable declared by a guard, an effect or a property would have no slot in the states: every read of it a silent `undefined`
    if (this.#sealed) throw new ModelError('KMC014', `'${name}' is declared after setup (by a guard, an effect or a property): declare every variable in setup or in the actor's program builder`);
    if (this.#names.has(name)) throw new ModelError('KMC007', `'${name}' is declared twice`);
    this.#names.add(name);
  }

  #slot(name: string, d: Domain | undefined, init: number): number {
    this.#slotName.push(name); this.#slotDomain.push(d);
    const slot = this.#init.push(init) - 1;
    if (this.#member !== undefined) this.#symmetry!.declared.members[this.#member]!.slots.push(slot);
    return slot;
  }

  #scalar(name: string, domain: Domain, init: Init | undefined, actor: number | undefined): Var {
    const slot = this.#slot(name, domain, init === undefined ? defaultInit(domain) : Number(init));
    const v: Var = { kind: 'var', name, domain, slot, actor };
    this.#fields.push(v);
    return v;
  }

  /** A global scalar field. */
  var(name: string, domain: Domain, init?: Init): Var {
    this.#claim(name);
    return this.#scalar(name, domain, init, undefined);
  }

  /** A global array field `name[0..length-1]`; `init` may be a value or a function of the index. */
  array(name: string, length: number, domain: Domain, init?: Init | ((i: number) => Init)): ArrayVar {
    this.#claim(name);
    if (!Number.isInteger(length) || length < 1) throw new ModelError('KMC013', `array '${name}': length ${length}`);
    let slot = -1;
    for (let i = 0; i < length; i++) {
      const x = typeof init === 'function' ? init(i) : init;
      const s = this.#slot(`${name}[${i}]`, domain, x === undefined ? defaultInit(domain) : Number(x));
      if (i === 0) slot = s;
    }
    const v: ArrayVar = { kind: 'array', name, domain, slot, length, actor: undefined };
    this.#fields.push(v);
    return v;
  }

  /** A task: runs its program and must terminate (blocked forever = deadlock). Weakly fair unless told otherwise. */
  task(name: string, build: (self: Self) => Program, opts: ActorOptions = {}): ActorRef { return this.#actor(name, 'task', build, opts); }

  /** A kernel thread (writeback, a device, an interrupt handler): may loop forever and may idle blocked. */
  kthread(name: string, build: (self: Self) => Program, opts: ActorOptions = {}): ActorRef { return this.#actor(name, 'kthread', build, opts); }

  /**
   * A property the library adds to every model that uses it (lockdep's rules): checked like the
   * model's own, once however often it is added. A model turns it off by name
   * (`defineModel({ builtins: { 'invalid context': false } })`).
   */
  builtin(p: Property): void {
    if (!this.#builtins.has(p.name)) this.#builtins.set(p.name, p);
  }

  /**
   * Declares `n` interchangeable members (see `symmetry.ts`): what `group.member(i, …)`
   * declares belongs to member i, and `kmc check --symmetry` explores the states up to a
   * permutation (`'permutation'`) or a rotation (`'rotation'`) of the members. One group per model.
   *
   * @example
   * const g = sys.symmetric('permutation', tasks);
   * for (let t = 0; t < tasks; t++) g.member(t, () => { const f = file(sys, `F${t}`); sys.task(`dio${t}`, dio(f)); });
   */
  symmetric(kind: SymmetryKind, n: number, opts: SymmetryOptions = {}): SymmetricGroup {
    if (this.#symmetry !== undefined) throw new ModelError('KMC013', `symmetric: a model declares one group of interchangeable actors`);
    this.#symmetry = new SymmetricGroup(kind, n, opts, (i) => {
      if (i !== undefined && this.#member !== undefined) throw new ModelError('KMC013', `symmetric: member(${i}, …) inside member(${this.#member}, …)`);
      this.#member = i;
    });
    return this.#symmetry;
  }

  #actor(name: string, kind: 'task' | 'kthread', build: (self: Self) => Program, opts: ActorOptions): ActorRef {
    const fairness = opts.fairness ?? 'weak';
    if (this.#actors.length >= 32) throw new ModelError('KMC013', `at most 32 actors ('${name}' is the 33rd)`);
    this.#claim(name);
    const id = this.#actors.length;
    if (this.#member !== undefined) this.#symmetry!.declared.members[this.#member]!.actors.push(id);
    const pcSlot = this.#slot(`${name}.pc`, undefined, 0);
    const ref: ActorRef = { id, name, kind, fairness };
    const self: Self = {
      ...ref,
      sys: this,
      local: (local, domain, init) => {
        this.#claim(`${name}.${local}`);
        return this.#scalar(`${name}.${local}`, domain, init, id);
      },
    };
    const runs = opts.on?.runs(self), program = build(self);
    this.#actors.push({ ref, pcSlot, program: runs ? guarded(program, runs.when, runs.resource) : program });
    return ref;
  }

  /** @internal Ends the declarations: the state layout is fixed from here on. */
  seal(): void { this.#sealed = true; }

  /** @internal */
  declarations(): Declarations {
    return { fields: this.#fields, init: this.#init, slotDomain: this.#slotDomain, slotName: this.#slotName, actors: this.#actors, builtins: [...this.#builtins.values()], ...(this.#symmetry ? { symmetry: this.#symmetry.declared } : {}) };
  }
}
