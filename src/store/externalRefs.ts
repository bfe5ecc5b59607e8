import type Database from 'better-sqlite3';
import { type ExternalRef, ExternalRefSchema, type NewExternalRef } from '../domain/records.ts';
import { type Clock, parseOptionalRow, parseRows } from './rows.ts';

export { type ExternalRef, ExternalRefSchema, type NewExternalRef } from '../domain/records.ts';

/** Records integrations created elsewhere, one per (system, local key): the first recorded wins. */
export class ExternalRefRepository {
  readonly #now: Clock;
  readonly #insert: Database.Statement;
  readonly #byLocal: Database.Statement;
  readonly #byRemote: Database.Statement;
  readonly #forIncident: Database.Statement;

  constructor(db: Database.Database, now: Clock) {
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO external_refs (incident_id, system, local_key, remote_id, url, created_at)
       VALUES (@incidentId, @system, @localKey, @remoteId, @url, @now) ON CONFLICT DO NOTHING`,
    );
    this.#byLocal = db.prepare('SELECT * FROM external_refs WHERE system = ? AND local_key = ?');
    this.#byRemote = db.prepare('SELECT * FROM external_refs WHERE system = ? AND remote_id = ?');
    this.#forIncident = db.prepare('SELECT * FROM external_refs WHERE incident_id = ? ORDER BY id');
  }

  record(ref: NewExternalRef): ExternalRef {
    this.#insert.run({ ...ref, now: this.#now().toISOString() });
    return this.get(ref.system, ref.localKey) as ExternalRef;
  }

  get(system: string, localKey: string): ExternalRef | null {
    return parseOptionalRow(ExternalRefSchema, this.#byLocal.get(system, localKey));
  }

  byRemote(system: string, remoteId: string): ExternalRef | null {
    return parseOptionalRow(ExternalRefSchema, this.#byRemote.get(system, remoteId));
  }

  forIncident(incidentId: number): ExternalRef[] {
    return parseRows(ExternalRefSchema, this.#forIncident.all(incidentId));
  }
}
