/**
 * Reads a saved ITF trace (`counterexamples/*.itf.json`, the `trace` of `kmc check --json`, or
 * the whole `kmc check --json` document, whose `trace` it takes) for `kmc view` and `kmc replay`. A file that is not one is a usage error naming the file and
 * what is wrong with it, never a partial read.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { escapeControls } from '../util/escape.ts';
import { UsageError } from '../util/errors.ts';
import type { Itf } from './itf.ts';

/** The largest trace kmc reads (a 10^5-step counterexample of a small model, as kmc check --json writes it, is about 40 MiB). */
export const MAX_ITF_BYTES = 128 * 1024 * 1024;
/** The deepest nesting of arrays and objects in a trace (kmc writes fewer than ten levels). */
export const MAX_ITF_DEPTH = 64;

/** The first `max` bytes of `file` and whether there was more (a device like /dev/zero never ends). */
function readBounded(file: string, max: number): { text: string; more: boolean } {
  const fd = openSync(file, 'r'), chunks: Buffer[] = [];
  try {
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total)), n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max) return { text: '', more: true };
    }
  } finally {
    closeSync(fd);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), more: false };
}

/** How deep arrays and objects nest in JSON `text`, up to the first place it exceeds `max` (then max + 1); linear, no recursion. */
export function nesting(text: string, max: number): number {
  let depth = 0, deepest = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) { if (++depth > deepest && (deepest = depth) > max) return deepest; }
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Every string of a parsed document (keys too) with its control characters escaped: a trace is data, shown, never obeyed. */
function shown(x: unknown): unknown {
  if (typeof x === 'string') return escapeControls(x);
  if (Array.isArray(x)) return x.map(shown);
  if (typeof x !== 'object' || x === null) return x;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(x)) Object.defineProperty(out, escapeControls(k), { value: shown(v), enumerable: true, writable: true, configurable: true });
  return out;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The ITF document in `file`, its shape checked (`#meta`, `vars`, a non-empty `states`, `loop`). */
export function readItf(file: string): Itf {
  let read: { text: string; more: boolean };
  try {
    read = readBounded(file, MAX_ITF_BYTES);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (read.more) throw new UsageError(`${file}: larger than ${MAX_ITF_BYTES / 1024 / 1024} MiB, more than a trace kmc reads`);
  if (nesting(read.text, MAX_ITF_DEPTH) > MAX_ITF_DEPTH) throw new UsageError(`${file}: not an ITF trace: nested deeper than ${MAX_ITF_DEPTH} levels`);
  let doc: unknown;
  try {
    doc = shown(JSON.parse(read.text));
  } catch (err) {
    throw new UsageError(`${file}: not JSON (${escapeControls(err instanceof Error ? err.message : String(err))})`);
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
