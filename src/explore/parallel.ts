/**
 * @internal `--workers N`: a search run by N threads, one part each (`part.ts`), over shared
 * memory: the main thread runs part 0 (its memo already warm) and N - 1 worker threads run the
 * others. Workers load the model again from its file (`model/source.ts`) and build their own
 * memos; the main thread hands them the search, shows progress from the shared board, asks them
 * to stop, and collects how it ended.
 *
 * Messages go over MessagePorts read with `receiveMessageOnPort`, so that the synchronous
 * `check()` can run a team too (the main thread sleeps with `Atomics.wait` between polls).
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { ModelError } from '../util/errors.ts';
import { abort } from './barrier.ts';
import { Counters, createMemory, gather, type End, type Event, type Found, type Gathered, type Memory, type Part, type Resume } from './part.ts';
import type { ModelSource } from '../model/source.ts';
import type { Declaration } from './declaration.ts';

/** What a worker needs to build the same instance the main thread checks. */
export interface TeamSpec {
  readonly source: ModelSource;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  /** The properties to check, by name, in the checker's order. */
  readonly properties: readonly string[];
  readonly deadlock: boolean;
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly reduce: boolean;
  /** With `reduce`: `PorOptions.dependence`. */
  readonly dependence: 'static' | 'state';
  /** Go on past violations until every property has its first (`part.ts`). */
  readonly discover: boolean;
  readonly exhaust: boolean;
  readonly slotsOnly: boolean;
  /** The main thread's model, fingerprinted (`declaration.ts`): a worker that loads another stops the run. */
  readonly declaration?: Declaration;
  /** Keep lockdep's record of lock acquisitions in shared memory (`SharedAcquisitions`). */
  readonly acquisitions: boolean;
}

/** A search for one worker: what to build, and which part it runs (1 to parts - 1: part 0 is the main thread's). */
export interface Job { readonly id: number; readonly spec: TeamSpec; readonly part: number; readonly parts: number }

/** After `ready`: the search handed over, or the search is off (it ended in the main thread first). */
export type Go = { readonly mem: Memory; readonly resume: Resume } | { readonly cancel: true };

/** An error as it crosses threads. */
export interface Wire { readonly model: boolean; readonly code?: string; readonly detail?: string; readonly located?: boolean; readonly message: string; readonly stack?: string }

export const toWire = (err: unknown): Wire =>
  err instanceof ModelError ? { model: true, code: err.code, detail: err.detail, located: err.located, message: err.message }
    : { model: false, message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack } : {}) };

export const fromWire = (w: Wire): Error => {
  if (w.model) return new ModelError(w.code as ModelError['code'], w.detail!, w.located);
  const e = new Error(w.message);
  if (w.stack) e.stack = w.stack;
  return e;
};

export type WireEvent = Exclude<Event, { kind: 'error' }> | { readonly kind: 'error'; readonly error: Wire };

export type Message = { readonly job: number } & (
  | { readonly kind: 'ready'; readonly part: number }
  | {
    readonly kind: 'done'; readonly part: number; readonly end: End; readonly counters: Counters; readonly event: WireEvent | undefined; readonly pending: Part['pending'];
    readonly found: readonly (Found | undefined)[]; readonly fired: Uint8Array; readonly kept: number;
  }
  | { readonly kind: 'crash'; readonly part: number; readonly error: Wire });

/** How the team's search ended, with the payloads of the part that found its event. */
export interface TeamEnd {
  readonly end: End; readonly counters: Counters; readonly event: Event | undefined; readonly pending: Part['pending'];
  /** Every part's discoveries and fired steps (`discover`). */
  readonly gathered: Gathered;
  /** Per part: the transitions its record of lock acquisitions holds. */
  readonly kept: readonly number[];
}

/**
 * The worker's entry, next to this file: TypeScript in a checkout (run through tsx, which the
 * worker registers first, resolved from here: an eval'd worker resolves from nowhere in
 * particular), JavaScript in an installed package.
 */
function boot(): string {
  const here = fileURLToPath(import.meta.url), ext = extname(here), entry = JSON.stringify(new URL(`./bfs-worker${ext}`, import.meta.url).href);
  if (ext !== '.ts') return `import(${entry})`;
  const tsx = JSON.stringify(pathToFileURL(createRequire(here).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href);
  return `import(${tsx}).then(({ register }) => { register(); return import(${entry}); })`;
}

/** A worker thread and the port it talks on. */
interface Hand { readonly worker: Worker; readonly port: MessagePort }

/** Idle workers, kept (unref'd: they never hold the process up) for the next team. */
const pool: Hand[] = [];
let jobs = 0;

function hire(): Hand {
  const idle = pool.pop();
  if (idle) return idle;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(boot(), { eval: true, workerData: { port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  // a worker that fails before it is handed the search never says ready: the search stays in this thread
  worker.on('error', () => {});
  return { worker, port: port1 };
}

let formed = 0;
/** Teams this process has formed (tests: whether a search started its workers). */
export const teamsFormed = (): number => formed;

/** What a part says when its search ended (`done`, without the job). */
export type Done = Omit<Extract<Message, { kind: 'done' }>, 'job'>;

/** The `done` word of a part whose search ended (`record`: its share of lockdep's record). */
export function doneOf(part: Part, record: { readonly kept: number } | undefined): Done {
  const end = part.end!, mine = (end.kind === 'event' || end.kind === 'pending') && end.part === part.index;
  const ev = part.payload();
  return {
    kind: 'done', part: part.index, end, counters: part.counters,
    event: ev === undefined ? undefined : ev.kind === 'error' ? { kind: 'error', error: toWire(ev.error) } : ev,
    pending: mine && end.kind === 'pending' ? part.pending : undefined,
    found: part.found, fired: part.fired,
    kept: record?.kept ?? 0,
  };
}

/** The worker threads of a search of `parts` parts: parts 1 to parts - 1 (part 0 runs in the main thread). */
export class Team {
  readonly parts: number;
  readonly #job = ++jobs;
  readonly #hands: Hand[] = [];
  readonly #ready = new Set<number>();
  readonly #done = new Map<number, Extract<Message, { kind: 'done' }>>();
  readonly #nap = new Int32Array(new SharedArrayBuffer(4));
  #ctrl: Int32Array | undefined;
  #closed = false;

  constructor(spec: TeamSpec, parts: number) {
    this.parts = parts;
    formed++;
    for (let part = 1; part < parts; part++) {
      const hand = hire();
      hand.port.postMessage({ id: this.#job, spec, part, parts } satisfies Job);
      this.#hands.push(hand);
    }
  }

  /** True once every worker has loaded the model. */
  get ready(): boolean {
    this.#drain();
    return this.#ready.size === this.parts - 1;
  }

  /** Blocks until every worker has loaded the model (a search that wants its workers from the start). */
  waitReady(): void {
    while (!this.ready) Atomics.wait(this.#nap, 0, 0, 5);
  }

  /** Hands the search to the workers: memory sized for them, and where it stands. */
  start(mem: Memory, resume: Resume): void {
    this.#ctrl = new Int32Array(mem.ctrl);
    for (const h of this.#hands) h.port.postMessage({ mem, resume } satisfies Go);
  }

  /** Reads what the workers said; throws a worker's error (and ends the team). */
  poll(): void { this.#drain(); }

  /** Part 0's own word, when the main thread's part ends. */
  finish(done: Done): void { this.#done.set(0, { ...done, job: this.#job }); }

  /** Waits up to `ms` for the search to end (part 0's `finish` included); how it ended, or undefined while it runs. */
  wait(ms: number): TeamEnd | undefined {
    for (const stop = performance.now() + ms; ;) {
      this.#drain();
      if (this.#done.size === this.parts) return this.#end();
      const left = stop - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.#nap, 0, 0, Math.min(left, 5));
    }
  }

  /**
   * Ends the team. Workers go back to the pool when their search finished, or when it was never
   * handed to them (they are told it is off); workers stopped halfway are ended.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const finished = this.#done.size === this.parts;
    if (this.#ctrl === undefined) for (const h of this.#hands) h.port.postMessage({ cancel: true } satisfies Go);
    else if (!finished) abort(this.#ctrl);
    for (const h of this.#hands) {
      if (finished || this.#ctrl === undefined) pool.push(h);
      else { void h.worker.terminate(); h.port.close(); }
    }
  }

  #drain(): void {
    for (const h of this.#hands) {
      for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
        const msg = m.message as Message;
        if (msg.job !== this.#job) continue;   // a cancelled search's late word
        if (msg.kind === 'ready') this.#ready.add(msg.part);
        else if (msg.kind === 'done') this.#done.set(msg.part, msg);
        else { this.close(); throw fromWire(msg.error); }
      }
    }
  }

  #end(): TeamEnd {
    const first = this.#done.get(0)!, end = first.end;
    const holder = end.kind === 'event' || end.kind === 'pending' ? this.#done.get(end.part)! : first;
    const ev = holder.event;
    this.close();
    return {
      end, counters: Counters.of(first.counters),
      event: ev === undefined ? undefined : ev.kind === 'error' ? { kind: 'error', error: fromWire(ev.error) } : ev,
      pending: holder.pending,
      gathered: gather([...this.#done.values()]),
      kept: Array.from({ length: this.parts }, (_, part) => this.#done.get(part)!.kept),
    };
  }
}

/** Memory for `parts` parts that continues a search: the same levels and per-state arrays, new boards and candidates. */
export function teamMemory(old: Memory, levels: readonly [SharedArrayBuffer, SharedArrayBuffer], parts: number, cells: number, board: Float64Array, acquisitions: boolean): Memory {
  const mem = createMemory(parts, cells, acquisitions);
  new Float64Array(mem.board).set(board.subarray(0, 8));
  return { ...mem, levels, parent: old.parent, via: old.via, check: old.check };
}
