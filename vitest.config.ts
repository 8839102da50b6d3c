import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (f: string): string => fileURLToPath(new URL(`./src/${f}`, import.meta.url));

export default defineConfig({
  // the package's own tests import it by name, as a user's test suite does
  resolve: { alias: [{ find: /^kmc\/vitest$/, replacement: src('vitest.ts') }, { find: /^kmc\/kernel$/, replacement: src('kernel/index.ts') }, { find: /^kmc$/, replacement: src('index.ts') }] },
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts', 'properties/**/*.test.ts', 'counterexamples/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
