/**
 * What the store benches share: a call timed RUNS times after 20 warm-up calls, a declare of the shape a page
 * makes, and the same measure run on a SQLite file and on a throwaway PostgreSQL on 127.0.0.1 (fsync off, as
 * in the tests), printed as one table of medians (p95) side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type AsyncStore, createStore } from '../src/store/sql/index.ts';
import { startPostgres } from '../test/support/realServers.ts';

export const RUNS = Number(process.env.BENCH_RUNS ?? 300);

/** `fn(i)` RUNS times after 20 warm-up calls (given negative `i`), its milliseconds sorted. */
export async function timed(label: string, fn: (i: number) => Promise<unknown>): Promise<[string, number[]]> {
  for (let i = 0; i < 20; i++) await fn(-1 - i);
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn(i);
    ms.push(performance.now() - start);
  }
  return [label, ms.sort((a, b) => a - b)];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export interface DeclareShape {
  steps: number;
  timers: readonly (readonly [
    kind: 'escalation' | 'status_update' | 'postmortem_reminder',
    minutes: number,
  ])[];
  jobs: readonly string[];
  /** A command in each step, as a runbook's steps usually have. */
  commands?: boolean;
}

/** The database work of a page's declare in one transaction: incident, alert link, timeline, timers, steps, jobs. */
export async function declare(store: AsyncStore, n: number, shape: DeclareShape): Promise<number> {
  return store.transaction(async (tx) => {
    const incident = await tx.incidents.create({
      title: `Bench ${n}`,
      severity: 'P1',
      declaredBy: 'U1',
      source: 'alertmanager',
    });
    await tx.alertLinks.link({ source: 'alertmanager', dedupKey: `group-${n}`, incidentId: incident.id });
    await tx.timeline.append({ incidentId: incident.id, actor: 'bot', kind: 'declared', text: 'declared' });
    for (const [kind, minutes] of shape.timers) {
      await tx.timers.schedule({
        incidentId: incident.id,
        kind,
        dueAt: new Date(Date.now() + minutes * 60_000),
      });
    }
    await tx.checklist.insertSteps(
      Array.from({ length: shape.steps }, (_, position) => ({
        incidentId: incident.id,
        position,
        section: 'step' as const,
        title: `Step ${position + 1}`,
        ...(shape.commands
          ? { commands: [{ lang: 'sh', code: `kubectl get pods -n app-${position}` }] }
          : {}),
        checks: ['first check', 'second check'],
      })),
    );
    await tx.jobs.enqueue(
      shape.jobs.map((kind) => ({ incidentId: incident.id, kind, key: `${kind}-${incident.id}` })),
    );
    return incident.id;
  });
}

/** `measure` on a fresh SQLite file and a fresh PostgreSQL database, printed as one table. */
export async function sideBySide(
  name: string,
  measure: (store: AsyncStore) => Promise<[string, number[]][]>,
): Promise<void> {
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), `incident-bot-bench-${name}-`));
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const sqlite = await createStore({ databasePath: join(dir, 'bench.db') });
    const postgres = await createStore({
      databasePath: '',
      databaseUrl: server.url.replace(/\/postgres$/, '/bench'),
    });
    const rows = [await measure(sqlite), await measure(postgres)];
    await sqlite.close();
    await postgres.close();
    console.log(`Node ${process.version}, ${RUNS} runs each after 20 warm-up, median (p95) in ms\n`);
    console.log('| operation | SQLite | PostgreSQL |\n|---|---|---|');
    for (const [index, [label, ms]] of (rows[0] ?? []).entries()) {
      const pgMs = rows[1]?.[index]?.[1] ?? [];
      console.log(
        `| ${label} | ${pct(ms, 0.5).toFixed(2)} (${pct(ms, 0.95).toFixed(2)}) | ${pct(pgMs, 0.5).toFixed(2)} (${pct(pgMs, 0.95).toFixed(2)}) |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}
