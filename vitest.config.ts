import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every observation a probe makes is checked against the shape it declares (src/engine/shape.ts):
    // in tests a misfit fails the probe instead of being logged.
    env: { BAOMI_STRICT_SHAPES: '1' },
  },
});
