import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_CAP_BYTES } from '../../src/diagnostics/exec.ts';
import { runCheck, runChecks } from '../../src/diagnostics/runner.ts';
import { readValue } from '../../src/diagnostics/shell.ts';
import { DiagnosticCheckSchema } from '../../src/runbooks/model.ts';
import { check, context, type LocalServer, localServer } from './support.ts';

let ok: LocalServer;
let broken: LocalServer;
let slow: LocalServer;
let dir: string;

beforeAll(async () => {
  ok = await localServer((_req, res) => res.end('ok'));
  broken = await localServer((_req, res) => {
    res.statusCode = 503;
    res.end('down');
  });
  // Never answers: only the check's own timeout can end the wait.
  slow = await localServer(() => undefined);
  dir = mkdtempSync(join(tmpdir(), 'incident-bot-diag-'));
});
afterAll(async () => {
  await Promise.all([ok.close(), broken.close(), slow.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('http_check against local servers', () => {
  it('is healthy when every URL answers in time', async () => {
    const r = await runCheck(
      check({ id: 'api', kind: 'http_check', urls: [`${ok.url}/a`, `${ok.url}/b`] }),
      context(),
    );
    expect(r).toMatchObject({ status: 'healthy', display: expect.stringMatching(/^2\/2 ready/) });
  });

  it('is critical when one answers 503, with the status in the detail', async () => {
    const r = await runCheck(check({ id: 'api', kind: 'http_check', urls: [ok.url, broken.url] }), context());
    expect(r.status).toBe('critical');
    expect(r.detail).toContain('503');
  });

  it('times out a slow server: error with the reason, never healthy', async () => {
    const r = await runCheck(
      check({ id: 'api', kind: 'http_check', urls: [slow.url], timeout: '1s' }),
      context(),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/timed out after 1000 ms/);
  });

  it('applies thresholds over the URLs', async () => {
    const r = await runCheck(
      check({
        id: 'api',
        kind: 'http_check',
        urls: [ok.url, broken.url],
        thresholds: { warning: 'latency > 60s', critical: 'any status >= 500' },
      }),
      context(),
    );
    expect(r).toMatchObject({ status: 'critical', threshold: 'critical any status >= 500' });
  });
});

describe('shell_command', () => {
  it('runs argv without a shell: metacharacters are plain arguments', async () => {
    const r = await runCheck(
      check({ id: 's', kind: 'shell_command', command: 'echo 42; rm -rf /', value: { regex: '^(\\d+);' } }),
      context(),
    );
    expect(r).toMatchObject({ status: 'healthy', value: 42 });
    expect(r.detail).toBe('42; rm -rf /');
  });

  it('reads the value the way the runbook says, never the first digits anywhere (issue 14)', async () => {
    const out = 'pod api-7f9 restarts: 3\nmemory=512.5 MiB';
    expect(readValue(out, undefined)).toBeNull();
    expect(readValue('  -12.5\n', 'output')).toBe(-12.5);
    expect(readValue(out, { name: 'restarts' })).toBe(3);
    expect(readValue(out, { name: 'memory' })).toBe(512.5);
    expect(readValue(out, { regex: 'api-(\\d+)f9' })).toBe(7);
    expect(() => readValue(out, { name: 'cpu' })).toThrow('the output has no "cpu: <number>"');
    const r = await runCheck(
      check({
        id: 's',
        kind: 'shell_command',
        command: ['echo', 'pod api-7f9 restarts: 3'],
        value: { name: 'restarts' },
        thresholds: { critical: '>= 5' },
      }),
      context(),
    );
    expect(r).toMatchObject({ status: 'healthy', value: 3 });
    expect(
      DiagnosticCheckSchema.safeParse({
        id: 'x',
        kind: 'shell_command',
        command: 'x',
        value: { regex: '\\d+' },
      }).success,
    ).toBe(false);
  });

  it('passes PATH and nothing else from the environment', async () => {
    process.env.INCIDENT_BOT_SECRET_FOR_TEST = 'leak';
    const r = await runCheck(check({ id: 's', kind: 'shell_command', command: ['env'] }), context());
    delete process.env.INCIDENT_BOT_SECRET_FOR_TEST;
    expect(r.detail.split('\n').map((l) => l.split('=')[0])).toEqual(['PATH']);
  });

  it('kills a command at its timeout, children included', async () => {
    const r = await runCheck(
      check({ id: 's', kind: 'shell_command', command: ['sh', '-c', 'sleep 30; echo late'], timeout: '1s' }),
      context(),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toMatch(/timed out/);
  });

  it('stops a command whose output passes the cap', async () => {
    const r = await runCheck(
      check({ id: 's', kind: 'shell_command', command: ['yes'], timeout: '5s' }),
      context(),
    );
    expect(r.status).toBe('error');
    expect(r.detail).toContain(`${OUTPUT_CAP_BYTES / 1024} KiB cap`);
  });

  it('reports a failing exit as critical and a missing command as error', async () => {
    expect(
      (await runCheck(check({ id: 's', kind: 'shell_command', command: 'false' }), context())).status,
    ).toBe('critical');
    const missing = await runCheck(
      check({ id: 's', kind: 'shell_command', command: 'no-such-tool-xyz' }),
      context(),
    );
    expect(missing).toMatchObject({ status: 'error', detail: expect.stringContaining('command not found') });
  });

  it('fills a placeholder from a label only when it matches the declared pattern', async () => {
    const c = check({
      id: 's',
      kind: 'shell_command',
      command: ['echo', 'pod={pod}'],
      placeholders: { pod: '[a-z0-9-]{1,63}' },
    });
    const good = await runCheck(c, context({ labels: { pod: 'api-7f9c' } }));
    expect(good).toMatchObject({ status: 'healthy', detail: 'pod=api-7f9c' });
    const evil = await runCheck(c, context({ labels: { pod: 'api; rm -rf /' } }));
    expect(evil.status).toBe('error');
    expect(evil.detail).toMatch(/does not match .*refused to run/);
    const undeclared = await runCheck(
      check({ id: 's', kind: 'shell_command', command: 'echo {pod}' }),
      context(),
    );
    expect(undeclared).toMatchObject({ status: 'error', detail: expect.stringContaining('not declared') });
  });
});

describe('log_search in a temp directory', () => {
  it('counts and samples matching lines within the window, across a glob', async () => {
    const now = new Date('2026-11-22T12:00:00Z');
    writeFileSync(
      join(dir, 'api.log'),
      [
        '2026-11-22T11:58:00Z ERROR pool exhausted',
        '2026-11-22T11:59:30Z INFO ok',
        '2026-11-22T10:00:00Z ERROR old, outside the window',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'worker.log'), '2026-11-22 11:55:00 ERROR timeout talking to db\n');
    writeFileSync(join(dir, 'notes.txt'), '2026-11-22T11:59:00Z ERROR not a .log file\n');
    const old = join(dir, 'plain.log');
    writeFileSync(old, 'ERROR no timestamp, file untouched for a day\n');
    utimesSync(old, new Date('2026-11-21T00:00:00Z'), new Date('2026-11-21T00:00:00Z'));
    const r = await runCheck(
      check({
        id: 'errors',
        kind: 'log_search',
        source: join(dir, '*.log'),
        pattern: 'ERROR',
        window: '15m',
        thresholds: { warning: '>= 1', critical: '>= 5' },
      }),
      context({ now: () => now }),
    );
    expect(r).toMatchObject({ status: 'warning', value: 2 });
    expect(r.detail).toContain('pool exhausted');
    expect(r.detail).toContain('timeout talking to db');
    expect(r.detail).not.toContain('outside the window');
  });

  it('reads a Loki query_range URL within the window', async () => {
    let asked: URL | null = null;
    const loki = await localServer((req, res) => {
      asked = new URL(req.url ?? '/', 'http://127.0.0.1');
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            result: [
              {
                values: [
                  ['1', 'ERROR pool exhausted'],
                  ['2', 'INFO fine'],
                ],
              },
            ],
          },
        }),
      );
    });
    const now = new Date('2026-11-22T12:00:00Z');
    const r = await runCheck(
      check({
        id: 'loki',
        kind: 'log_search',
        source: `${loki.url}/loki/api/v1/query_range?query={app="api"}`,
        pattern: 'ERROR',
        window: '5m',
      }),
      context({ now: () => now }),
    );
    await loki.close();
    expect(r).toMatchObject({ status: 'healthy', value: 1, detail: 'ERROR pool exhausted' });
    const url = asked as URL | null;
    expect(url?.searchParams.get('query')).toBe('{app="api"}');
    expect(url?.searchParams.get('start')).toBe(String((now.getTime() - 300_000) * 1_000_000));
  });

  it('is an error when the source does not exist', async () => {
    const r = await runCheck(
      check({ id: 'errors', kind: 'log_search', source: join(dir, 'missing', 'x.log'), pattern: 'E' }),
      context(),
    );
    expect(r.status).toBe('error');
  });
});

describe('the runner', () => {
  it('never reports healthy for a check that failed, whatever its thresholds', async () => {
    const results = await runChecks(
      [
        check({ id: 'no_prom', kind: 'prometheus_query', query: 'up', thresholds: { critical: '< 1' } }),
        check({ id: 'no_db', kind: 'database_query', connection: 'nope', sql: 'select 1' }),
        check({
          id: 'refused',
          kind: 'http_check',
          urls: ['http://127.0.0.1:1/'],
          thresholds: { critical: 'latency > 60s' },
        }),
        check({
          id: 'typo',
          kind: 'database_query',
          connection: 'local',
          sql: 'select 1 as one',
          thresholds: { critical: 'ones > 5' },
        }),
      ],
      context({ databases: { local: `sqlite:${join(dir, 'empty.db')}` } }),
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['no_prom', 'error'],
      ['no_db', 'error'],
      ['refused', 'critical'],
      ['typo', 'error'],
    ]);
    expect(results[0]?.detail).toMatch(/PROMETHEUS_URL/);
  });

  it('queries SQLite read-only and refuses writes', async () => {
    const path = join(dir, 'app.db');
    const db = new Database(path);
    db.exec('CREATE TABLE pool (used INTEGER, max INTEGER); INSERT INTO pool VALUES (95, 100);');
    db.close();
    const databases = { app: `sqlite:${path}` };
    const read = await runCheck(
      check({
        id: 'pool',
        kind: 'database_query',
        connection: 'app',
        sql: 'SELECT 100.0 * used / max AS pct_used FROM pool',
        thresholds: { critical: 'pct_used >= 90' },
      }),
      context({ databases }),
    );
    expect(read).toMatchObject({ status: 'critical', value: 95 });
    const write = await runCheck(
      check({ id: 'evil', kind: 'database_query', connection: 'app', sql: 'DELETE FROM pool' }),
      context({ databases }),
    );
    expect(write.status).toBe('error');
    const after = new Database(path, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM pool').get()).toEqual({ n: 1 });
    after.close();
  });
});
