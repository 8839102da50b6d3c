/** `kmc init [dir]`: scaffolds a model, a vitest file, a tsconfig and a CI job in a user's tree, and tells its package.json where the models are. */
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Command, Option } from './clipanion.ts';
import type { KmcContext } from './context.ts';
import { UsageError, WriteError } from '../util/errors.ts';
import { guard } from './guard.ts';
import { MODEL_NAME, packageEdit, scaffold } from './scaffold.ts';
import { KMC_PACKAGE } from './project.ts';

/** kmc's own typescript and vitest ranges (its devDependencies), for the project's. */
const kmcDevRanges = (): Record<string, string> =>
  ((JSON.parse(readFileSync(join(KMC_PACKAGE, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }).devDependencies ?? {});

/** True if `p` is a symbolic link (a dangling one too). */
const isLink = (p: string): boolean => { try { return lstatSync(p).isSymbolicLink(); } catch { return false; } };

export class InitCommand extends Command<KmcContext> {
  static override paths = [[`init`]];
  static override usage = Command.Usage({
    description: `scaffold a model from the kernel library, a vitest file using kmc's matchers, a tsconfig and a CI job`,
    details: `Writes into <dir> (default: kmc/) under the current directory, the project root; never overwrites a file and never writes through a symbolic link (exit 1, nothing written); a file that cannot be written (a read-only file system) is exit 3. Adds to the project's package.json where its models are ("kmc": { "models": "<dir>/models" }, what kmc test and kmc matrix run) and typescript and vitest to its devDependencies (then: npm install). The model imports 'kmc' and 'kmc/kernel': install kmc first from its tarball kept in the tree, so that CI's npm ci finds it (npm pack in kmc's checkout; npm i -D ./vendor/kmc-<version>.tgz).`,
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
      const pj = resolve('package.json');
      let pkg: Record<string, unknown> = {};
      if (existsSync(pj)) {
        try { pkg = JSON.parse(readFileSync(pj, 'utf8')) as Record<string, unknown>; } catch (err) { throw new UsageError(`kmc init: package.json is not JSON (${err instanceof Error ? err.message : String(err)}); nothing written`); }
        if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) throw new UsageError(`kmc init: package.json is not an object; nothing written`);
      }
      // (in kmc's own checkout, its package.json is kmc's, not a project's)
      const edit = resolve('.') === KMC_PACKAGE ? { json: pkg, added: [] } : packageEdit(pkg, rel, kmcDevRanges());
      for (const f of files) {
        try {
          mkdirSync(dirname(f.file), { recursive: true });
          // 'wx': create, never open what is there (a link made since the check included)
          writeFileSync(f.file, f.text, { flag: 'wx' });
        } catch (err) {
          throw new WriteError(`kmc init ${rel}: cannot write ${relative(process.cwd(), f.file)}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (edit.added.length) writeFileSync(pj, JSON.stringify(edit.json, null, 2) + '\n');
      const shown = files.map((f) => ({ path: relative(process.cwd(), f.file).split(sep).join('/'), what: f.what }));
      const width = Math.max(...shown.map((f) => f.path.length));
      this.context.stdout.write(this.json ? JSON.stringify({ dir: rel, files: shown, packageJson: edit.added }, null, 2) + '\n' : [
        ...shown.map((f) => `wrote ${f.path.padEnd(width)}  ${f.what}`),
        ...(edit.added.length ? [`added to package.json: ${edit.added.join(', ')}`] : []),
        '',
        'next:',
        ...(edit.added.some((a) => a.startsWith('dev')) ? ['  npm install'] : []),
        `  npx kmc check ${rel}/models/${MODEL_NAME}.ts --param inverted=true`,
        `  npx tsc -p ${rel}`,
        `  npx kmc test`,
        `  npx vitest run ${rel}`,
        '',
      ].join('\n'));
      return 0;
    });
  }
}
