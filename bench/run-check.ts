/**
 * One `kmc check` as the command runs it (`--workers` = the machine's cores, deadlock checked),
 * in a fresh process, with the sources of another checkout if asked → one JSON line:
 * `run-check.ts <root> <model> <params as JSON> [property]`. `root` is the checkout whose
 * `src/` runs (this one, or an older revision extracted by `one-search.ts`).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, name, paramsJson, property] = process.argv.slice(2) as [string, string, string, string | undefined];
const load = (p: string): Promise<Record<string, unknown>> => import(pathToFileURL(join(root, p)).href) as Promise<Record<string, unknown>>;
const { loadModel } = await load('src/cli/load-model.ts') as { loadModel(n: string): Promise<unknown> };
const { check } = await load('src/check/check.ts') as { check(m: unknown, o: object): { verdict: { kind: string }; stats: Record<string, number>; notes: string[] } };
const model = await loadModel(name);
global.gc?.();
const before = process.memoryUsage().rss;
const r = check(model, { params: JSON.parse(paramsJson), workers: availableParallelism(), ...(property === undefined ? {} : { property }) });
const resident = process.resourceUsage().maxRSS * 1024 - before;
process.stdout.write(`${JSON.stringify({ ...r.stats, verdict: r.verdict.kind, residentBytesPerState: resident / r.stats.states, notes: r.notes })}\n`);
