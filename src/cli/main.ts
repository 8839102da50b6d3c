/** The `kmc` command line. */
import { Builtins, Cli } from 'clipanion';
import { CheckCommand } from './check.ts';
import { ListCommand } from './list.ts';
import { MatrixCommand } from './matrix.ts';

const cli = new Cli({ binaryLabel: `kmc`, binaryName: `kmc`, binaryVersion: `0.1.0` });
for (const c of [CheckCommand, ListCommand, MatrixCommand, Builtins.HelpCommand, Builtins.VersionCommand]) cli.register(c);
await cli.runExit(process.argv.slice(2));
