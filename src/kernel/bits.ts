/** @internal Actor ids in a bitmask (an `actorSet()` field). */
export const bits = (m: number): number[] => {
  const out: number[] = [];
  for (let i = 0; m !== 0; i++, m >>>= 1) if (m & 1) out.push(i);
  return out;
};
