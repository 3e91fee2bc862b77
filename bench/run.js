#!/usr/bin/env node
// `npm run bench`: benchmarks, each beside a reference tool on the same data in the same run.
// Not a test: it prints figures (kept in the README), it does not pass or fail.
import { docsBench } from './docs.js';
import { hiveBench } from './hive.js';

const which = process.argv.slice(2);
const all = { hive: hiveBench, docs: docsBench, annual: (await import('./annual.js')).annualBench };
for (const [name, fn] of Object.entries(all)) {
  if (which.length > 0 && !which.includes(name)) continue;
  await fn();
}
