import { defineConfig } from 'vitest/config';

// The project's own tests (`npm test`). The conformance suites in suites/ are not
// collected here: `oai-compat run` starts them with their own settings.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
