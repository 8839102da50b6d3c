/**
 * @internal Append-only typed-array storage in fixed chunks: no copying as it grows past the
 * first chunk. The first chunk starts small and doubles (a small search does not pay for a
 * whole chunk per column).
 */
type Ctor = Int32ArrayConstructor | Uint32ArrayConstructor | Uint16ArrayConstructor | Uint8ArrayConstructor;

const SHIFT = 16, SIZE = 1 << SHIFT, MASK = SIZE - 1, FIRST = 256;

export class Chunked {
  readonly #chunks: (Int32Array | Uint32Array | Uint16Array | Uint8Array)[] = [];
  length = 0;
  constructor(readonly ctor: Ctor) {}

  push(v: number): void {
    const n = this.length;
    if (n < SIZE) {
      const first = this.#chunks[0];
      if (first === undefined || n === first.length) {
        const grown = new this.ctor(first === undefined ? FIRST : 2 * first.length);
        if (first !== undefined) grown.set(first);
        this.#chunks[0] = grown;
      }
    } else if ((n & MASK) === 0) this.#chunks.push(new this.ctor(SIZE));
    this.#chunks[n >>> SHIFT]![n & MASK] = v;
    this.length++;
  }

  get(i: number): number { return this.#chunks[i >>> SHIFT]![i & MASK]!; }

  get bytes(): number { return this.#chunks.reduce((n, c) => n + c.byteLength, 0); }
}
