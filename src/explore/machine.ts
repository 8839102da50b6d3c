/**
 * @internal Whether the machine has room for a team (`--workers N`): the cores that processes
 * other than this one kept busy over a window of the search, read from the kernel's per-CPU
 * times (`os.cpus()`, /proc/stat) less this process's own CPU time (`process.cpuUsage()`, all its
 * threads). A team of N threads on a machine whose other cores are taken does not run N times
 * one thread's work: each round waits at a barrier for the part whose thread waits for a core.
 * Measured on the 2-core machine with other work keeping about one core busy (load average
 * 2.7-5), compiled, the whole process: `--workers 2` took 1.13-1.30x one thread's time on
 * philosophers n=13, 1.06-1.09x on dio-ring n=7, 1.15x on philosophers n=14, and in the checkout
 * 1.2-1.8x on the rows of 1-2 s (docs/benchmark.md).
 */
import { cpus } from 'node:os';

/** The machine's busy CPU time and this process's, at one moment (ms). */
export interface Reading { readonly wall: number; readonly busy: number; readonly own: number; readonly cores: number }

export function reading(): Reading {
  let busy = 0;
  const all = cpus();
  for (const { times: t } of all) busy += t.user + t.nice + t.sys + t.irq;
  const own = process.cpuUsage();
  return { wall: performance.now(), busy, own: (own.user + own.system) / 1000, cores: all.length };
}

/** Cores that other processes kept busy between two readings (the kernel counts in ticks of 10 ms: read over 100 ms and more). */
export const othersBusy = (a: Reading, b: Reading): number => Math.max(0, b.busy - a.busy - (b.own - a.own)) / Math.max(1, b.wall - a.wall);

/** What a team may leave to other processes: half a core (a core's worth of them would take one thread's). */
export const SPARE = 0.5;

/** A team of `parts` threads has room on `cores` cores of which other processes keep `busy` busy (a platform that lists no cores: room). */
export const roomFor = (parts: number, cores: number, busy: number): boolean => cores === 0 || cores - busy >= parts - SPARE;

/** A reading of a machine where nothing but this process runs (tests). */
export const alone = (): Reading => { const r = reading(); return { ...r, busy: r.own }; };

/** Windows shorter than this are not read (the kernel's CPU times count in 10 ms ticks). */
export const WINDOW_MS = 100;

/** Reads the machine over successive windows of at least `WINDOW_MS`: had it room for `parts` threads in the last one? */
export class Machine {
  #last: Reading;
  /** The last window's answer (none before the first window ends). */
  #room = false;
  constructor(readonly read: () => Reading = reading, readonly clock: () => number = () => performance.now()) { this.#last = read(); }
  /** Whether the last window that ended had room for `parts` threads (a window ends at the first call `WINDOW_MS` after it began). */
  roomFor(parts: number): boolean {
    if (this.clock() - this.#last.wall < WINDOW_MS) return this.#room;
    const now = this.read();
    this.#room = roomFor(parts, now.cores, othersBusy(this.#last, now));
    this.#last = now;
    return this.#room;
  }
}
