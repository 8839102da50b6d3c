/**
 * The `kmc` process (bin/kmc.js imports this): `run()` on the process's arguments, streams and
 * environment, SIGINT and SIGTERM interrupting a check, and its exit code the process's.
 */
import { run } from './run.ts';
import type { Interrupts } from './context.ts';

/** SIGINT and SIGTERM, each once, while a check runs. */
const signals: Interrupts = (stop) => {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => [sig, (): void => stop(sig)] as const);
  for (const [sig, h] of handlers) process.once(sig, h);
  return () => { for (const [sig, h] of handlers) process.removeListener(sig, h); };
};

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, interrupts: signals });
