/**
 * The `kmc` command line. Parse errors are handled here, not by clipanion (which prints them on
 * stdout): they go to stderr, or with `--json` become the one JSON document on stdout. Colour
 * only on a terminal, and never with NO_COLOR.
 */
import { Builtins, Cli } from 'clipanion';
import { CheckCommand } from './check.ts';
import { ListCommand } from './list.ts';
import { MatrixCommand } from './matrix.ts';
import { TestCommand } from './test.ts';
import { SimulateCommand } from './simulate.ts';
import { ShrinkCommand } from './shrink.ts';
import { JunitMergeCommand } from './junit-merge.ts';
import { fail } from './guard.ts';

const colored = process.env['NO_COLOR'] === undefined && process.stdout.isTTY === true && process.stderr.isTTY === true;
const cli = new Cli({ binaryLabel: `kmc`, binaryName: `kmc`, binaryVersion: `0.1.0`, enableColors: colored });
for (const c of [CheckCommand, ListCommand, MatrixCommand, TestCommand, SimulateCommand, ShrinkCommand, JunitMergeCommand, Builtins.HelpCommand, Builtins.VersionCommand]) cli.register(c);

const args = process.argv.slice(2);
const context = { ...Cli.defaultContext, colorDepth: colored ? Cli.defaultContext.colorDepth : 1 };
let command;
try {
  command = cli.process(args, context);
} catch (err) {
  const json = args.includes('--json');
  process.exitCode = json ? fail(context, true, 'usage', err instanceof Error ? err.message : String(err))
    : (context.stderr.write(cli.error(err, { colored })), 1);
}
if (command !== undefined) process.exitCode = await cli.run(command, context);
