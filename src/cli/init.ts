/** `kmc init [dir]`: scaffolds a model, a vitest file and a CI job in a user's tree. */
import { existsSync, lstatSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { UsageError, WriteError } from '../util/errors.ts';
import { guard } from './guard.ts';
import { MODEL_NAME, scaffold } from './scaffold.ts';

/** True if `p` is a symbolic link (a dangling one too). */
const isLink = (p: string): boolean => { try { return lstatSync(p).isSymbolicLink(); } catch { return false; } };

export class InitCommand extends Command<KmcContext> {
  static override paths = [[`init`]];
  static override usage = Command.Usage({
    description: `scaffold a model from the kernel library, a vitest file using kmc's matchers, and a CI job`,
    details: `Writes into <dir> (default: kmc/) under the current directory, the project root; never overwrites a file and never writes through a symbolic link (exit 1, nothing written); a file that cannot be written (a read-only file system) is exit 3. The model imports 'kmc' and 'kmc/kernel': install kmc (its tarball: npm pack in kmc's checkout) and vitest in the project first.`,
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
      // never through a symbolic link, dangling or not: each folder on the way and each file is checked without following links
      const links = [...new Set(files.flatMap((f) => [root, ...f.path.split('/').map((_, i, parts) => join(root, ...parts.slice(0, i + 1)))]))].filter(isLink);
      if (links.length) throw new UsageError(`kmc init ${rel}: ${links.map((l) => relative(process.cwd(), l) || l).join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}; kmc init never writes through one; nothing written`);
      const taken = files.filter((f) => existsSync(f.file)).map((f) => relative(process.cwd(), f.file));
      if (taken.length) throw new UsageError(`kmc init ${rel}: ${taken.join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing written (remove ${taken.length === 1 ? 'it' : 'them'} or choose another directory)`);
      for (const f of files) {
        try {
          mkdirSync(dirname(f.file), { recursive: true });
          // 'wx': create, never open what is there (a link made since the check included)
          writeFileSync(f.file, f.text, { flag: 'wx' });
        } catch (err) {
          throw new WriteError(`kmc init ${rel}: cannot write ${relative(process.cwd(), f.file)}: ${err instanceof Error ? err.message : String(err)}`);
        }
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
