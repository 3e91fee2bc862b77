// Entry of the worker thread that reads an rpm database (rpmdb.sqlite, see rpm-db.ts): SQLite is
// synchronous, so a database made to stall its reader is read here, where the caller can terminate
// the thread at its time budget. SQLite's heap is capped (PRAGMA hard_heap_limit), the thread's
// JavaScript heap by the caller's resourceLimits.
import { parentPort } from 'node:worker_threads';
import { loadSqlJs } from '../../formats/browser-history.js';
import { parseRpmHeader, type RpmPackage } from './_rpm-header.js';
import type { RpmJob, RpmReply } from './rpm-db.js';

const port = parentPort!;

port.on('message', (job: RpmJob) => {
  void (async () => {
    try {
      const SQL = await loadSqlJs();
      const db = new SQL.Database(job.db);
      try {
        db.exec(`PRAGMA hard_heap_limit = ${Math.floor(job.heapBytes)}`);
        const packages: RpmPackage[] = [];
        let bad = 0;
        let rows = 0;
        const st = db.prepare('SELECT blob FROM Packages LIMIT ?');
        st.bind([job.maxEntries + 1]);
        while (st.step()) {
          rows++;
          if (rows > job.maxEntries) break;
          const blob = st.get()[0];
          if (!(blob instanceof Uint8Array)) {
            bad++;
            continue;
          }
          try {
            packages.push(parseRpmHeader(blob));
          } catch {
            bad++;
          }
        }
        st.free();
        port.postMessage({ type: 'done', packages, bad, truncated: rows > job.maxEntries } satisfies RpmReply);
      } finally {
        db.close();
      }
    } catch (err) {
      port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies RpmReply);
    }
  })();
});
