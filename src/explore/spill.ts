/**
 * @internal What a search past the machine's memory keeps on disk (`--store compact`): the
 * per-state arrays (parent, edge, check byte), read again only to rebuild a path, and the BFS
 * levels once one passes a chunk. One part, one thread (`part.ts` calls it between rounds).
 *
 * The per-state arrays in memory hold states `treeBase` on; when they pass a chunk they are
 * appended to their files and start again. The next level is written into memory from
 * `nextBase` on, and appended to its file when it passes a chunk; a level that went to disk is
 * read back a chunk at a time (`curBase` is the level index of the window's first state), in
 * order, as the rounds go through it. State ids, parents and edges are those of the search in
 * memory, so traces and counts are too.
 *
 * The files are unlinked as soon as they are open: nothing is left behind, however the
 * process ends; `close` gives the space back.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grown } from './shared.ts';

type TreeArrays = { readonly parent: Grown<Int32Array>; readonly via: Grown<Uint16Array> | Grown<Int32Array>; readonly check: Grown<Uint8Array> };

export class Spill {
  /** First state id held by the per-state arrays in memory. */
  treeBase = 0;
  /** Level index of the first state of the current level's window in memory. */
  curBase = 0;
  /** Level index of the first state of the next level's buffer in memory. */
  nextBase = 0;
  /** Bytes written (what went to disk over the search). */
  written = 0;
  /** Levels that went to disk (and were read back from there). */
  levels = 0;
  readonly #chunk: number;
  readonly #fd: { parent: number; via: number; check: number; levels: [number, number] };
  #levels: [Grown<Uint32Array>, Grown<Uint32Array>] | undefined;
  #tree: TreeArrays | undefined;
  #width = 1;
  /** The current level is on disk (else wholly in memory), and how many of its states the window holds. */
  #curOnDisk = false;
  #curLoaded = 0;
  /** The next level has states on disk. */
  #nextOnDisk = false;
  #closed = false;

  /** `chunk`: bytes a level buffer or the per-state arrays hold before they go to disk; `dir`: where the files go (the system's temporary directory). */
  constructor(chunk: number, dir = tmpdir()) {
    this.#chunk = Math.max(64, chunk);
    const d = mkdtempSync(join(dir, 'kmc-spill-'));
    const open = (name: string): number => { const f = join(d, name), fd = openSync(f, 'w+'); unlinkSync(f); return fd; };
    this.#fd = { parent: open('parent'), via: open('via'), check: open('check'), levels: [open('level-a'), open('level-b')] };
    rmdirSync(d);
  }

  /** The part's level buffers (swapped in place when a level ends) and per-state arrays. */
  attach(levels: [Grown<Uint32Array>, Grown<Uint32Array>], tree: TreeArrays, width: number): void {
    this.#levels = levels; this.#tree = tree; this.#width = width;
  }

  /** Before a round: the current level's states [from, from + n) in the window (read from disk if the level is there). */
  load(from: number, n: number): void {
    if (!this.#curOnDisk || from + n <= this.curBase + this.#curLoaded) return;
    const w = this.#width, want = Math.max(n, Math.floor(this.#chunk / (4 * w))), level = this.#levels![0].ensure(want * w);
    const got = readSync(this.#fd.levels[0], level, 0, want * w * 4, from * w * 4);
    this.curBase = from; this.#curLoaded = Math.floor(got / (4 * w));
    if (this.#curLoaded < n) throw new Error(`Assertion failed: level states ${from}..${from + n} missing on disk`);
  }

  /**
   * After a round: what passed a chunk goes to disk. `level`: a level ended (the buffers were
   * swapped, `levelCount` is the new current level's size): if it went to disk, its tail follows
   * and it is read back from there.
   */
  after(states: number, nextCount: number, levelCount: number, level: boolean): void {
    const w = this.#width;
    if (level) {
      if (this.#nextOnDisk || levelCount * w * 4 >= this.#chunk) {
        this.#append(this.#fd.levels[1], this.#levels![0].view, (levelCount - this.nextBase) * w * 4, this.nextBase * w * 4);
        this.#fd.levels.reverse();
        ftruncateSync(this.#fd.levels[1], 0);
        this.#curOnDisk = true; this.#curLoaded = 0; this.levels++;
      } else this.#curOnDisk = false;
      this.curBase = 0; this.nextBase = 0; this.#nextOnDisk = false;
    } else if ((nextCount - this.nextBase) * w * 4 >= this.#chunk) {
      this.#append(this.#fd.levels[1], this.#levels![1].view, (nextCount - this.nextBase) * w * 4, this.nextBase * w * 4);
      this.nextBase = nextCount; this.#nextOnDisk = true;
    }
    const t = this.#tree!, n = states - this.treeBase, vb = t.via.view.BYTES_PER_ELEMENT;
    if (n * (5 + vb) >= this.#chunk) {
      this.#append(this.#fd.parent, t.parent.view, 4 * n, 4 * this.treeBase);
      this.#append(this.#fd.via, t.via.view, vb * n, vb * this.treeBase);
      this.#append(this.#fd.check, t.check.view, n, this.treeBase);
      this.treeBase = states;
    }
  }

  /** Parent, edge and check byte of state `id`, from memory or disk. */
  node(id: number): { parent: number; via: number; check: number } {
    const t = this.#tree!;
    if (id >= this.treeBase) { const i = id - this.treeBase; return { parent: t.parent.refresh()[i]!, via: t.via.refresh()[i]!, check: t.check.refresh()[i]! }; }
    const vb = t.via.view.BYTES_PER_ELEMENT, b = Buffer.alloc(4);
    readSync(this.#fd.parent, b, 0, 4, 4 * id);
    const parent = b.readInt32LE(0);
    readSync(this.#fd.via, b, 0, vb, vb * id);
    const via = vb === 2 ? b.readUInt16LE(0) : b.readInt32LE(0);
    readSync(this.#fd.check, b, 0, 1, id);
    return { parent, via, check: b[0]! };
  }

  #append(fd: number, view: ArrayBufferView, bytes: number, at: number): void {
    if (bytes <= 0) return;
    const buf = new Uint8Array(view.buffer, view.byteOffset, bytes);
    for (let done = 0; done < bytes;) done += writeSync(fd, buf, done, bytes - done, at + done);
    this.written += bytes;
  }

  /** Gives the disk space back (the files were unlinked when opened). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const fd of [this.#fd.parent, this.#fd.via, this.#fd.check, ...this.#fd.levels]) closeSync(fd);
  }
}
