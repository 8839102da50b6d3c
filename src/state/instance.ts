/**
 * @internal A model instantiated for one choice of parameters: compiled actors, the state
 * layout and the properties. This is what explorers take; it knows nothing about exploring.
 */
import { modelLabel } from '../model/source.ts';
import { ModelError, UsageError } from '../util/errors.ts';
import { int, type Domain, type DomainContext } from '../model/domain.ts';
import { compileActor, type CompiledActor, type Edge } from '../model/compile.ts';
import { describeParam, parseParam, type ParamSpecs } from '../model/params.ts';
import { System } from '../model/system.ts';
import { makeLayout, type Layout } from './layout.ts';
import type { Model } from '../model/define-model.ts';
import type { Field } from '../model/vars.ts';
import { DEADLOCK, type Property } from '../model/property.ts';
import { resolveGroup, type Group } from './group.ts';

export interface Instance {
  readonly model: Model;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly actors: readonly CompiledActor[];
  /** All edges, indexed by `Edge.id`. */
  readonly edges: readonly Edge[];
  readonly fields: readonly Field[];
  readonly layout: Layout;
  /** Slot values before the actors' entry control flow is resolved. */
  readonly rawInit: Int32Array;
  readonly properties: readonly Property[];
  readonly ctx: DomainContext;
  /** Domain per slot (pc slots included). */
  readonly slotDomain: readonly Domain[];
  /** The interchangeable actors the model declares (`sys.symmetric`), used by `--symmetry`. */
  readonly symmetry?: Group;
}

/** Resolves `--param` strings against the model's declared parameters. */
export function resolveParams(model: Model, raw: Readonly<Record<string, string | number | boolean>>): Record<string, number | boolean | string> {
  const specs: ParamSpecs = model.params;
  const out: Record<string, number | boolean | string> = {};
  for (const [k, p] of Object.entries(specs)) {
    if ('error' in parseParam(k, p, String(p.default)))
      throw new ModelError('KMC013', `model '${model.name}': parameter ${k}: default ${String(p.default)} is not one of ${describeParam(p)}`);
    out[k] = p.default;
  }
  for (const [k, v] of Object.entries(raw)) {
    const p = specs[k];
    if (p === undefined) {
      const known = Object.entries(specs).map(([n, s]) => `${n}=${describeParam(s)}`).join(', ');
      throw new UsageError(`--param ${k}: model '${model.name}' has no such parameter (it has: ${known || 'none'})`);
    }
    const r = parseParam(k, p, String(v));
    if ('error' in r) throw new UsageError(r.error);
    out[k] = r.value;
  }
  return out;
}

export function instantiate(model: Model, params: Readonly<Record<string, number | boolean | string>> = resolveParams(model, {})): Instance {
  const sys = new System();
  let properties: readonly Property[];
  try {
    properties = model.setup(params as never, sys) ?? [];
  } catch (err) {
    if (err instanceof ModelError) throw new ModelError(err.code, `${err.detail} [in ${modelLabel(model)}]`);
    throw new ModelError('KMC016', `${modelLabel(model)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const d = sys.declarations();
  const off = model.builtins ?? {};
  for (const name of Object.keys(off))
    if (!d.builtins.some((b) => b.name === name)) throw new ModelError('KMC013', `model '${model.name}': builtins: no built-in property '${name}' (built in here: ${d.builtins.map((b) => `'${b.name}'`).join(', ') || 'none'})`);
  properties = [...properties, ...d.builtins.filter((b) => off[b.name] !== false)];
  const names = new Set<string>([DEADLOCK]);
  for (const p of properties) {
    if (names.has(p.name)) throw new ModelError('KMC007', `model '${model.name}': two properties named '${p.name}'${p.name === DEADLOCK ? ' (deadlock is built in)' : ''}`);
    names.add(p.name);
  }
  const actors = d.actors.map((a) => compileActor(a.ref, a.pcSlot, a.program));
  sys.seal();
  const edges: Edge[] = [];
  for (const a of actors) for (const r of a.rests) for (const e of r.edges) { e.id = edges.length; edges.push(e); }
  const ctx: DomainContext = { actors: d.actors.map((a) => a.ref.name) };
  const pcDomain = (a: CompiledActor): Domain => int(0, a.canEnd ? a.end : Math.max(0, a.end - 1));
  const slotDomain = d.slotDomain.map((dom, i) => dom ?? pcDomain(actors.find((a) => a.pcSlot === i) as CompiledActor));
  const layout = makeLayout(slotDomain, d.slotName, ctx);
  const symmetry = d.symmetry && resolveGroup(d.symmetry, d.fields, slotDomain, d.slotName, actors);
  return { model, params, actors, edges, fields: d.fields, layout, rawInit: Int32Array.from(d.init), properties, ctx, slotDomain, ...(symmetry ? { symmetry } : {}) };
}
