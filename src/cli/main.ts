/**
 * The `kmc` command line. Parse errors are handled here, not by clipanion (which prints them on
 * stdout): they go to stderr, or with `--json` become the one JSON document on stdout. Colour
 * only on a terminal, and never with NO_COLOR.
 *
 * Start-up matters (a check of a small model should take well under half a second): only the
 * command named on the command line is loaded; help and unknown commands load them all.
 */
import { Builtins, Cli, type CommandClass } from './clipanion.ts';
import { fail } from './guard.ts';

const commands: Record<string, () => Promise<CommandClass>> = {
  check: async () => (await import('./check.ts')).CheckCommand,
  list: async () => (await import('./list.ts')).ListCommand,
  matrix: async () => (await import('./matrix.ts')).MatrixCommand,
  test: async () => (await import('./test.ts')).TestCommand,
  simulate: async () => (await import('./simulate.ts')).SimulateCommand,
  shrink: async () => (await import('./shrink.ts')).ShrinkCommand,
  init: async () => (await import('./init.ts')).InitCommand,
  replay: async () => (await import('./replay.ts')).ReplayCommand,
  view: async () => (await import('./view.ts')).ViewCommand,
  'junit-merge': async () => (await import('./junit-merge.ts')).JunitMergeCommand,
};

const colored = process.env['NO_COLOR'] === undefined && process.stdout.isTTY === true && process.stderr.isTTY === true;
const cli = new Cli({ binaryLabel: `kmc`, binaryName: `kmc`, binaryVersion: `0.1.0`, enableColors: colored });
const args = process.argv.slice(2);
const named = args[0] !== undefined && Object.hasOwn(commands, args[0]) ? commands[args[0]] : undefined;
for (const c of await Promise.all(named ? [named()] : Object.values(commands).map((load) => load()))) cli.register(c);
for (const c of [Builtins.HelpCommand, Builtins.VersionCommand]) cli.register(c);

const context = { ...Cli.defaultContext, colorDepth: colored ? Cli.defaultContext.colorDepth : 1 };

/** One line for a command line that does not parse: the unknown command, or the last argument without which it parses. */
function parseError(): string {
  if (named === undefined) return `unknown command '${args[0]}' (commands: ${Object.keys(commands).join(', ')}; kmc --help)`;
  for (let i = args.length - 1; i >= 1; i--) {
    try {
      cli.process([...args.slice(0, i), ...args.slice(i + 1)], context);
      return `kmc ${args[0]}: unexpected '${args[i]}' (an unknown option, an extra argument, or an option without its value; kmc ${args[0]} --help lists the options)`;
    } catch { /* not this one */ }
  }
  return `kmc ${args[0]}: cannot read '${args.slice(1).join(' ')}' (kmc ${args[0]} --help lists the options)`;
}

let command;
try {
  command = cli.process(args, context);
} catch {
  process.exitCode = fail(context, args.includes('--json'), 'usage', parseError());
}
if (command !== undefined) process.exitCode = await cli.run(command, context);
