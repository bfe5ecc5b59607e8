import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../../src/store/migrations.ts';
import { type AsyncStore, createStore, migratePostgres } from '../../../src/store/sql/index.ts';
import { STORE_KINDS, type StoreKind, storeDatabases } from '../../support/storeDatabases.ts';
import { manualClock } from '../helpers.ts';

const databases = storeDatabases();

/**
 * Two replicas: on PostgreSQL two stores with their own pools on one database. SQLite is one process per
 * file (the writer lock), so there the two are concurrent callers of one store.
 */
async function replicas(kind: StoreKind, now: () => Date): Promise<[AsyncStore, AsyncStore]> {
  const database = await databases.fresh(kind);
  const first = await database.open(now);
  return [first, kind === 'postgres' ? await database.open(now) : first];
}

/**
 * Claims from both replicas at once until neither gets anything; every id each one got. A batch larger
 * than the claim's `limit` fails the test.
 */
async function drain<T extends { id: number }>(
  claimers: (() => Promise<T[]>)[],
  limit: number,
): Promise<number[][]> {
  return Promise.all(
    claimers.map(async (claim) => {
      const got: number[] = [];
      for (let batch = await claim(); batch.length > 0; batch = await claim()) {
        if (batch.length > limit) throw new Error(`a claim of at most ${limit} handed out ${batch.length}`);
        got.push(...batch.map((row) => row.id));
      }
      return got;
    }),
  );
}

function expectPartition(parts: number[][], all: number[]) {
  const flat = parts.flat();
  expect(flat.length).toBe(new Set(flat).size);
  expect([...flat].sort((a, b) => a - b)).toEqual([...all].sort((a, b) => a - b));
}

describe.each(STORE_KINDS)('two replicas on %s', (kind) => {
  it('claim every due timer, inbox page and job exactly once between them', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const incidentIds: number[] = [];
    for (let i = 0; i < 40; i++) {
      incidentIds.push(
        (await a.incidents.create({ title: `I${i}`, severity: 'P2', declaredBy: 'U', source: 'slash' })).id,
      );
    }
    const timerIds: number[] = [];
    const inboxIds: number[] = [];
    for (const [i, incidentId] of incidentIds.entries()) {
      for (const kindOfTimer of ['escalation', 'status_update']) {
        const planned = await a.timers.schedule({
          incidentId,
          kind: kindOfTimer,
          dueAt: new Date(Date.UTC(2026, 10, 22, 9, i)),
        });
        timerIds.push(planned.timer.id);
      }
      inboxIds.push(
        (await a.inbox.insert({ source: 'generic', rawBody: `{"n":${i}}`, deliveryId: `d${i}` })).id,
      );
    }
    const added = await a.jobs.enqueue(
      incidentIds.map((incidentId) => ({ incidentId, kind: 'post', key: `post-${incidentId}` })),
    );
    expect(added).toBe(40);

    expectPartition(
      await drain([() => a.timers.claimDue(undefined, 3), () => b.timers.claimDue(undefined, 3)], 3),
      timerIds,
    );
    expectPartition(await drain([() => a.inbox.claim(2), () => b.inbox.claim(2)], 2), inboxIds);
    const jobs = await drain(
      [
        () => a.jobs.claim({ owner: 'a', leaseMs: 60_000, limit: 2 }),
        () => b.jobs.claim({ owner: 'b', leaseMs: 60_000, limit: 2 }),
      ],
      2,
    );
    const jobIds = (await Promise.all(incidentIds.map((id) => a.jobs.forIncident(id))))
      .flat()
      .map((j) => j.id);
    expectPartition(jobs, jobIds);
  });

  it("take over a dead replica's job and inbox page once its lease runs out, and only then", async () => {
    const clockA = manualClock('2026-11-22T10:00:00.000Z');
    const clockB = manualClock('2026-11-22T10:00:00.000Z');
    const database = await databases.fresh(kind);
    const a = await database.open(clockA.now);
    const b = kind === 'postgres' ? await database.open(clockB.now) : a;
    const clockOfB = kind === 'postgres' ? clockB : clockA;
    const incident = await a.incidents.create({
      title: 'I',
      severity: 'P1',
      declaredBy: 'U',
      source: 'slash',
    });
    await a.jobs.enqueue([{ incidentId: incident.id, kind: 'channel', key: 'channel' }]);
    const page = await a.inbox.insert({ source: 'alertmanager', rawBody: '{}', deliveryId: 'p1' });

    const [job] = await a.jobs.claim({ owner: 'a', leaseMs: 30_000, limit: 1 });
    expect((await a.inbox.claim(1, 30_000)).map((i) => i.id)).toEqual([page.id]);
    // Replica a dies here. Within the lease nobody else may take its work.
    clockOfB.advance(29_999);
    expect(await b.jobs.claim({ owner: 'b', leaseMs: 30_000, limit: 1 })).toEqual([]);
    expect(await b.inbox.claim(1, 30_000)).toEqual([]);
    clockOfB.advance(1);
    const [takenJob] = await b.jobs.claim({ owner: 'b', leaseMs: 30_000, limit: 1 });
    const takenPages = await b.inbox.claim(1, 30_000);
    expect([takenJob?.id, takenJob?.claimedBy, takenJob?.attempts]).toEqual([job?.id, 'b', 2]);
    expect(takenPages.map((i) => [i.id, i.attempts])).toEqual([[page.id, 2]]);
    // A late finish from the dead claimant changes nothing; the new holder's does.
    if (!job) throw new Error('job expected');
    await a.jobs.complete(job.id, 'a');
    expect((await b.jobs.forIncident(incident.id)).map((j) => [j.status, j.claimedBy])).toEqual([
      ['queued', 'b'],
    ]);
    await b.jobs.complete(job.id, 'b');
    expect((await b.jobs.forIncident(incident.id)).map((j) => j.status)).toEqual(['done']);
  });

  it('let unique constraints decide races: one alert link, one first request, one delivery, one job, one timer, one channel', async () => {
    const clock = manualClock('2026-11-22T10:00:00.000Z');
    const [a, b] = await replicas(kind, clock.now);
    const incidents = await Promise.all(
      [a, b, a, b].map((store, i) =>
        store.incidents.create({ title: `I${i}`, severity: 'P1', declaredBy: 'U', source: 'alertmanager' }),
      ),
    );
    // Incidents declared at the same instant still get distinct numbers of the day.
    expect(incidents.map((i) => i.daySeq).sort()).toEqual([1, 2, 3, 4]);
    const ids = incidents.map((i) => i.id);
    const both = <T>(fn: (store: AsyncStore, i: number) => Promise<T>) =>
      Promise.all(ids.map((_, i) => fn(i % 2 === 0 ? a : b, i)));

    const links = await both((store, i) =>
      store.alertLinks.link({ source: 'alertmanager', dedupKey: 'group-1', incidentId: ids[i] ?? 0 }),
    );
    expect(links.filter((l) => l.created).length).toBe(1);
    expect(new Set(links.map((l) => l.link.incidentId)).size).toBe(1);
    expect((await both((store) => store.idempotency.firstTime('trigger-1'))).filter(Boolean).length).toBe(1);
    const deliveries = await both((store) =>
      store.inbox.insert({ source: 'pagerduty', rawBody: '{}', deliveryId: 'w1' }),
    );
    expect(deliveries.filter((d) => !d.duplicate).length).toBe(1);
    expect(new Set(deliveries.map((d) => d.id)).size).toBe(1);
    const enqueued = await both((store) =>
      store.jobs.enqueue([{ incidentId: ids[0] ?? 0, kind: 'channel', key: 'open-channel' }]),
    );
    expect(enqueued.reduce((x, y) => x + y, 0)).toBe(1);
    const due = new Date('2026-11-22T12:00:00Z');
    const timers = await both((store) =>
      store.timers.schedule({ incidentId: ids[0] ?? 0, kind: 'escalation', dueAt: due }),
    );
    expect(timers.filter((t) => t.created).length).toBe(1);
    // The incident channel reservation: of four incidents claiming one channel at once, one gets it.
    const reserved = await Promise.allSettled(
      ids.map((id, i) => (i % 2 === 0 ? a : b).incidents.update(id, { channelId: 'C-ONE' })),
    );
    expect(reserved.filter((r) => r.status === 'fulfilled').length).toBe(1);
    expect((await a.incidents.getByChannel('C-ONE'))?.channelId).toBe('C-ONE');
  });
});

describe('claims on PostgreSQL', () => {
  it('carries on when the server drops its idle connections (a failover), without crashing the process', async () => {
    const database = await databases.fresh('postgres');
    const store = await database.open();
    await Promise.all([1, 2, 3].map(() => store.heartbeats.beat('scheduler')));
    const admin = new pg.Client({ connectionString: database.options.databaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // A query may meet a connection the server just closed until the pool has dropped it (its error event
    // can lag on a loaded machine); the pool then opens new ones and the store carries on.
    for (let attempt = 1; ; attempt++) {
      const beat = store.heartbeats.beat('scheduler', new Date('2026-11-22T11:00:00Z'));
      const failed = await beat.then(
        () => null,
        (error: unknown) => error,
      );
      if (failed === null) break;
      if (attempt === 10) throw failed;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await store.heartbeats.last('scheduler')).toEqual(new Date('2026-11-22T11:00:00Z'));
  });

  it('skip rows another replica holds right now instead of waiting for them or taking them too', async () => {
    const database = await databases.fresh('postgres');
    const store = await database.open(() => new Date('2026-11-22T10:00:00.000Z'));
    const incident = await store.incidents.create({
      title: 'I',
      severity: 'P1',
      declaredBy: 'U',
      source: 'slash',
    });
    const pages = [];
    for (const id of ['p1', 'p2', 'p3'])
      pages.push((await store.inbox.insert({ source: 'generic', rawBody: id, deliveryId: id })).id);
    await store.jobs.enqueue([
      { incidentId: null, kind: 'a', key: 'j1' },
      { incidentId: null, kind: 'b', key: 'j2' },
    ]);
    const timer = await store.timers.schedule({
      incidentId: incident.id,
      kind: 'escalation',
      dueAt: new Date('2026-11-22T09:00:00Z'),
    });
    const other = new pg.Client({ connectionString: database.options.databaseUrl });
    await other.connect();
    try {
      // Another replica is in the middle of claiming the first page, the first job and the timer.
      await other.query('BEGIN');
      await other.query('SELECT id FROM inbox WHERE id = $1 FOR UPDATE', [pages[0]]);
      await other.query("SELECT id FROM jobs WHERE key = 'j1' FOR UPDATE");
      await other.query('SELECT id FROM timers WHERE id = $1 FOR UPDATE', [timer.timer.id]);
      expect((await store.inbox.claim(10)).map((i) => i.id)).toEqual(pages.slice(1));
      expect((await store.jobs.claim({ owner: 'me', leaseMs: 1000, limit: 10 })).map((j) => j.key)).toEqual([
        'j2',
      ]);
      expect(await store.timers.claimDue()).toEqual([]);
      await other.query('ROLLBACK');
      expect((await store.inbox.claim(10)).map((i) => i.id)).toEqual([pages[0]]);
      expect((await store.timers.claimDue()).map((t) => t.id)).toEqual([timer.timer.id]);
    } finally {
      await other.end();
    }
  }, 15_000);
});

describe('migrations', () => {
  it('PostgreSQL: two replicas migrating at once apply each migration once (advisory lock)', async () => {
    const database = await databases.fresh('postgres');
    const url = database.options.databaseUrl ?? '';
    const admin = new pg.Pool({ connectionString: url });
    const pools = [admin, new pg.Pool({ connectionString: url })];
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      expect(applied.map((versions) => versions.join(',')).sort()).toEqual(['', '1,2,3,4']);
      const { rows } = await admin.query('SELECT version, name FROM schema_migrations');
      expect(rows).toEqual([
        { version: 1, name: 'schema of SQLite migrations 1-9' },
        { version: 2, name: 'timer leases' },
        { version: 3, name: 'step assignees and structured incident times (SQLite 10 and 11)' },
        { version: 4, name: 'timeline entries written once per key (SQLite 13)' },
      ]);
      await admin.query('INSERT INTO schema_migrations (version, name) VALUES (99, $1)', ['from the future']);
      await expect(createStore({ databasePath: '', databaseUrl: url })).rejects.toThrow(
        'schema version 99, but this incident-bot only knows up to 4',
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it("SQLite: a database left at an older version by today's bot upgrades and keeps its incidents", async () => {
    const database = await databases.fresh('sqlite');
    const old = new Database(database.options.databasePath);
    migrate(old, MIGRATIONS.slice(0, 5));
    old
      .prepare(
        `INSERT INTO incidents (title, severity, declared_by, source, declared_at, updated_at, day_seq)
         VALUES ('Old one', 'P2', 'U1', 'slash', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)`,
      )
      .run();
    old.close();
    const store = await database.open();
    expect((await store.incidents.listOpen()).map((i) => [i.title, i.daySeq])).toEqual([['Old one', 1]]);
    const check = new Database(database.options.databasePath, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    check.close();
  });
});
