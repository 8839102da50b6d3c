/**
 * @internal 64-bit state fingerprints as two 32-bit halves (`fp.lo`, `fp.hi`).
 *
 * A state of at most 64 packed bits goes through a 4-round Feistel network, a bijection: its
 * fingerprint is collision-free and the visited set is exact. Wider states are hashed with two
 * independent murmur3-style lanes; collisions are then possible and reported (TLC's estimate).
 * Fixed seeds: fingerprints never vary between runs.
 */
export const fp = { lo: 0, hi: 0 };

const fmix = (h: number): number => {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
};

/** True when fingerprints of states `words` wide are exact. */
export const exactWidth = (words: number): boolean => words <= 2;

export function fingerprint(w: Uint32Array, at: number, words: number): void {
  if (words <= 2) {
    let l = w[at]! | 0, r = words === 2 ? w[at + 1]! | 0 : 0;
    r ^= fmix(l + 0x9e3779b9); l ^= fmix(r + 0x7f4a7c15);
    r ^= fmix(l + 0x3c6ef372); l ^= fmix(r + 0x1b873593);
    fp.lo = l; fp.hi = r;
    return;
  }
  let h1 = 0x2545f491, h2 = 0x6b43a9b5;
  for (let i = 0; i < words; i++) {
    let k = Math.imul(w[at + i]!, 0xcc9e2d51); k = (k << 15) | (k >>> 17); k = Math.imul(k, 0x1b873593);
    h1 ^= k; h1 = (h1 << 13) | (h1 >>> 19); h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let j = Math.imul(w[at + i]!, 0x85ebca77); j = (j << 17) | (j >>> 15); j = Math.imul(j, 0xc2b2ae3d);
    h2 ^= j; h2 = (h2 << 11) | (h2 >>> 21); h2 = (Math.imul(h2, 9) + 0x165667b1) | 0;
  }
  fp.lo = fmix(h1 ^ words); fp.hi = fmix(h2 ^ Math.imul(words, 0x27d4eb2f));
}
