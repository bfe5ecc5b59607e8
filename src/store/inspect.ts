import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DRILL_FINISHED } from './drillRule.ts';
import { MIGRATIONS } from './migrations.ts';

export interface DatabaseHealth {
  exists: boolean;
  version: number;
  latest: number;
  writable: boolean;
  error: string | null;
}

/**
 * Looks at the database without changing it: its schema version against the code's, and whether a
 * write lock can be taken (then released). For `doctor` and readiness checks, which must not migrate.
 */
export function inspectDatabase(path: string): DatabaseHealth {
  const latest = MIGRATIONS.length;
  if (path !== ':memory:' && !existsSync(path)) {
    return { exists: false, version: 0, latest, writable: false, error: null };
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    const version = Number(db.pragma('user_version', { simple: true }));
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { exists: true, version, latest, writable: true, error: null };
  } catch (error) {
    return {
      exists: true,
      version: 0,
      latest,
      writable: false,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    db?.close();
  }
}

/**
 * The last finished drill of each runbook, read without migrating or writing: the linter counts a drill
 * as a test. An absent or older database has no drills.
 */
export function readDrills(path: string): Map<string, Date> {
  if (path !== ':memory:' && !existsSync(path)) return new Map();
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db
      .prepare(
        `SELECT runbook_id, max(resolved_at) AS at FROM incidents
         WHERE drill = 1 AND resolved_at IS NOT NULL AND runbook_id IS NOT NULL${DRILL_FINISHED} GROUP BY runbook_id`,
      )
      .all() as { runbook_id: string; at: string }[];
    return new Map(rows.map((r) => [r.runbook_id, new Date(r.at)]));
  } catch {
    return new Map();
  } finally {
    db?.close();
  }
}

/**
 * When the loop `name` (the scheduler) last beat, read without migrating or writing; null when the
 * database, its heartbeats table (schema before 3) or the row is absent.
 */
export function readHeartbeat(path: string, name: string): Date | null {
  if (path !== ':memory:' && !existsSync(path)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT at FROM heartbeats WHERE name = ?').get(name) as
      | { at: string }
      | undefined;
    return row ? new Date(row.at) : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
