/**
 * @internal Memory the parts of a breadth-first search share (`bfs.ts`): growable
 * SharedArrayBuffers, so that worker threads read and write the same levels, per-state arrays
 * and candidates without copying. Growing never moves data; a part sees a growth made by
 * another after the barrier that follows it (`refresh`). Hot loops use fixed-length views:
 * V8 compiles them as fast as plain arrays, unlike length-tracking ones.
 */

type View = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;
type Ctor<V extends View> = { new (buf: SharedArrayBuffer, at: number, n: number): V; readonly BYTES_PER_ELEMENT: number };

/** Largest growable SharedArrayBuffer Node 20 allows. */
const MAX_BYTES = 2 ** 32;

/** ES2024's growable SharedArrayBuffer (Node 20 has it; the ES2023 typings do not). */
type Growable = SharedArrayBuffer & { grow(bytes: number): void };
const growable = (bytes: number): Growable =>
  new (SharedArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => Growable)(bytes, { maxByteLength: MAX_BYTES });

/** A typed array over a growable SharedArrayBuffer. */
export class Grown<V extends View> {
  readonly sab: Growable;
  view: V;
  readonly #ctor: Ctor<V>;

  constructor(ctor: Ctor<V>, sab?: SharedArrayBuffer) {
    this.#ctor = ctor;
    this.sab = (sab ?? growable(64)) as Growable;
    this.view = new ctor(this.sab, 0, this.sab.byteLength / ctor.BYTES_PER_ELEMENT);
  }

  /** Room for `n` elements (grows by at least half, so that growth is rare). */
  ensure(n: number): V {
    const per = this.#ctor.BYTES_PER_ELEMENT;
    if (n * per > this.sab.byteLength) {
      const want = Math.min(MAX_BYTES, Math.max(n * per, Math.ceil(this.sab.byteLength * 1.5 / 8) * 8));
      if (n * per > want) throw new RangeError(`a shared array of ${n} elements exceeds ${MAX_BYTES} bytes`);
      this.sab.grow(want);
    }
    return this.refresh();
  }

  /** The view, re-made if another part grew the buffer. */
  refresh(): V {
    const len = this.sab.byteLength / this.#ctor.BYTES_PER_ELEMENT;
    if (this.view.length !== len) this.view = new this.#ctor(this.sab, 0, len);
    return this.view;
  }
}
