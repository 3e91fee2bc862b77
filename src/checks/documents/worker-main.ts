// Entry of a worker thread of the document walk: folders arrive from the coordinator (pool.ts)
// and are read one at a time (they share the read buffer); see worker.ts for the work itself.
import { parentPort, workerData } from 'node:worker_threads';
import { FolderScanner, type DirTask, type WalkInit } from './worker.js';

const port = parentPort!;
const scanner = new FolderScanner((workerData as { walk: WalkInit }).walk, (m) => port.postMessage(m));
let chain: Promise<void> = Promise.resolve();
port.on('message', (task: DirTask) => {
  chain = chain.then(() => scanner.folder(task));
});
