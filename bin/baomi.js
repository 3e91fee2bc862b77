#!/usr/bin/env node
// baomi entry point: runs the built CLI (dist/) and exits with its code.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
