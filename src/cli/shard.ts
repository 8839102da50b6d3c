/**
 * `--shard i/n`, as vitest and jest spell it: run i of n takes every n-th item of a fixed list,
 * starting at the i-th, so n runs (a CI matrix, a Kubernetes Indexed Job) cover every item
 * exactly once, and big neighbours (a family's configurations) land on different machines.
 *
 * `--shard auto` reads the shard from a Kubernetes Indexed Job's pod: `JOB_COMPLETION_INDEX`
 * (0-based, set by the Job controller) and `JOB_COMPLETION_COUNT` (the Job's `completions`,
 * which the manifest passes in, since the downward API does not expose it).
 */
import { UsageError } from '../util/errors.ts';

export interface Shard { readonly index: number; readonly count: number }

export function parseShard(raw: string | undefined, env: Readonly<Record<string, string | undefined>> = {}): Shard | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'auto') return fromJob(env);
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(m?.[1]), count = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard ${raw}: expected i/n with 1 <= i <= n (e.g. --shard 2/4)`);
  return { index, count };
}

/** `--shard auto`: `JOB_COMPLETION_INDEX + 1` of `JOB_COMPLETION_COUNT`. */
function fromJob(env: Readonly<Record<string, string | undefined>>): Shard {
  const [i, n] = [env['JOB_COMPLETION_INDEX'], env['JOB_COMPLETION_COUNT']];
  if (i === undefined || n === undefined)
    throw new UsageError(`--shard auto: ${i === undefined ? 'JOB_COMPLETION_INDEX' : 'JOB_COMPLETION_COUNT'} is not set (a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX; pass JOB_COMPLETION_COUNT as the Job's completions)`);
  const index = /^\d+$/.test(i) ? Number(i) + 1 : NaN, count = /^\d+$/.test(n) ? Number(n) : NaN;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index > count)
    throw new UsageError(`--shard auto: JOB_COMPLETION_INDEX=${i} and JOB_COMPLETION_COUNT=${n}: expected 0 <= index < count`);
  return { index, count };
}

/** The items of the list that belong to `shard` (all of them without one), in order. */
export const inShard = <T>(items: readonly T[], shard: Shard | undefined): T[] =>
  shard === undefined ? [...items] : items.filter((_, j) => j % shard.count === shard.index - 1);

export const shardText = (s: Shard): string => `${s.index}/${s.count}`;
