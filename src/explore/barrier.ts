/**
 * @internal The barrier between the phases of a round (`part.ts`), over shared Int32 cells:
 * the last part to arrive opens the next generation and wakes the others. A part that fails
 * sets `abort`, so that the others leave their wait instead of waiting for it forever.
 */
const COUNT = 0, GEN = 1, ABORT = 2;

export class Aborted extends Error {
  constructor() { super('another part of the search failed'); }
}

/**
 * Waits for every part to arrive. `poll`, if given, runs every few milliseconds while this part
 * waits (the main thread's part reads the workers' messages: a worker that crashed never comes).
 */
export function barrier(ctrl: Int32Array, parts: number, poll?: () => void): void {
  if (Atomics.load(ctrl, ABORT) !== 0) throw new Aborted();
  const gen = Atomics.load(ctrl, GEN);
  if (Atomics.add(ctrl, COUNT, 1) === parts - 1) {
    Atomics.store(ctrl, COUNT, 0);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
  } else if (poll === undefined) {
    while (Atomics.load(ctrl, GEN) === gen) Atomics.wait(ctrl, GEN, gen);
  } else {
    while (Atomics.load(ctrl, GEN) === gen) if (Atomics.wait(ctrl, GEN, gen, 5) === 'timed-out') poll();
  }
  if (Atomics.load(ctrl, ABORT) !== 0) throw new Aborted();
}

/** Makes every part waiting at (or coming to) a barrier leave it with {@link Aborted}. */
export function abort(ctrl: Int32Array): void {
  Atomics.store(ctrl, ABORT, 1);
  Atomics.add(ctrl, GEN, 1);
  Atomics.notify(ctrl, GEN);
}
