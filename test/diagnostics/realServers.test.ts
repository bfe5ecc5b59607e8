import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/diagnostics/runner.ts';
import {
  type RunningPostgres,
  type RunningPrometheus,
  startPrometheus,
  waitFor,
} from '../support/realServers.ts';
import { postgresDatabase } from '../support/sharedPostgres.ts';
import { check, context, type LocalServer, localServer } from './support.ts';

/** The exporter Prometheus scrapes; the test sets the gauge. */
let gauge = 42;
let exporter: LocalServer;
let prometheus: RunningPrometheus;

// A real PostgreSQL is required: `npm test` installs it first (scripts/test-deps.sh). If it cannot start,
// this file fails with the reason instead of quietly testing something else.
let postgres: RunningPostgres;
const sqliteDir = mkdtempSync(join(tmpdir(), 'incident-bot-sqlite-'));

beforeAll(async () => {
  exporter = await localServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(`# TYPE pool_usage_percent gauge\npool_usage_percent{pool="main"} ${gauge}\n`);
  });
  prometheus = await startPrometheus(exporter.url.replace('http://', ''));
  postgres = await postgresDatabase();
}, 30_000);
afterAll(async () => {
  await prometheus?.stop();
  await exporter?.close();
  await postgres?.stop();
  rmSync(sqliteDir, { recursive: true, force: true });
});

/** Waits until Prometheus has scraped the gauge at `value` (scrapes are every second). */
async function scraped(value: number): Promise<void> {
  await waitFor(`Prometheus to scrape ${value}`, async () => {
    const res = await fetch(`${prometheus.url}/api/v1/query?query=pool_usage_percent`);
    const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
    return body.data?.result?.[0]?.value[1] === String(value) ? true : null;
  });
}

describe('prometheus_query against a real Prometheus scraping a local exporter', () => {
  const pool = check({
    id: 'pool_usage',
    kind: 'prometheus_query',
    query: 'max(pool_usage_percent)',
    thresholds: { warning: '>= 70', critical: '>= 90' },
    timeout: '5s',
  });

  it('is healthy below the threshold and critical once the value crosses it', async () => {
    await scraped(42);
    const before = await runCheck(pool, context({ prometheusUrl: prometheus.url }));
    expect(before).toMatchObject({ status: 'healthy', value: 42 });

    gauge = 95;
    await scraped(95);
    const after = await runCheck(pool, context({ prometheusUrl: prometheus.url }));
    expect(after).toMatchObject({ status: 'critical', value: 95, threshold: 'critical >= 90' });
  }, 30_000);

  it('reports a bad query as an error with Prometheus own message', async () => {
    const r = await runCheck(
      check({ id: 'bad', kind: 'prometheus_query', query: 'sum(', thresholds: { critical: '> 1' } }),
      context({ prometheusUrl: prometheus.url }),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/refused the query/);
  });

  it('reports a query with no series as an error unless no_data says otherwise', async () => {
    const q = { id: 'none', kind: 'prometheus_query', query: 'pool_usage_percent{pool="other"}' };
    const ctx = context({ prometheusUrl: prometheus.url });
    expect((await runCheck(check({ ...q, thresholds: { critical: '> 1' } }), ctx)).status).toBe('error');
    expect(
      (await runCheck(check({ ...q, no_data: 'healthy', thresholds: { critical: '> 1' } }), ctx)).status,
    ).toBe('healthy');
  });
});

/** database_query runs on PostgreSQL and on SQLite files; both engines get the same checks. */
describe.each(['PostgreSQL', 'SQLite'] as const)('database_query on %s', (engine) => {
  let databases: Record<string, string>;

  beforeAll(async () => {
    if (engine === 'PostgreSQL') {
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      await client.query('CREATE TABLE pool (used int, max int); INSERT INTO pool VALUES (95, 100);');
      await client.end();
      databases = { main: postgres.url };
    } else {
      const path = join(sqliteDir, 'main.db');
      const db = new Database(path);
      db.exec('CREATE TABLE pool (used INTEGER, max INTEGER); INSERT INTO pool VALUES (95, 100);');
      db.close();
      databases = { main: `sqlite:${path}` };
    }
  });

  it('reads a value and judges it by column name', async () => {
    const r = await runCheck(
      check({
        id: 'pool_pct',
        kind: 'database_query',
        connection: 'main',
        sql: 'SELECT 100 * used / max AS pct_used, max FROM pool',
        thresholds: { critical: 'pct_used >= 90' },
      }),
      context({ databases }),
    );
    expect(r).toMatchObject({ status: 'critical', value: 95 });
    expect(r.detail).toContain(engine);
  });

  it('cannot write: the transaction is read-only', async () => {
    const r = await runCheck(
      check({
        id: 'evil',
        kind: 'database_query',
        connection: 'main',
        sql: 'DELETE FROM pool RETURNING used',
      }),
      context({ databases }),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(engine === 'PostgreSQL' ? /read-only transaction/ : /readonly database/);
    const left = await runCheck(
      check({
        id: 'count',
        kind: 'database_query',
        connection: 'main',
        sql: 'SELECT count(*) AS n FROM pool',
      }),
      context({ databases }),
    );
    expect(left.value).toBe(1);
  });
});

describe('database_query on PostgreSQL alone', () => {
  it('stops a slow query at its timeout (statement_timeout)', async () => {
    const r = await runCheck(
      check({
        id: 'slow',
        kind: 'database_query',
        connection: 'main',
        sql: 'SELECT pg_sleep(30)',
        timeout: '1s',
      }),
      context({ databases: { main: postgres.url } }),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/statement timeout|timed out/);
  });
});
