import type { AlertLinkRepository } from '../alertLinks.ts';
import type { ChecklistRepository } from '../checklist.ts';
import type { ExternalRefRepository } from '../externalRefs.ts';
import type { HeartbeatRepository } from '../heartbeats.ts';
import type { IdempotencyRepository } from '../idempotency.ts';
import type { IdentityRepository } from '../identity.ts';
import type { InboxRepository } from '../inbox.ts';
import type { IncidentRepository } from '../incidents.ts';
import type { JobRepository } from '../jobs.ts';
import type { OpenBoardReads } from '../openBoard.ts';
import type { FollowupRepository, PostmortemRepository } from '../postmortems.ts';
import type { PeriodicTimers, RunbookHistory } from '../runbookHistory.ts';
import type { TimelineRepository } from '../timeline.ts';
import type { TimerRepository } from '../timers.ts';
import type { SqlKind } from './dialect.ts';

/**
 * The asynchronous mirror of today's synchronous repositories: the same method names, arguments and
 * results, each returning a Promise. Derived from the classes rather than written out, so the two
 * cannot drift apart until the use-case layer's own store port replaces this file.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

export interface StoreRepositories {
  readonly incidents: Async<IncidentRepository>;
  readonly checklist: Async<ChecklistRepository>;
  readonly timeline: Async<TimelineRepository>;
  readonly timers: Async<TimerRepository>;
  readonly inbox: Async<InboxRepository>;
  readonly identity: Async<IdentityRepository>;
  readonly jobs: Async<JobRepository>;
  readonly externalRefs: Async<ExternalRefRepository>;
  readonly alertLinks: Async<AlertLinkRepository>;
  readonly idempotency: Async<IdempotencyRepository>;
  readonly postmortems: Async<PostmortemRepository>;
  readonly followups: Async<FollowupRepository>;
  readonly heartbeats: Async<HeartbeatRepository>;
  readonly openBoard: Async<OpenBoardReads>;
  readonly runbookHistory: Async<RunbookHistory>;
  readonly periodicTimers: Async<PeriodicTimers>;
}

export interface StoreTransaction extends StoreRepositories {
  /**
   * Runs `fn` in one transaction over every repository (declare = incident + alert link + timeline +
   * timers, all or nothing): a throw rolls it all back. Nested calls become savepoints. Inside `fn`
   * use `tx` only: on SQLite the outer store waits for the transaction's one connection.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
}

export interface AsyncStore extends StoreTransaction {
  readonly kind: SqlKind;
  /** Null when the database takes writes now, else what is wrong (for /readyz and doctor). */
  problem(): Promise<string | null>;
  /** Incidents by severity and status, for the metrics gauge. */
  incidentCounts(): Promise<{ severity: string; status: string; count: number }[]>;
  close(): Promise<void>;
}
