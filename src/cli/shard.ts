/**
 * `--shard i/n`, as vitest and jest spell it: run i of n takes every n-th item of a fixed list,
 * starting at the i-th, so n runs (a CI matrix, a Kubernetes Indexed Job) cover every item
 * exactly once, and big neighbours (a family's configurations) land on different machines.
 */
import { UsageError } from '../util/errors.ts';

export interface Shard { readonly index: number; readonly count: number }

export function parseShard(raw: string | undefined): Shard | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(m?.[1]), count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard ${raw}: expected i/n with 1 <= i <= n (e.g. --shard 2/4)`);
  return { index, count };
}

/** The items of the list that belong to `shard` (all of them without one), in order. */
export const inShard = <T>(items: readonly T[], shard: Shard | undefined): T[] =>
  shard === undefined ? [...items] : items.filter((_, j) => j % shard.count === shard.index - 1);

export const shardText = (s: Shard): string => `${s.index}/${s.count}`;
