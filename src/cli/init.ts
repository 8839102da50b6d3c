/** `kmc init [dir]`: scaffolds a model, a vitest file and a CI job in a user's tree. */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { UsageError } from '../util/errors.ts';
import { guard } from './guard.ts';
import { MODEL_NAME, scaffold } from './scaffold.ts';

export class InitCommand extends Command<KmcContext> {
  static override paths = [[`init`]];
  static override usage = Command.Usage({
    description: `scaffold a model from the kernel library, a vitest file using kmc's matchers, and a CI job`,
    details: `Writes into <dir> (default: kmc/) under the current directory, the project root; never overwrites a file (exit 1, nothing written). The model imports 'kmc' and 'kmc/kernel': install kmc (its tarball: npm pack in kmc's checkout) and vitest in the project first.`,
    examples: [[`Scaffold into kmc/`, `$0 init`], [`Into another directory`, `$0 init test/locking`]],
  });

  dir = Option.String({ name: `dir`, required: false });
  json = Option.Boolean(`--json`, false, { description: `print one JSON object: the directory and the files written` });

  override async execute(): Promise<number> {
    return guard(this.context, this.json, async () => {
      const root = resolve(this.dir ?? 'kmc');
      const rel = relative(process.cwd(), root).split(sep).join('/') || '.';
      // the nearest existing path on the way to <dir> must be a directory (the rest is created)
      let up = root;
      while (!existsSync(up)) up = dirname(up);
      if (!statSync(up).isDirectory()) throw new UsageError(`kmc init ${rel}: ${relative(process.cwd(), up) || up} is not a directory`);
      const files = scaffold(rel).map((f) => ({ ...f, file: join(root, f.path) }));
      const taken = files.filter((f) => existsSync(f.file)).map((f) => relative(process.cwd(), f.file));
      if (taken.length) throw new UsageError(`kmc init ${rel}: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing written (remove ${taken.length === 1 ? 'it' : 'them'} or choose another directory)`);
      for (const f of files) {
        mkdirSync(dirname(f.file), { recursive: true });
        writeFileSync(f.file, f.text);
      }
      const shown = files.map((f) => ({ path: relative(process.cwd(), f.file).split(sep).join('/'), what: f.what }));
      const width = Math.max(...shown.map((f) => f.path.length));
      this.context.stdout.write(this.json ? JSON.stringify({ dir: rel, files: shown }, null, 2) + '\n' : [
        ...shown.map((f) => `wrote ${f.path.padEnd(width)}  ${f.what}`),
        '',
        "next (with kmc's tarball and vitest installed: npm i -D ./kmc-<version>.tgz vitest):",
        `  npx kmc check ${rel}/models/${MODEL_NAME}.ts --param inverted=true`,
        `  npx kmc test --models ${rel}/models`,
        `  npx vitest run ${rel}`,
        '',
      ].join('\n'));
      return 0;
    });
  }
}
