/** @internal Append-only typed-array storage in fixed chunks: no copying as it grows. */
type Ctor = Int32ArrayConstructor | Uint32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor;

const SHIFT = 16, SIZE = 1 << SHIFT, MASK = SIZE - 1;

export class Chunked {
  readonly #chunks: (Int32Array | Uint32Array | Uint16Array | Uint8Array)[] = [];
  length = 0;
  constructor(readonly ctor: Ctor) {}

  push(v: number): void {
    if ((this.length & MASK) === 0) this.#chunks.push(new this.ctor(SIZE));
    this.#chunks[this.length >>> SHIFT]![this.length & MASK] = v;
    this.length++;
  }

  get(i: number): number { return this.#chunks[i >>> SHIFT]![i & MASK]!; }

  get bytes(): number { return this.#chunks.reduce((n, c) => n + c.byteLength, 0); }
}
