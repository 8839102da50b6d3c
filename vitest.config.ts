import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'models/**/*.test.ts', 'properties/**/*.test.ts', 'counterexamples/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
