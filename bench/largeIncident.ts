/**
 * Issue 14: a 10,000-entry timeline rendered (post-mortem document, `/incident timeline` file) while a
 * timer measures how long the event loop is held at a time, and the database growth of one 1 MB
 * Alertmanager delivery sent 10 times. Run alone with `node --import tsx bench/largeIncident.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postmortemDocument } from '../src/domain/postmortem.ts';
import { IncidentService } from '../src/services/incidentService.ts';
import { PostmortemService } from '../src/services/postmortemService.ts';
import { loadRunbookSet } from '../src/services/runbookSet.ts';
import { renderInSlices } from '../src/services/slices.ts';
import { timelineFileLines } from '../src/slack/blocks/largeTimeline.ts';
import { timelineMessage } from '../src/slack/blocks/replies.ts';
import { createStore } from '../src/store/sql/index.ts';

const ENTRIES = 10_000;

/** The longest stretch the event loop was held while `work` ran, seen by a 1 ms timer. */
async function longestBlock(work: () => Promise<unknown>): Promise<{ ms: number; total: number }> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const start = performance.now();
  await new Promise((r) => setTimeout(r, 5));
  last = performance.now();
  await work();
  const total = performance.now() - start;
  const now = performance.now();
  longest = Math.max(longest, now - last);
  clearInterval(timer);
  return { ms: longest, total };
}

const dir = mkdtempSync(join(tmpdir(), 'incident-bot-bench-'));
try {
  const store = await createStore({ databasePath: join(dir, 'bench.db') });
  const set = loadRunbookSet('runbooks', new Date());
  const port = store;
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('the large-incident bench measures a SQLite file');
  const service = new IncidentService(port, () => set);
  const postmortems = new PostmortemService(port, () => set);
  const { incident } = await service.declare({
    title: 'Alert flood',
    severity: 'P1',
    declaredBy: 'U1',
    source: 'slash',
  });
  await port.transaction(async (tx) => {
    for (let i = 0; i < ENTRIES; i++)
      await service.note(
        incident.id,
        'bot',
        'alert',
        `Alert firing: DiskFull on pod-${i} (/var ${80 + (i % 20)}%)`,
        {
          source: 'alertmanager',
          fingerprint: `f${i}`,
          labels: { alertname: 'DiskFull', pod: `pod-${i}` },
        },
        tx,
      );
  });
  const tz = set.policy.timezone;
  console.log(
    `issue 14: one incident with ${(await service.timeline(incident.id)).length} timeline entries (zone ${tz})`,
  );

  const sync = await longestBlock(async () => {
    const entries = await service.timeline(incident.id);
    postmortemDocument({
      incident,
      runbook: null,
      timeline: entries,
      steps: [],
      followups: [],
      timezone: tz,
    });
    timelineMessage(incident, entries);
  });
  console.log(
    `  before (one synchronous read + render):  longest block ${sync.ms.toFixed(0).padStart(5)} ms, total ${sync.total.toFixed(0)} ms`,
  );
  const doc = await longestBlock(() => postmortems.documentInSlices(incident.id));
  console.log(
    `  post-mortem document in slices:          longest block ${doc.ms.toFixed(0).padStart(5)} ms, total ${doc.total.toFixed(0)} ms`,
  );
  const file = await longestBlock(async () => {
    const entries = await postmortems.timelineInSlices(incident.id);
    (await renderInSlices(entries, 1_000, timelineFileLines)).join('\n');
  });
  console.log(
    `  /incident timeline (read + file):        longest block ${file.ms.toFixed(0).padStart(5)} ms, total ${file.total.toFixed(0)} ms`,
  );

  // The same 1 MB delivery stored 10 times: bodies are kept once by hash.
  const payload = JSON.stringify({ pad: 'x'.repeat(1_000_000) });
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const size = () =>
    Number(sqlite.pragma('page_count', { simple: true })) *
    Number(sqlite.pragma('page_size', { simple: true }));
  const before = size();
  for (let i = 0; i < 10; i++) await store.inbox.insert({ source: 'alertmanager', rawBody: payload });
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`  1 MB delivery stored 10 times: database grew ${((size() - before) / 1e6).toFixed(2)} MB`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
