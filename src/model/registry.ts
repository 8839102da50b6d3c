/**
 * Per-system state of a library: what the kernel library records while a model's `setup`
 * declares things (the contexts, the locks and their lockdep classes, RCU's readers, the rules
 * it added, …). Each library module owns one typed key; `sys.registry.get(key)` returns that
 * module's entry, created by the key on first use. An entry lives as long as its system — one
 * instantiation of one model — so two systems built in one process never share state, and no
 * library module keeps any at module level.
 *
 * @example
 * interface RcuState { readonly readers: Var; readonly waits: Var[] }
 * const RCU = registryKey<RcuState>('rcu', (sys) => ({ readers: sys.var('rcu.readers', actorSet()), waits: [] }));
 * const r = self.sys.registry.get(RCU);   // the same record for every caller in this system
 */

/** A library module's key: its name (for messages) and how its entry is made for a system. */
export interface RegistryKey<T, O> {
  readonly name: string;
  readonly create: (owner: O) => T;
}

/** A key whose entry `create(owner)` makes the first time `registry.get(key)` asks for it. */
export const registryKey = <T, O>(name: string, create: (owner: O) => T): RegistryKey<T, O> => ({ name, create });

/** The entries of one owner (a `System`), one per key. */
export class Registry<O> {
  readonly #owner: O;
  readonly #entries = new Map<RegistryKey<unknown, O>, unknown>();

  constructor(owner: O) { this.#owner = owner; }

  /** The entry of `key`, created on first use. */
  get<T>(key: RegistryKey<T, O>): T {
    if (this.#entries.has(key)) return this.#entries.get(key) as T;
    const v = key.create(this.#owner);
    this.#entries.set(key, v);
    return v;
  }

  /** The entry of `key` if something created it, without creating it. */
  peek<T>(key: RegistryKey<T, O>): T | undefined {
    return this.#entries.get(key) as T | undefined;
  }
}
