// Child of access-times.test.ts (run from the built dist/, possibly as another user or with
// BAOMI_NATIVE=0): reads a target the way probes do (readDir, readFile, walk) or walks it as the
// document scan does (DocWalk, worker threads), then prints FsTarget.accessTimeNotes() as JSON.
const [, , root, how] = process.argv;
const dist = new URL('../../dist/', import.meta.url);
const { FsTarget } = await import(new URL('target/fs-target.js', dist));
const target = await FsTarget.open('offline', root);
if (how === 'target') {
  for (const e of await target.readDir('/docs')) if (e.kind === 'file') await target.readFile(`/docs/${e.name}`);
  for await (const e of target.walk('/')) void e;
} else {
  const { DocWalk } = await import(new URL('checks/documents/pool.js', dist));
  const { byteNeedles, needleChars } = await import(new URL('checks/documents/prefilter.js', dist));
  const { loadMarkingGrammar } = await import(new URL('formats/markings.js', dist));
  const grammar = loadMarkingGrammar();
  const walk = new DocWalk(new URL('checks/documents/worker-main.js', dist), {
    grammar,
    keywords: [],
    needles: byteNeedles(grammar.keywords),
    needleChars: needleChars(grammar.keywords),
    skip: [],
    maxFileBytes: 1 << 24,
    fileTimeoutMs: 30_000,
  }, 2);
  const t = await walk.run([{ t: '/', h: root }]);
  process.stderr.write(`walk: ${t.counts.files} files, ${t.walk.folders} folders, ${t.records.length} records\n`);
}
process.stdout.write(JSON.stringify(await target.accessTimeNotes()));
