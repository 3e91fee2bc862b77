// A worker entry for tests of the coordinator's recovery: the real FolderScanner, except that a
// file named hang.txt spins forever (a parser in an endless loop), one named crash.txt throws
// from a callback (a crash the worker cannot catch), and one named hold-turn.bin spins forever
// holding the walk's turn for big documents. Loads the built code (npm test builds first).
import { parentPort, workerData } from 'node:worker_threads';
import { FolderScanner } from '../../../dist/checks/documents/worker.js';

class Faulty extends FolderScanner {
  async file(at, name, recycle, needle) {
    if (name === 'hang.txt') for (;;);
    if (name === 'hold-turn.bin') {
      this.takeBigTurn();
      for (;;);
    }
    if (name === 'crash.txt') {
      setImmediate(() => {
        throw new Error('simulated crash in a parser');
      });
      await new Promise(() => {});
    }
    return super.file(at, name, recycle, needle);
  }
}

// JavaScript reader only: the native fast path would read the plain test files without file()
const scanner = new Faulty({ ...workerData.walk, javascriptOnly: true }, (m) => parentPort.postMessage(m));
let chain = Promise.resolve();
parentPort.on('message', (task) => {
  chain = chain.then(() => scanner.folder(task));
});
