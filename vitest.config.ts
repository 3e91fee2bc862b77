import { statSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * The network namespace the tests start in (the host's): the reachability probe refuses to send a
 * packet from it while tests run (src/checks/network/reachability.ts, BAOMI_FORBID_NETNS). Tests that
 * need it run it under `unshare -rn` or in namespaces they make, whose identity differs.
 */
function hostNetns(): string {
  try {
    return String(statSync('/proc/self/ns/net').ino);
  } catch {
    return 'unknown'; // no /proc: the probe then refuses everywhere
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every observation a probe makes is checked against the shape it declares (src/engine/shape.ts):
    // in tests a misfit fails the probe instead of being logged.
    env: { BAOMI_STRICT_SHAPES: '1', BAOMI_FORBID_NETNS: hostNetns() },
  },
});
