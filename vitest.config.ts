import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Vitest's order (longest first by the last run's durations; on a clean clone, with no cache,
 * largest file first), with the pack-and-install test at the head: it is the longest file by far
 * (npm pack, npm ci and a project of its own), so started late it would run on alone at the end.
 */
class PackageFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const first = (f: TestSpecification): number => (f.moduleId.endsWith('/src/package.test.ts') ? 0 : 1);
    return [...(await super.sort(files))].sort((a, b) => first(a) - first(b));
  }
}

const src = (f: string): string => fileURLToPath(new URL(`./src/${f}`, import.meta.url));

export default defineConfig({
  // the package's own tests import it by name, as a user's test suite does
  resolve: { alias: [{ find: /^kmc\/vitest$/, replacement: src('vitest.ts') }, { find: /^kmc\/kernel$/, replacement: src('kernel/index.ts') }, { find: /^kmc$/, replacement: src('index.ts') }] },
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts', 'properties/**/*.test.ts', 'counterexamples/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    // a fork per core (vitest's default keeps one for its own process, which only waits), each
    // running its files one after another in one module graph: the library is loaded once per
    // fork, not once per file (tests keep no state outside the systems they build)
    maxWorkers: availableParallelism(),
    isolate: false,
    sequence: { sequencer: PackageFirst },
  },
});
