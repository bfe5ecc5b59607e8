import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  AlertLinkRepository,
  ChecklistRepository,
  InboxRepository,
  IncidentRepository,
  JobRepository,
  OpenBoardReads,
  RunbookHistory,
  TimelineRepository,
  TimerRepository,
} from '../../src/store/index.ts';
import { tempDatabase } from './helpers.ts';

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

/** Every statement the repositories prepare, in order, keyed by their SQL. */
function preparedStatements(db: Database.Database): string[] {
  const sqls: string[] = [];
  const recording = new Proxy(db, {
    get(target, property) {
      if (property === 'prepare')
        return (sql: string) => {
          sqls.push(sql);
          return target.prepare(sql);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const now = () => new Date('2026-06-01T00:00:00.000Z');
  for (const Repository of [
    IncidentRepository,
    ChecklistRepository,
    TimelineRepository,
    TimerRepository,
    InboxRepository,
    JobRepository,
    AlertLinkRepository,
  ]) {
    new Repository(recording, now);
  }
  new RunbookHistory(recording);
  new OpenBoardReads(recording);
  return sqls;
}

/** The plan's steps that read a whole table or a whole non-partial index. */
function fullScans(db: Database.Database, sql: string): string[] {
  const partial = new Set(
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'`)
      .pluck()
      .all() as string[],
  );
  const names = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string))];
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (
    names.length > 0
      ? explain.all(Object.fromEntries(names.map((n) => [n, null])))
      : explain.all(...Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null))
  ) as { detail: string }[];
  return rows
    .map((r) => r.detail)
    .filter((detail) => {
      if (!detail.startsWith('SCAN ') || detail.startsWith('SCAN CONSTANT ROW')) return false;
      if (/^SCAN json_each VIRTUAL TABLE/.test(detail)) return false;
      const index = /USING (?:COVERING )?INDEX (\w+)/.exec(detail)?.[1];
      return index === undefined || !partial.has(index);
    });
}

/** The statements on hot paths, each found by a fragment of its SQL. */
const HOT: Record<string, string> = {
  'inbox claim (every webhook and every 5 s)': "UPDATE inbox SET status = 'pending'",
  'alert link of a key (every webhook)': 'dedup_key = ? ORDER BY id DESC LIMIT 1',
  'open alert link of a key': 'dedup_key = ? AND closed_at IS NULL',
  'countIncidentsSince by opened_at (paging storm guard)': 'COUNT(DISTINCT',
  listDeclaredSince: 'WHERE declared_at >= ? AND drill = 0',
  'open incidents list': "WHERE status NOT IN ('resolved', 'closed') ORDER BY",
  'open incidents count': "SELECT count(*) FROM incidents WHERE status NOT IN ('resolved', 'closed')",
  'declare (foreign keys of jobs, inbox, timers)': 'INSERT INTO incidents',
  'incident by channel': 'WHERE channel_id = ? AND in_fallback = 0',
  'runbook history: last drills': 'WHERE drill = 1 AND resolved_at IS NOT NULL',
  'runbook history: skipped steps': "WHERE s.state = 'skipped'",
  'timeline last of a kind': 'AND kind = ? ORDER BY at DESC, id DESC LIMIT 1',
  'timeline page': 'AND (at, id) > (@at, @id)',
  'jobs claim': 'UPDATE jobs SET claimed_by = @owner',
  'jobs counts (health, metrics)': 'AS queued',
  'jobs of an incident': 'SELECT * FROM jobs WHERE incident_id = ?',
  'timers claim (every tick)': 'UPDATE timers SET fired_at = @now',
  'open timers of an incident': 'SELECT * FROM timers WHERE incident_id = ? AND fired_at IS NULL',
  'steps of an incident': 'FROM incident_steps WHERE incident_id = ?',
  'App Home: step progress of open incidents': 'AS active_number',
  'App Home: timers of open incidents': 'SELECT t.* FROM incidents i CROSS JOIN timers t',
};

describe('query plans of hot paths', () => {
  it('read no growing table whole, on a database with rows', () => {
    const store = tempDatabase().open();
    seed(store.db);
    const statements = preparedStatements(store.db);
    const found: Record<string, string[]> = {};
    for (const [name, fragment] of Object.entries(HOT)) {
      const sql = statements.find((s) => s.includes(fragment));
      expect(sql, `no prepared statement contains "${fragment}" (${name})`).toBeDefined();
      found[name] = fullScans(store.db, sql as string);
    }
    expect(found).toEqual(Object.fromEntries(Object.keys(HOT).map((name) => [name, []])));
  });

  it('flags a full table scan and a whole non-partial index scan', () => {
    const store = tempDatabase().open();
    seed(store.db);
    expect(fullScans(store.db, 'SELECT * FROM incidents WHERE title = ?')).toEqual(['SCAN incidents']);
    expect(fullScans(store.db, 'SELECT * FROM timeline ORDER BY incident_id, at, id')).toEqual([
      'SCAN timeline USING INDEX timeline_incident',
    ]);
    expect(fullScans(store.db, 'SELECT * FROM incidents WHERE id = ?')).toEqual([]);
  });
});
