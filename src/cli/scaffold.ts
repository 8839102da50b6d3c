/**
 * What `kmc init` writes into a user's tree: a model built from the kernel library, a vitest
 * file using kmc's matchers, and a CI job running both. Each passes as written (tested after
 * installing the packed package into an empty project).
 */
import { posix } from 'node:path';

export interface ScaffoldFile {
  /** Path under the init directory. */
  readonly path: string;
  readonly what: string;
  readonly text: string;
}

export const MODEL_NAME = 'truncate-vs-write';

const model = `/**
 * Truncate and a buffered write on one file (written by \`kmc init\`; make it yours).
 *
 * The VFS takes inode->i_rwsem before the folio lock (the lock ordering comment at the top of
 * mm/filemap.c). With --param inverted=true the writer takes the folio lock first: an AB-BA
 * deadlock, which \`kmc check\` prints as lockdep would.
 */
import { defineModel, never, param, sometimes, step } from 'kmc';
import { current, file, folio_lock, folio_unlock, inode_lock, inode_unlock, truncate_inode_pages_range } from 'kmc/kernel';

export default defineModel({
  name: '${MODEL_NAME}',
  doc: 'truncate vs a buffered write: i_rwsem before the folio lock; inverted=true is the bug',
  params: { inverted: param.bool({ default: false, doc: 'the writer takes the folio lock before i_rwsem' }) },
  // what \`kmc test\` and the CI job pin: the fixed order holds, the inverted one deadlocks
  configurations: [{ inverted: false }, { inverted: true }],
  expect: ({ inverted }) => ({ deadlock: inverted ? { violated: 3 } : 'holds', 'no write into a truncated folio': 'holds' }),
  setup({ inverted }, sys) {
    const A = file(sys, 'A');   // one folio, cached and clean
    const f = A.folios[0]!;
    sys.task('truncate', (self) => {
      const cur = current(self);
      return [...inode_lock(A, cur), truncate_inode_pages_range(cur, A), inode_unlock(A, cur)];
    });
    // under the folio lock the writer sees whether truncate got there first (the kernel then
    // looks the folio up again, which this model leaves out)
    const copy = step('copy_folio_from_iter', {
      fn: 'mm/filemap.c: generic_perform_write',
      then: (s) => (s.test(f.cached) ? s.set(f.dirty, true) : s),
    });
    sys.task('writer', (self) => {
      const cur = current(self);
      return inverted
        ? [folio_lock(f, cur), ...inode_lock(A, cur), copy, inode_unlock(A, cur), folio_unlock(f, cur)]
        : [...inode_lock(A, cur), folio_lock(f, cur), copy, folio_unlock(f, cur), inode_unlock(A, cur)];
    });
    return [
      never('no write into a truncated folio', (s) => !s.test(f.cached) && s.test(f.dirty)),
      sometimes('the write lands', (s) => s.test(f.dirty)),
    ];
  },
});
`;

const test = `import { describe, expect, it } from 'vitest';
import { check } from 'kmc';
import 'kmc/vitest';
import model from './models/${MODEL_NAME}.ts';

describe('${MODEL_NAME}', () => {
  it('i_rwsem before the folio lock: no deadlock, and the write can land', () => {
    const r = check(model);
    expect(r).toHold('deadlock');
    expect(r).toHold('no write into a truncated folio');
    expect(r).toReach('the write lands');
  });

  it('the folio lock first is an AB-BA deadlock (the failure message is the interleaving)', () => {
    expect(check(model, { params: { inverted: true } })).toViolate('deadlock', { steps: 3 });
  });
});
`;

const ci = (dir: string): string => `# kmc in CI. GitHub Actions: copy this file to .github/workflows/kmc.yml.
# Elsewhere: run the last three commands after \`npm ci\`. The project's package.json must
# install kmc from where CI can read it: its tarball kept in the tree (npm i -D ./vendor/kmc-<version>.tgz).
name: kmc
on: [push, pull_request]
jobs:
  kmc:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npx tsc -p ${dir}
      - run: npx kmc test --junit kmc-junit.xml
      - run: npx vitest run ${dir}
`;

/** Type-checks the models and tests under the init directory (`npx tsc -p <dir>`): a misspelt parameter is an error. */
const tsconfig = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "preserve",
    "moduleResolution": "bundler",
    "allowImportingTsExtensions": true,
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": []
  },
  "include": ["."]
}
`;

/** The files for an init directory `dir`, as the project root names it (for the CI job's paths). */
export const scaffold = (dir: string): readonly ScaffoldFile[] => [
  { path: `models/${MODEL_NAME}.ts`, what: 'a model built from the kernel library', text: model },
  { path: `${MODEL_NAME}.test.ts`, what: "a vitest file using kmc's matchers", text: test },
  { path: 'ci.yml', what: 'a CI job (GitHub Actions; the commands work anywhere)', text: ci(dir) },
  { path: 'tsconfig.json', what: 'type-checks the models and tests (npx tsc -p ' + dir + ')', text: tsconfig },
];

/** What `kmc init` adds to the project's package.json: where its models are, and what the generated files need. */
export interface PackageEdit {
  /** The package.json after the edit. */
  readonly json: Record<string, unknown>;
  /** What was added, for the report (empty: nothing to do). */
  readonly added: readonly string[];
}

/**
 * The project's package.json with `"kmc": { "models": "<dir>/models" }` (unless it has a "kmc"
 * key) and typescript and vitest in devDependencies (unless it depends on them), at the ranges
 * `ranges` gives (kmc's own).
 */
export function packageEdit(pkg: Readonly<Record<string, unknown>>, dir: string, ranges: Readonly<Record<string, string>>): PackageEdit {
  const added: string[] = [];
  const deps = (k: string): Record<string, string> => (typeof pkg[k] === 'object' && pkg[k] !== null ? pkg[k] as Record<string, string> : {});
  const dev = { ...deps('devDependencies') };
  for (const name of ['typescript', 'vitest']) {
    if (name in deps('dependencies') || name in dev) continue;
    dev[name] = ranges[name] ?? '*';
    added.push(`devDependencies: ${name}@${dev[name]}`);
  }
  const models = posix.join(dir, 'models');
  if (!('kmc' in pkg)) added.push(`"kmc": { "models": "${models}" }`);
  return { json: { ...pkg, ...('kmc' in pkg ? {} : { kmc: { models } }), ...(added.some((a) => a.startsWith('dev')) ? { devDependencies: dev } : {}) }, added };
}
