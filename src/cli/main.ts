/** The `kmc` command line. */
import { Builtins, Cli } from 'clipanion';
import { CheckCommand } from './check.ts';
import { ListCommand } from './list.ts';
import { MatrixCommand } from './matrix.ts';
import { TestCommand } from './test.ts';
import { SimulateCommand } from './simulate.ts';
import { ShrinkCommand } from './shrink.ts';

const cli = new Cli({ binaryLabel: `kmc`, binaryName: `kmc`, binaryVersion: `0.1.0` });
for (const c of [CheckCommand, ListCommand, MatrixCommand, TestCommand, SimulateCommand, ShrinkCommand, Builtins.HelpCommand, Builtins.VersionCommand]) cli.register(c);
await cli.runExit(process.argv.slice(2));
