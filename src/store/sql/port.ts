import type { StorePort } from '../../usecases/ports/store.ts';
import type { SqlKind } from './dialect.ts';

/** The store port, plus what the composition root, /readyz, doctor and /metrics need of the database. */
export interface AsyncStore extends StorePort {
  readonly kind: SqlKind;
  /** Null when the database takes writes now, else what is wrong (for /readyz and doctor). */
  problem(): Promise<string | null>;
  /** Incidents by severity and status, for the metrics gauge. */
  incidentCounts(): Promise<{ severity: string; status: string; count: number }[]>;
  close(): Promise<void>;
}
