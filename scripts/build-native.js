// Builds the walk's native fast path (native/fastwalk.c → build/Release/baomi_native.node) with
// node-gyp, which npm puts on the PATH of its scripts, against the headers of the Node.js that
// runs this (never downloaded). Optional: without a C compiler or the headers the build says so and
// baomi reads with JavaScript only (slower, same results); the tests then skip the native ones
// unless BAOMI_NATIVE_REQUIRED=1 (CI), where they fail.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const gyp = process.env.npm_config_node_gyp ? [process.execPath, [process.env.npm_config_node_gyp]] : ['node-gyp', []];
// /usr/bin/node → /usr/include/node: a Debian or official install keeps its headers there
const nodedir = dirname(dirname(process.execPath));
const local = existsSync(join(nodedir, 'include', 'node', 'node_api.h')) ? [`--nodedir=${nodedir}`] : [];
const run = (...args) => spawnSync(gyp[0], [...gyp[1], ...args, ...local], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });

// configure once; `build` is incremental (make)
let r = existsSync('build/Makefile') ? { status: 0 } : run('configure');
if (r.status === 0) r = run('build');
if (r.status !== 0 || r.error) {
  const why = r.error ? r.error.message : (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  console.error(`baomi: the native fast path was not built (${why}); the document walk will read with JavaScript only`);
}
