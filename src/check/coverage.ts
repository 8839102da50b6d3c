/**
 * Step coverage (SPIN's "unreached in proctype", TLC's action coverage): after a search that
 * exhausted the space, the steps that never fired, each by its actor, its call path (the
 * enclosing `call` frames) and its label. A step that never fires means the window the model was
 * written for is not in it, and a "holds" over it is hollow; a model says which of its steps may
 * stay unreached, and why (`Model.mayBeUnreached`).
 *
 * **Names.** A program position is named `actor: frame > … > frame > label`
 * (`user: handle_mm_fault > do_wp_page > wp_page_shared > folio_lock(A)`); positions of one
 * actor that still share the call path and label are numbered in the order of the program text
 * (`…#1`, `…#2`).
 *
 * **Keys.** A `mayBeUnreached` key that is a position's name names that position alone. Any
 * other key abbreviates names, and names every position whose name it abbreviates: the actor
 * left out, the call path cut to its innermost frames or left out, the number left out
 * (`user: filemap_fault > folio_lock(A)`, `user: folio_lock(A)` where the user has no top-level
 * `folio_lock(A)`, `folio_lock(A)`). A key must single out the positions it excuses: one that
 * also names a position that fired excuses nothing and is an error of the model (give the call
 * path), and so is a key that names no step at all (a stale excuse).
 */
import type { Instance } from '../state/instance.ts';

export interface UnreachedStep {
  readonly actor: string;
  /** The resting point's name (a choice's is `choice(…)`), and its index in the actor's program. */
  readonly at: string;
  readonly pc: number;
  readonly label: string;
  /** The enclosing `call` frames, outermost first. */
  readonly path: readonly string[];
  /** `actor: frame > … > label`, numbered (`#2`) where positions share the path and label: how coverage lists the step and how `mayBeUnreached` can name it exactly. */
  readonly name: string;
  /** The kernel function the step models. */
  readonly fn: string;
  /** Why the model says it may stay unreached, if it says so (`Model.mayBeUnreached`). */
  readonly reason?: string;
}

/** A program position: a step of the program text a resting point offers; `number` where positions share the path and label. */
interface Position extends Omit<UnreachedStep, 'reason'> { readonly order: number; readonly edges: readonly number[]; readonly number: number | undefined }

/** Every program position of `inst`'s actors (one per step of the program text that a resting point offers), named. */
function positionsOf(inst: Instance): Position[] {
  const out: Position[] = [];
  for (const a of inst.actors) {
    const mine: Omit<Position, 'name' | 'number'>[] = [];
    for (const [pc, rest] of a.rests.entries()) {
      const byOrder = new Map<number, number[]>();
      for (const e of rest.edges) (byOrder.get(e.order) ?? byOrder.set(e.order, []).get(e.order)!).push(e.id);
      for (const [order, edges] of byOrder) {
        const e = rest.edges.find((x) => x.order === order)!;
        mine.push({ actor: a.ref.name, at: rest.name, pc, label: e.label, path: e.frame, fn: e.fn, order, edges });
      }
    }
    const base = (p: Pick<Position, 'actor' | 'path' | 'label'>): string => `${p.actor}: ${[...p.path, p.label].join(' > ')}`;
    const shared = new Map<string, Omit<Position, 'name' | 'number'>[]>();
    for (const p of mine) (shared.get(base(p)) ?? shared.set(base(p), []).get(base(p))!).push(p);
    for (const same of shared.values()) same.sort((x, y) => x.order - y.order || x.pc - y.pc);
    for (const p of mine) {
      const same = shared.get(base(p))!, number = same.length > 1 ? same.indexOf(p) + 1 : undefined;
      out.push({ ...p, number, name: number === undefined ? base(p) : `${base(p)}#${number}` });
    }
  }
  return out;
}

/** The abbreviations of a position's name (its name among them): the actor left out, the call path cut to its innermost frames or left out, the number left out. */
function keysOf(p: Position): string[] {
  const keys: string[] = [];
  for (let i = 0; i <= p.path.length; i++) {
    const tail = [...p.path.slice(i), p.label].join(' > ');
    for (const t of p.number === undefined ? [tail] : [tail, `${tail}#${p.number}`]) keys.push(`${p.actor}: ${t}`, t);
  }
  return keys;
}

/** What the model's `mayBeUnreached` makes of `inst`'s positions, given which fired: each unreached position's reasons (every key that names it gives one, joined by "; "), and each key that is wrong. */
function judge(inst: Instance, fired: (p: Position) => boolean): { positions: Position[]; fired: Set<Position>; reasons: Map<Position, string>; errors: string[] } {
  const positions = positionsOf(inst), done = new Set(positions.filter(fired));
  const excused = inst.model.mayBeUnreached?.(inst.params as never) ?? {};
  const named = new Map<string, Position[]>();
  for (const p of positions) for (const k of new Set(keysOf(p))) (named.get(k) ?? named.set(k, []).get(k)!).push(p);
  const given = new Map<Position, Set<string>>(), errors: string[] = [];
  const exact = new Map(positions.map((p) => [p.name, [p]]));
  for (const [key, reason] of Object.entries(excused)) {
    const all = exact.get(key) ?? named.get(key) ?? [], firing = all.filter((p) => done.has(p));
    if (all.length === 0) { errors.push(`mayBeUnreached key '${key}' names no step: remove the stale excuse`); continue; }
    if (firing.length > 0) {
      errors.push(firing.length === all.length
        ? `mayBeUnreached key '${key}' names only positions that fire (${firing.map((p) => p.name).join('; ')}): remove the excuse`
        : `mayBeUnreached key '${key}' also names ${firing.length > 1 ? `${firing.length} positions that fire` : '1 position that fires'} (${firing.map((p) => p.name).join('; ')}): give the call path`);
      continue;
    }
    for (const p of all) (given.get(p) ?? given.set(p, new Set()).get(p)!).add(reason);
  }
  const reasons = new Map([...given].map(([p, rs]) => [p, [...rs].join('; ')]));
  return { positions, fired: done, reasons, errors };
}

const unreached = ({ positions, fired, reasons }: ReturnType<typeof judge>): UnreachedStep[] =>
  positions.filter((p) => !fired.has(p)).map((p) => {
    const { order: _order, edges: _edges, number: _number, ...step } = p, reason = reasons.get(p);
    return { ...step, ...(reason === undefined ? {} : { reason }) };
  });

/** The steps of `inst` whose edges never fired (`fired[edge] === 0`), actor by actor in pc order, with the model's reasons where a key of its `mayBeUnreached` singles them out. */
export function unreachedSteps(inst: Instance, fired: Uint8Array): UnreachedStep[] {
  return unreached(judge(inst, (p) => p.edges.some((e) => fired[e] !== 0)));
}

/**
 * The `mayBeUnreached` keys that are wrong after a search whose unreached steps are `steps`: a
 * key that names no step, or that also names a position that fired. None without coverage.
 */
export function keyErrors(inst: Instance, steps: readonly UnreachedStep[] | undefined): string[] {
  if (steps === undefined) return [];
  const left = new Set(steps.map((s) => s.name));
  return judge(inst, (p) => !left.has(p.name)).errors;
}

/** The name of every program position of `inst`'s actors, actor by actor in pc order: what a `mayBeUnreached` key can name. */
export const stepNames = (inst: Instance): string[] => positionsOf(inst).map((p) => p.name);

/** How a step is listed, and the key that names it exactly: `actor: frame > … > label`, numbered (`#2`) where positions share the path and label. */
export const stepName = (s: Pick<UnreachedStep, 'name'>): string => s.name;

/** The unreached steps the model does not excuse. */
export const unexcused = (steps: readonly UnreachedStep[] | undefined): readonly UnreachedStep[] => (steps ?? []).filter((s) => s.reason === undefined);
