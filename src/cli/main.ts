/**
 * The `kmc` process (bin/kmc.js imports this): `run()` on the process's arguments, streams and
 * environment, SIGINT and SIGTERM interrupting a check, and its exit code the process's.
 */
import { availableParallelism } from 'node:os';
import { run } from './run.ts';
import { workersAsked } from './early-workers.ts';
import { roomFor, runningNow } from '../explore/machine.ts';
import type { Interrupts } from './context.ts';

/** SIGINT and SIGTERM, each once, while a check runs. */
const signals: Interrupts = (stop) => {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => [sig, (): void => stop(sig)] as const);
  for (const [sig, h] of handlers) process.once(sig, h);
  return () => { for (const [sig, h] of handlers) process.removeListener(sig, h); };
};

// a check's worker threads start with the process, alongside this thread's start, if the other cores run
// nothing now (else the search decides when it has read the machine: explore/machine.ts)
const asked = workersAsked(process.argv.slice(2), availableParallelism());
if (asked > 0 && roomFor(asked + 1, availableParallelism(), runningNow())) (await import('../explore/parallel.ts')).prehire(asked);

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, interrupts: signals });
