/**
 * Reads a saved ITF trace (`counterexamples/*.itf.json`, the `trace` of `kmc check --json`, or
 * the whole `kmc check --json` document, whose `trace` it takes) for `kmc view` and `kmc replay`. A file that is not one is a usage error naming the file and
 * what is wrong with it, never a partial read.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../util/errors.ts';
import type { Itf } from './itf.ts';

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The ITF document in `file`, its shape checked (`#meta`, `vars`, a non-empty `states`, `loop`). */
export function readItf(file: string): Itf {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const bad = (what: string): never => { throw new UsageError(`${file}: not an ITF trace: ${what}`); };
  if (!isRecord(doc)) return bad('expected a JSON object');
  if (typeof doc['model'] === 'string' && 'verdict' in doc && 'trace' in doc && !Array.isArray(doc['states'])) {
    // `kmc check --json > FILE`: the report, whose trace is the ITF document
    if (doc['trace'] === null) throw new UsageError(`${file}: a kmc check report without a trace (its verdict has no counterexample)`);
    doc = doc['trace'];
    if (!isRecord(doc)) return bad('the report\'s trace is not a JSON object');
  }
  const { states, vars, loop } = doc;
  const meta = doc['#meta'] ?? {};
  if (!isRecord(meta)) return bad('#meta is not an object');
  if (!Array.isArray(vars) || !vars.every((v) => typeof v === 'string')) return bad('vars is not a list of names');
  if (!Array.isArray(states) || states.length === 0) return bad('states is not a non-empty list');
  states.forEach((s, i) => { if (!isRecord(s)) bad(`state ${i} is not an object`); });
  if (loop !== undefined && !(Number.isInteger(loop) && (loop as number) >= 0 && (loop as number) < states.length))
    return bad(`loop ${JSON.stringify(loop)} is not the index of a state (0..${states.length - 1})`);
  return { '#meta': meta, vars: vars as string[], states: states as Record<string, unknown>[], ...(loop !== undefined ? { loop: loop as number } : {}) };
}

/** A state's `#meta` (an empty object when it has none). */
export const stateMeta = (s: Record<string, unknown>): Record<string, unknown> => (isRecord(s['#meta']) ? s['#meta'] : {});

/** The step that led to state `i` (1-based steps: state i follows step i), as kmc writes it. */
export interface ItfStep { readonly actor: string; readonly action: string; readonly fn: string }

/** The steps of a trace written by kmc; a state without its step is a usage error naming it. */
export function itfSteps(file: string, itf: Itf): ItfStep[] {
  return itf.states.slice(1).map((s, i) => {
    const m = stateMeta(s);
    if (typeof m['actor'] !== 'string' || typeof m['action'] !== 'string')
      throw new UsageError(`${file}: state ${i + 1} has no #meta.actor and #meta.action (the step that led to it, which kmc writes)`);
    return { actor: m['actor'], action: m['action'], fn: typeof m['fn'] === 'string' ? m['fn'] : '' };
  });
}
