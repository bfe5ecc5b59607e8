import type Database from 'better-sqlite3';
import type { StorePort } from '../../usecases/ports/store.ts';
import type { SqlKind } from './dialect.ts';

/** The store port, plus what the composition root, /readyz, doctor and /metrics need of the database. */
export interface AsyncStore extends StorePort {
  readonly kind: SqlKind;
  /**
   * The SQLite file's own handle (null on PostgreSQL), for what is about the file rather than its rows:
   * the single-writer lock, WAL checkpoints, query plans. Its statements share the store's one connection.
   */
  readonly sqlite: Database.Database | null;
  /** False once `close` was called: a scheduler tick then claims nothing. */
  isOpen(): boolean;
  /** Null when the database takes writes now, else what is wrong (for /readyz and doctor). */
  problem(): Promise<string | null>;
  /** Incidents by severity and status, for the metrics gauge. */
  incidentCounts(): Promise<{ severity: string; status: string; count: number }[]>;
  close(): Promise<void>;
}
