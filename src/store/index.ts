import type Database from 'better-sqlite3';
import { AlertLinkRepository } from './alertLinks.ts';
import { ChecklistRepository } from './checklist.ts';
import { openDatabase } from './db.ts';
import { ExternalRefRepository } from './externalRefs.ts';
import { HeartbeatRepository } from './heartbeats.ts';
import { IdempotencyRepository } from './idempotency.ts';
import { IdentityRepository } from './identity.ts';
import { InboxRepository } from './inbox.ts';
import { IncidentRepository } from './incidents.ts';
import { JobRepository } from './jobs.ts';
import { OpenBoardReads } from './openBoard.ts';
import { FollowupRepository, PostmortemRepository } from './postmortems.ts';
import type { Clock } from './rows.ts';
import { TimelineRepository } from './timeline.ts';
import { TimerRepository } from './timers.ts';

export * from './alertLinks.ts';
export * from './checklist.ts';
export { openDatabase } from './db.ts';
export * from './externalRefs.ts';
export { databaseProblem, incidentCounts } from './health.ts';
export * from './heartbeats.ts';
export * from './idempotency.ts';
export * from './identity.ts';
export * from './inbox.ts';
export * from './incidents.ts';
export * from './jobs.ts';
export { MIGRATIONS, type Migration, migrate, SchemaTooNewError } from './migrations.ts';
export * from './openBoard.ts';
export * from './postmortems.ts';
export type { Clock, JsonObject } from './rows.ts';
export * from './runbookHistory.ts';
export * from './timeline.ts';
export * from './timers.ts';
export * from './writerLock.ts';

export interface Store {
  readonly db: Database.Database;
  readonly incidents: IncidentRepository;
  readonly checklist: ChecklistRepository;
  readonly timeline: TimelineRepository;
  readonly timers: TimerRepository;
  readonly inbox: InboxRepository;
  readonly identity: IdentityRepository;
  /** Durable Slack side effects, claimed with a lease. */
  readonly jobs: JobRepository;
  readonly externalRefs: ExternalRefRepository;
  readonly alertLinks: AlertLinkRepository;
  readonly idempotency: IdempotencyRepository;
  readonly postmortems: PostmortemRepository;
  readonly followups: FollowupRepository;
  /** When periodic loops (the scheduler's tick) last ran, for doctor. */
  readonly heartbeats: HeartbeatRepository;
  /** App Home's view of every open incident in a fixed number of statements. */
  readonly openBoard: OpenBoardReads;
  /**
   * Runs `fn` in one IMMEDIATE transaction, for work spanning repositories (declare = incident +
   * alert link + timeline + timers) that must happen entirely or not at all. Nested calls become
   * savepoints.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens the database at `path` (migrating it) and builds every repository on it. */
export function createStore(path: string, now: Clock = () => new Date()): Store {
  const db = openDatabase(path);
  return {
    db,
    incidents: new IncidentRepository(db, now),
    checklist: new ChecklistRepository(db, now),
    timeline: new TimelineRepository(db, now),
    timers: new TimerRepository(db, now),
    inbox: new InboxRepository(db, now),
    jobs: new JobRepository(db, now),
    externalRefs: new ExternalRefRepository(db, now),
    identity: new IdentityRepository(db, now),
    alertLinks: new AlertLinkRepository(db, now),
    idempotency: new IdempotencyRepository(db, now),
    postmortems: new PostmortemRepository(db, now),
    followups: new FollowupRepository(db, now),
    heartbeats: new HeartbeatRepository(db, now),
    openBoard: new OpenBoardReads(db),
    transaction: (fn) => db.transaction(fn).immediate(),
    close: () => {
      if (db.open) db.close();
    },
  };
}
