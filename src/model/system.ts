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
import type { Program } from './program.ts';
import type { ActorRef, ArrayVar, Fairness, Field, Var } from './vars.ts';

type Init = number | boolean;

/** What an actor's program builder gets: its identity and a way to declare locals. */
export interface Self extends ActorRef {
  /** Declares a variable of this actor (a local, `err`, a loop counter), stored in the state. */
  local(name: string, domain: Domain, init?: Init): Var;
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

  #claim(name: string): void {
    if (this.#names.has(name)) throw new ModelError('KMC007', `'${name}' is declared twice`);
    this.#names.add(name);
  }

  #slot(name: string, d: Domain | undefined, init: number): number {
    this.#slotName.push(name); this.#slotDomain.push(d); return this.#init.push(init) - 1;
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
  task(name: string, build: (self: Self) => Program, opts: { fairness?: Fairness } = {}): ActorRef { return this.#actor(name, 'task', build, opts.fairness ?? 'weak'); }

  /** A kernel thread (writeback, a device): may loop forever and may idle blocked. */
  kthread(name: string, build: (self: Self) => Program, opts: { fairness?: Fairness } = {}): ActorRef { return this.#actor(name, 'kthread', build, opts.fairness ?? 'weak'); }

  #actor(name: string, kind: 'task' | 'kthread', build: (self: Self) => Program, fairness: Fairness): ActorRef {
    if (this.#actors.length >= 32) throw new ModelError('KMC013', `at most 32 actors ('${name}' is the 33rd)`);
    this.#claim(name);
    const id = this.#actors.length;
    const pcSlot = this.#slot(`${name}.pc`, undefined, 0);
    const ref: ActorRef = { id, name, kind, fairness };
    const self: Self = {
      ...ref,
      local: (local, domain, init) => {
        this.#claim(`${name}.${local}`);
        return this.#scalar(`${name}.${local}`, domain, init, id);
      },
    };
    this.#actors.push({ ref, pcSlot, program: build(self) });
    return ref;
  }

  /** @internal */
  declarations(): Declarations {
    return { fields: this.#fields, init: this.#init, slotDomain: this.#slotDomain, slotName: this.#slotName, actors: this.#actors };
  }
}
