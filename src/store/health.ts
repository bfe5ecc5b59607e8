import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseRows } from './rows.ts';

/**
 * Whether the database takes writes now: opens and rolls back an IMMEDIATE transaction, which needs the
 * write lock. Returns the problem as text for /readyz, or null when writable.
 */
export function databaseProblem(db: Database.Database): string | null {
  if (!db.open) return 'the database is closed';
  if (db.readonly) return 'the database was opened read-only';
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return null;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return error instanceof Error ? error.message : String(error);
  }
}

const CountRowSchema = z.object({ severity: z.string(), status: z.string(), count: z.number().int() });

/** Incidents by severity and status, for the metrics gauge. */
export function incidentCounts(db: Database.Database): z.infer<typeof CountRowSchema>[] {
  if (!db.open) return [];
  const rows = db
    .prepare('SELECT severity, status, count(*) AS count FROM incidents GROUP BY severity, status')
    .all();
  return parseRows(CountRowSchema, rows);
}
