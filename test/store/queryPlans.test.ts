import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AsyncStore } from '../../src/store/sql/index.ts';
import { tempStore } from './helpers.ts';

const ROWS = 2000;

/** Rows in every table that grows with use, mostly finished, as after months of incidents. */
function seed(db: Database.Database): void {
  db.exec(/* sql */ `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO incidents (title, severity, status, drill, runbook_id, declared_by, source, declared_at,
                           resolved_at, updated_at, day_seq)
    SELECT 'incident ' || i, 'P2', CASE WHEN i % 10 = 0 THEN 'declared' ELSE 'closed' END, i % 7 = 0,
           'rb-' || (i % 30), 'U01', 'slash', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z',
           '2026-01-02T00:00:00.000Z', i
    FROM n;
    INSERT INTO incident_steps (incident_id, position, section, runbook_id, number, title, state, updated_at)
    SELECT id, 0, 'step', runbook_id, 1, 'Step', CASE WHEN id % 3 = 0 THEN 'skipped' ELSE 'done' END, declared_at
    FROM incidents;
    INSERT INTO timeline (incident_id, at, actor, kind, text)
    SELECT id, declared_at, 'bot', k.kind, k.kind
    FROM incidents, (SELECT 'declared' AS kind UNION ALL SELECT 'escalation' UNION ALL SELECT 'note') k;
    INSERT INTO timers (incident_id, kind, due_at, fired_at, created_at)
    SELECT id, 'escalate', declared_at, resolved_at, declared_at FROM incidents;
    INSERT INTO alert_links (source, dedup_key, incident_id, opened_at, closed_at)
    SELECT 'alertmanager', 'key-' || id, id, declared_at, resolved_at FROM incidents;
    INSERT INTO inbox (source, delivery_id, received_at, raw_body, status, processed_at, incident_id)
    SELECT 'generic', 'd-' || id, declared_at, '', 'done', resolved_at, id FROM incidents;
    INSERT INTO jobs (incident_id, kind, key, status, next_attempt_at, created_at, finished_at)
    SELECT id, 'create_channel', 'job-' || id, 'done', declared_at, declared_at, resolved_at FROM incidents;
  `);
}

interface Issued {
  sql: string;
  params: unknown[];
}

/**
 * Records every statement the Kysely store sends to its SQLite file (SQL and bound values) while `work`
 * runs: the plans checked are those of the queries the bot issues, not copies of them.
 */
async function issued(db: Database.Database, work: () => Promise<unknown>): Promise<Issued[]> {
  const statements: Issued[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const record =
      (method: 'all' | 'run' | 'get' | 'iterate') =>
      (...params: unknown[]) => {
        // Kysely binds one array of values.
        statements.push({ sql, params: Array.isArray(params[0]) ? params[0] : params });
        return (statement[method] as (...args: unknown[]) => unknown).apply(statement, params);
      };
    return new Proxy(statement, {
      get(target, property) {
        if (property === 'all' || property === 'run' || property === 'get' || property === 'iterate')
          return record(property);
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }) as typeof db.prepare;
  try {
    await work();
  } finally {
    db.prepare = prepare;
  }
  return statements.filter((s) => !/^(begin|commit|rollback|savepoint|release)/i.test(s.sql.trim()));
}

/** The plan's steps that read a whole table or a whole non-partial index. */
function fullScans(db: Database.Database, statement: Issued): string[] {
  const partial = new Set(
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`)
      .pluck()
      .all() as string[],
  );
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as {
    detail: string;
  }[];
  return rows
    .map((r) => r.detail)
    .filter((detail) => {
      if (!detail.startsWith('SCAN ') || detail.startsWith('SCAN CONSTANT ROW')) return false;
      if (/^SCAN json_each VIRTUAL TABLE/.test(detail)) return false;
      const index = /USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1];
      return index === undefined || !partial.has(index);
    });
}

const SINCE = new Date('2026-05-01T00:00:00.000Z');

/** The store's calls on hot paths. */
const HOT: Record<string, (store: AsyncStore) => Promise<unknown>> = {
  'inbox claim (every webhook and every 5 s)': (s) => s.inbox.claim(10, 60_000),
  'alert link of a key (every webhook)': (s) => s.alertLinks.latest('alertmanager', 'key-7'),
  'open alert link of a key': (s) => s.alertLinks.findOpen('alertmanager', 'key-7'),
  'countIncidentsSince by opened_at (paging storm guard)': (s) => s.alertLinks.countIncidentsSince(SINCE, 3),
  listDeclaredSince: (s) => s.incidents.listDeclaredSince(SINCE),
  'open incidents list': (s) => s.incidents.listOpen(),
  'open incidents count': (s) => s.incidents.countOpen(),
  'declare (foreign keys of jobs, inbox, timers)': (s) =>
    s.incidents.create({ title: 'new', severity: 'P1', declaredBy: 'U01', source: 'slash' }),
  'incident by channel': (s) => s.incidents.getByChannel('C123'),
  'runbook history: last drills': (s) => s.runbookHistory.lastDrills(),
  'runbook history: skipped steps': (s) => s.runbookHistory.skippedSince(SINCE),
  'timeline last of a kind': (s) => s.timeline.last(7, 'escalation'),
  'timeline page': (s) => s.timeline.page(7, { at: '2026-01-01T00:00:00.000Z', id: 10 }, 50),
  'timeline entry once per key (a timer firing)': (s) =>
    s.timeline.append({
      incidentId: 7,
      actor: 'bot',
      kind: 'escalation',
      text: 'x',
      onceKey: 'timer:1:escalation',
    }),
  'jobs claim': (s) => s.jobs.claim({ owner: 'r1', leaseMs: 60_000, limit: 10 }),
  'jobs counts (health, metrics)': (s) => s.jobs.counts(),
  'jobs of an incident': (s) => s.jobs.forIncident(7),
  'timers claim (every tick)': (s) => s.timers.claimDueLeased('r1', 60_000),
  'open timers of an incident': (s) => s.timers.listOpen(7),
  'lease renewal of running jobs (a third of a lease)': (s) => s.jobs.renew('r1', [1, 2, 3], 60_000),
  'lease renewal of firing timers': (s) => s.timers.renew('r1', [1, 2], 60_000),
  'lease renewal of pages in hand': (s) =>
    s.inbox.renew(
      [
        { id: 1, attempts: 1 },
        { id: 2, attempts: 3 },
      ],
      60_000,
    ),
  'claims past the work running here': async (s) => {
    await s.jobs.claim({ owner: 'r1', leaseMs: 60_000, limit: 10, skip: [1, 2] });
    await s.timers.claimDueLeased('r1', 60_000, undefined, 10, [1, 2]);
    await s.inbox.claim(10, 60_000, [1, 2]);
  },
  'steps of an incident': (s) => s.checklist.listSteps(7),
  'App Home: step progress of open incidents': (s) => s.openBoard.progress(),
  'App Home: timers of open incidents': (s) => s.openBoard.timers(),
  'App Home: the most urgent open incidents': (s) => s.openBoard.mostUrgent(500),
  'start-up recovery: incidents without a channel': (s) => s.incidents.listUnopened(0, 100),
  'response times of a window (App Home, stats)': (s) => s.incidents.timesSince(SINCE, 0, 1000),
};

describe('query plans of hot paths', () => {
  it('read no growing table whole, on a database with rows', async () => {
    const { store, db } = await seeded();
    const found: Record<string, string[]> = {};
    for (const [name, call] of Object.entries(HOT)) {
      const statements = await issued(db, () => call(store));
      expect(statements.length, `${name} sent no statement`).toBeGreaterThan(0);
      found[name] = statements.flatMap((statement) => fullScans(db, statement));
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(HOT).map((name) => [name, []])));
  });

  it('flags a full table scan and a whole non-partial index scan', async () => {
    const { db } = await seeded();
    const scans = (sql: string) => fullScans(db, { sql, params: sql.includes('?') ? [null] : [] });
    expect(scans('SELECT * FROM incidents WHERE title = ?')).toEqual(['SCAN incidents']);
    expect(scans('SELECT * FROM timeline ORDER BY incident_id, at, id')).toEqual([
      'SCAN timeline USING INDEX timeline_incident',
    ]);
    expect(scans('SELECT * FROM incidents WHERE id = ?')).toEqual([]);
  });

  it('records the statements and bound values the store sends', async () => {
    const { store, db } = await seeded();
    const statements = await issued(db, () => store.incidents.getByChannel('C123'));
    expect(statements.map((s) => s.params)).toEqual([['C123', 0]]);
    expect(statements[0]?.sql).toMatch(/from "incidents" where "channel_id" = \?/);
  });
});

/** The Kysely store on a fresh file, with months of rows in it. */
async function seeded(): Promise<{ store: AsyncStore; db: Database.Database }> {
  const store = await tempStore(() => new Date('2026-06-01T00:00:00.000Z'));
  if (!store.sqlite) throw new Error('tempStore opens SQLite');
  seed(store.sqlite);
  return { store, db: store.sqlite };
}
