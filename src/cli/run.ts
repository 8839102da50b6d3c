/**
 * The `kmc` command line as a function: `run(argv, io)` parses `argv` (the words after `kmc`),
 * runs the command, writes to `io`'s streams only, and returns the exit code; it never exits,
 * sets `process.exitCode` or listens for signals itself (`main.ts` does that for the process).
 * Parse errors are handled here, not by clipanion (which prints them on stdout): they go to
 * stderr, or with `--json` become the one JSON document on stdout. Colour only when both
 * streams are terminals, and never with NO_COLOR. Relative paths resolve against the working
 * directory.
 *
 * Start-up matters (a check of a small model should take well under half a second): only the
 * command named on the command line is loaded; help and unknown commands load them all.
 */
import type { Writable } from 'node:stream';
import { Builtins, Cli, type CommandClass } from './clipanion.ts';
import type { Interrupts, KmcContext } from './context.ts';
import { fail } from './guard.ts';

/** Where a run reads and writes: its streams, its environment, and what interrupts a check. */
export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The environment (NO_COLOR, KMC_PROGRESS_MS). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What ends a check early with verdict "incomplete" (the process: SIGINT and SIGTERM); none if absent. */
  readonly interrupts?: Interrupts;
}

const commands: Record<string, () => Promise<CommandClass<KmcContext>>> = {
  check: async () => (await import('./check.ts')).CheckCommand,
  list: async () => (await import('./list.ts')).ListCommand,
  matrix: async () => (await import('./matrix.ts')).MatrixCommand,
  test: async () => (await import('./test.ts')).TestCommand,
  simulate: async () => (await import('./simulate.ts')).SimulateCommand,
  shrink: async () => (await import('./shrink.ts')).ShrinkCommand,
  init: async () => (await import('./init.ts')).InitCommand,
  replay: async () => (await import('./replay.ts')).ReplayCommand,
  view: async () => (await import('./view.ts')).ViewCommand,
  explore: async () => (await import('./explore.ts')).ExploreCommand,
  'junit-merge': async () => (await import('./junit-merge.ts')).JunitMergeCommand,
};

const isTTY = (s: Writable): boolean => (s as Partial<NodeJS.WriteStream>).isTTY === true;

/** Runs `kmc ...argv` against `io`; resolves with the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const args = [...argv];
  const colored = io.env['NO_COLOR'] === undefined && isTTY(io.stdout) && isTTY(io.stderr);
  const cli = new Cli<KmcContext>({ binaryLabel: `kmc`, binaryName: `kmc`, binaryVersion: `0.1.0`, enableColors: colored });
  const named = args[0] !== undefined && Object.hasOwn(commands, args[0]) ? commands[args[0]] : undefined;
  for (const c of await Promise.all(named ? [named()] : Object.values(commands).map((load) => load()))) cli.register(c);
  for (const c of [Builtins.HelpCommand, Builtins.VersionCommand]) cli.register(c as CommandClass<KmcContext>);

  const context: KmcContext = {
    stdin: Cli.defaultContext.stdin, stdout: io.stdout, stderr: io.stderr, env: { ...io.env },
    colorDepth: colored ? Cli.defaultContext.colorDepth : 1, interrupts: io.interrupts ?? (() => () => {}),
  };

  /** One line for a command line that does not parse: the unknown command, or the last argument without which it parses. */
  const parseError = (): string => {
    if (named === undefined) return `unknown command '${args[0]}' (commands: ${Object.keys(commands).join(', ')}; kmc --help)`;
    for (let i = args.length - 1; i >= 1; i--) {
      try {
        cli.process([...args.slice(0, i), ...args.slice(i + 1)], context);
        return `kmc ${args[0]}: unexpected '${args[i]}' (an unknown option, an extra argument, or an option without its value; kmc ${args[0]} --help lists the options)`;
      } catch { /* not this one */ }
    }
    return `kmc ${args[0]}: cannot read '${args.slice(1).join(' ')}' (kmc ${args[0]} --help lists the options)`;
  };

  let command;
  try {
    command = cli.process(args, context);
  } catch {
    return fail(context, args.includes('--json'), 'usage', parseError());
  }
  return cli.run(command, context);
}
