/**
 * @internal A worker thread of `--workers N` (`parallel.ts`): parts 1 to N - 1. For each search it is given, it
 * loads the model again from its file (once: the determinism audit's second setups in this thread
 * are new setups of that module's model, `declaration.ts` `setUpAgain`), builds the same instance the main thread checks (its
 * declaration fingerprinted and held to the main thread's: KMC014 if the file built another), waits
 * to be handed the search, runs its part (`part.ts`) to the end and says how it ended; then it
 * waits for the next search (workers are pooled, so a process pays their start-up once).
 */
import { once } from 'node:events';
import { workerData } from 'node:worker_threads';
import { isModel, type Model } from '../model/define-model.ts';
import { importSource } from '../model/reload.ts';
import { instantiate } from '../state/instance.ts';
import { ModelError } from '../util/errors.ts';
import { declarationOf, differences } from './declaration.ts';
import { barrier } from './barrier.ts';
import { Part, type PartOptions } from './part.ts';
import { startMemory } from './bfs.ts';
import type { Expander } from './expander.ts';
import { partialOrder } from './por.ts';
import { SharedAcquisitions } from './acquisitions.ts';
import { doneOf, toWire, type Go, type Job, type Message } from './parallel.ts';
import type { Instance } from '../state/instance.ts';

const { port } = workerData as { port: import('node:worker_threads').MessagePort };
let job = 0;
type Word = Message extends infer M ? (M extends unknown ? Omit<M, 'job'> : never) : never;
const say = (m: Word): void => port.postMessage({ ...m, job });

async function instance(spec: Job['spec'], index: number): Promise<Instance> {
  const made = (await importSource(spec.source)).model;
  if (!isModel(made)) throw new ModelError('KMC014', `worker thread ${index + 1} loaded the model file again and found no model in it`);
  const model: Model = made;
  const inst = instantiate(model, spec.params);
  const byName = new Map(inst.properties.map((p) => [p.name, p]));
  const mine = { ...inst, properties: spec.properties.map((n) => byName.get(n)).filter((p) => p !== undefined) };
  const diff = spec.declaration === undefined ? [] : differences(spec.declaration, declarationOf(mine));
  if (diff.length > 0 || mine.properties.length < spec.properties.length) {
    throw new ModelError('KMC014', `worker thread ${index + 1} loaded the model file again and got another model than the main thread's: it differs in ${diff.length > 0 ? diff.join(', ') : 'the properties'}; the file reads something that changes between loads (Math.random, Date, the environment), and the workers would check another model than the one the verdict names`);
  }
  return mine;
}

/**
 * Before it says ready, a worker runs the search's first states in a private search of its own
 * (for up to `WARM_MS`): its hot paths are compiled and its memo holds the model's first answers
 * when it is handed the search, instead of the main thread's part waiting for it at every barrier
 * while it starts cold. It runs on a core the main thread does not use.
 */
export const WARM_MS = 150;

function warmUp(inst: Instance, options: PartOptions): Expander | undefined {
  const until = performance.now() + WARM_MS;
  const part = new Part(inst, { ...options, maxStates: Math.min(options.maxStates, 1e6), round: 128 }, startMemory(inst, 1, options.discover === true), 0, 1);
  part.seed();
  for (;;) {
    const step = part.round(noBarrier);
    // a model error: the search meets it again, in its order, with a memo of its own
    if (part.cond !== undefined || part.event?.kind === 'error') return undefined;
    if (step === 'end' || performance.now() >= until) return part.expander;
  }
}
const noBarrier = (): void => {};

async function run({ spec, part: index, parts }: Job): Promise<void> {
  const inst = await instance(spec, index);
  const reduction = spec.reduce ? partialOrder(inst, { deadlock: spec.deadlock, dependence: spec.dependence }) : undefined;
  const options = { deadlock: spec.deadlock, maxStates: spec.maxStates, maxDepth: spec.maxDepth, reduction, discover: spec.discover, exhaust: spec.exhaust, slotsOnly: spec.slotsOnly };
  const warm = warmUp(inst, options), expander = warm === undefined ? {} : { expander: warm };
  say({ kind: 'ready', part: index });
  const [go] = (await once(port, 'message')) as [Go];
  if ('cancel' in go) return;
  const record = spec.acquisitions ? new SharedAcquisitions(inst, go.mem.acquisitions![index]!) : undefined;
  const part = new Part(inst, { ...options, ...expander, ...(record ? { observers: [record] } : {}) }, go.mem, index, parts, go.resume);
  const ctrl = new Int32Array(go.mem.ctrl);
  while (part.round(() => barrier(ctrl, parts)) !== 'end');
  say(doneOf(part, record));
}

for (;;) {
  const [next] = (await once(port, 'message')) as [Job | Go];
  if (!('spec' in next)) continue;   // a cancel that arrived after this worker gave up the search
  job = next.id;
  try { await run(next); } catch (err) { say({ kind: 'crash', part: next.part, error: toWire(err) }); }
}
