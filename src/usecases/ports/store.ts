// The store port: what the use cases need of persistence, declared here and implemented by store/
// (SQLite today through a thin async adapter, Kysely over SQLite or PostgreSQL next). Every method
// returns a Promise so that a network database fits without touching the use cases. Names, arguments and
// results are those of the SQLite repositories; only the Promise is added.

import type {
  AlertLink,
  AlertSource,
  Incident,
  IncidentPatch,
  IncidentTimes,
  NewAlertLink,
  NewIncident,
} from '../../domain/incident.ts';
import type { IncidentStatus } from '../../domain/incidentState.ts';
import type { MilestoneTimes } from '../../domain/milestones.ts';
import type {
  BotIdentity,
  ClaimRequest,
  ExternalRef,
  Followup,
  InboxItem,
  InboxStatus,
  Job,
  JobCounts,
  NewExternalRef,
  NewFollowup,
  NewInboxItem,
  NewJob,
  Postmortem,
} from '../../domain/records.ts';
import type {
  CheckChange,
  CheckChangeResult,
  IncidentStep,
  NewStep,
  SkippedStep,
  StepProgress,
  StepSection,
  StepState,
} from '../../domain/steps.ts';
import type { NewTimelineEntry, TimelineEntry } from '../../domain/timeline.ts';
import type { NewTimer, Timer } from '../../domain/timer.ts';

export interface IncidentStore {
  create(input: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | null>;
  /** Only a dedicated channel identifies an incident: fallback incidents share the announce channel. */
  getByChannel(channelId: string): Promise<Incident | null>;
  /** Incidents declared at or after `since` (drills excluded), oldest first: MTTA/MTTR windows. */
  listDeclaredSince(since: Date): Promise<Incident[]>;
  /**
   * The milestone times of incidents declared at or after `since` (drills excluded) with an id above
   * `afterId`, by id, the first `limit`: response-time figures read page by page, a few columns each.
   */
  timesSince(since: Date, afterId: number, limit: number): Promise<IncidentTimes[]>;
  /** Incidents not yet resolved, oldest first; the first `limit` of them when given. */
  listOpen(limit?: number): Promise<Incident[]>;
  countOpen(): Promise<number>;
  /**
   * Open incidents declared by hand (slash command or modal) that have no channel yet, with an id above
   * `afterId`, by id, the first `limit`: what start-up recovery must finish, without reading every open one.
   */
  listUnopened(afterId: number, limit: number): Promise<Incident[]>;
  /** Sets the given fields (`null` clears one); null if there is no such incident. */
  update(id: number, patch: IncidentPatch): Promise<Incident | null>;
  /**
   * Moves to `status`, stamping resolved_at/closed_at on the way out and clearing them on reopen. With
   * `from`, only moves if the incident is still in that status (two "Resolve" clicks record one
   * transition). Null if nothing moved.
   */
  setStatus(id: number, status: IncidentStatus, from?: IncidentStatus): Promise<Incident | null>;
  /** Records the first acknowledgement; false if it was already acknowledged (or does not exist). */
  acknowledge(id: number): Promise<boolean>;
  /** Sets the given structured times (null clears one); null if there is no such incident. */
  setTimes(id: number, times: MilestoneTimes): Promise<Incident | null>;
}

export interface ChecklistStore {
  insertStep(step: NewStep): Promise<IncidentStep>;
  insertSteps(steps: readonly NewStep[]): Promise<IncidentStep[]>;
  getStep(stepId: number): Promise<IncidentStep | null>;
  listSteps(incidentId: number): Promise<IncidentStep[]>;
  nextPending(incidentId: number, sections?: readonly StepSection[]): Promise<IncidentStep | null>;
  setChecks(stepId: number, change: CheckChange): Promise<CheckChangeResult>;
  setStepState(
    stepId: number,
    state: StepState,
    by: string,
    reason?: string,
  ): Promise<{ changed: boolean; step: IncidentStep }>;
  setMessageTs(stepId: number, messageTs: string | null): Promise<void>;
  chooseOption(stepId: number, key: string, by: string): Promise<{ changed: boolean; step: IncidentStep }>;
  assign(stepId: number, assignee: string, by: string): Promise<{ changed: boolean; step: IncidentStep }>;
  /** One person's open steps across the open incidents, the first `limit`. */
  assignedTo(userId: string, limit?: number): Promise<IncidentStep[]>;
}

export interface TimelineStore {
  append(entry: NewTimelineEntry): Promise<TimelineEntry>;
  /** Several entries in one statement, in order; none read back. */
  appendMany(entries: readonly NewTimelineEntry[]): Promise<void>;
  /** Entries after the (at, id) cursor, oldest first. */
  page(incidentId: number, after: { at: string; id: number } | null, limit: number): Promise<TimelineEntry[]>;
  list(incidentId: number): Promise<TimelineEntry[]>;
  last(incidentId: number, kind: string): Promise<TimelineEntry | null>;
}

export interface TimerStore {
  /** Idempotent per (incident, kind, due time): `created` is false when the timer existed already. */
  schedule(timer: NewTimer): Promise<{ timer: Timer; created: boolean }>;
  /** Several timers in one statement, idempotent as `schedule`; none read back. */
  scheduleMany(timers: readonly NewTimer[]): Promise<void>;
  get(id: number): Promise<Timer | null>;
  cancel(incidentId: number, kinds?: readonly string[]): Promise<number>;
  /** Hands each due timer out at most once. */
  claimDue(now?: Date, limit?: number): Promise<Timer[]>;
  /**
   * Leases due timers to `owner` until now + leaseMs without firing them: a claimant that dies before
   * `complete` loses the lease when it expires and another replica takes the timer over.
   */
  claimDueLeased(
    owner: string,
    leaseMs: number,
    now?: Date,
    limit?: number,
    skip?: readonly number[],
  ): Promise<Timer[]>;
  /** Extends the leases `owner` still holds on these unfired timers to now + leaseMs; returns their ids. */
  renew(owner: string, ids: readonly number[], leaseMs: number): Promise<number[]>;
  /** Marks a leased timer fired; false (and no change) when `owner` no longer holds its lease. */
  complete(id: number, owner: string): Promise<boolean>;
  /**
   * Frees every timer lease not held by `owner`; returns how many. Only for a sole writer (SQLite's
   * writer lock) whose predecessor is known dead: replicas on PostgreSQL wait for leases to expire.
   */
  releaseOthers(owner: string): Promise<number>;
  listOpen(incidentId: number): Promise<Timer[]>;
  /** Timers of no incident (the daily prune, the follow-up check) not fired, cancelled nor being fired now. */
  listOpenGlobal(kind: string): Promise<Timer[]>;
  /**
   * Plans a timer of no incident unless one of its kind is open (as `listOpenGlobal` counts them), decided
   * in the database: two replicas starting at once plan one daily prune, not two. Null when one was open.
   */
  scheduleSole(timer: NewTimer & { incidentId: null }): Promise<Timer | null>;
}

export interface InboxStore {
  insert(item: NewInboxItem): Promise<{ id: number; duplicate: boolean }>;
  get(id: number): Promise<InboxItem | null>;
  prune(bodiesBefore: Date, rowsBefore: Date): Promise<{ bodies: number; rows: number }>;
  /** `skip`: pages this process is still processing, never claimed again by it. */
  claim(limit?: number, leaseMs?: number, skip?: readonly number[]): Promise<InboxItem[]>;
  /**
   * Extends the leases of pages still pending under these claims (a claim is its page and attempt: a later
   * claim by another replica is another attempt) to now + leaseMs; returns the ids renewed.
   */
  renew(claims: readonly Pick<InboxItem, 'id' | 'attempts'>[], leaseMs: number): Promise<number[]>;
  markDone(id: number, incidentId?: number | null): Promise<void>;
  markFailed(id: number, error: string, nextAttemptAt: Date | null): Promise<void>;
  list(options?: { status?: InboxStatus; limit?: number }): Promise<InboxItem[]>;
}

export interface IdentityStore {
  get(): Promise<BotIdentity | null>;
  remember(userId: string, botId: string): Promise<void>;
}

export interface JobStore {
  /** Returns how many were new: a job whose key exists already is not queued twice. */
  enqueue(jobs: readonly NewJob[]): Promise<number>;
  claim(request: ClaimRequest): Promise<Job[]>;
  /** Extends the leases `owner` still holds on these queued jobs to now + leaseMs; returns their ids. */
  renew(owner: string, ids: readonly number[], leaseMs: number): Promise<number[]>;
  complete(id: number, owner: string): Promise<void>;
  retry(id: number, owner: string, error: string, at: Date): Promise<void>;
  fail(id: number, owner: string, error: string): Promise<void>;
  releaseOthers(owner: string): Promise<number>;
  wakeRetrying(): Promise<number>;
  counts(): Promise<JobCounts>;
  forIncident(incidentId: number): Promise<Job[]>;
  prune(before: Date): Promise<number>;
}

export interface ExternalRefStore {
  /** The first recorded per (system, local key) wins. */
  record(ref: NewExternalRef): Promise<ExternalRef>;
  get(system: string, localKey: string): Promise<ExternalRef | null>;
  byRemote(system: string, remoteId: string): Promise<ExternalRef | null>;
  forIncident(incidentId: number): Promise<ExternalRef[]>;
}

export interface AlertLinkStore {
  latest(source: AlertSource, dedupKey: string): Promise<AlertLink | null>;
  findOpen(source: AlertSource, dedupKey: string): Promise<AlertLink | null>;
  link(input: NewAlertLink): Promise<{ link: AlertLink; created: boolean }>;
  closeForIncident(incidentId: number): Promise<number>;
  listForIncident(incidentId: number): Promise<AlertLink[]>;
  countIncidentsSince(since: Date, except?: number | null): Promise<number>;
}

export interface IdempotencyStore {
  /** True the first time `key` is seen, false afterwards. */
  firstTime(key: string): Promise<boolean>;
  seen(key: string): Promise<boolean>;
  prune(before: Date): Promise<number>;
}

export interface PostmortemStore {
  schedule(incidentId: number, dueAt: Date): Promise<Postmortem>;
  get(incidentId: number): Promise<Postmortem | null>;
  markDone(incidentId: number, url: string, by: string): Promise<Postmortem | null>;
  listOpen(): Promise<Postmortem[]>;
}

export interface FollowupStore {
  add(input: NewFollowup): Promise<Followup>;
  listForIncident(incidentId: number): Promise<Followup[]>;
  listOverdue(today: string, remindedBefore: Date): Promise<Followup[]>;
  markReminded(id: number): Promise<void>;
  markDone(id: number): Promise<Followup | null>;
}

export interface HeartbeatStore {
  beat(name: string, at?: Date): Promise<void>;
  last(name: string): Promise<Date | null>;
  /** The names starting with `prefix` that beat at `since` or later, the most recent first. */
  since(prefix: string, since: Date, limit: number): Promise<string[]>;
}

/** App Home's view of every open incident, in a fixed number of queries whatever their number. */
export interface OpenBoardStore {
  progress(): Promise<Map<number, StepProgress>>;
  timers(): Promise<Map<number, Timer[]>>;
  /**
   * The `limit` most urgent open incidents (most severe, then oldest), with the step progress and pending
   * timers of those only: what App Home can show, whatever the number open. After `after` (the last incident
   * of the previous page) when given, so the board can be read a page at a time.
   */
  mostUrgent(limit: number, after?: UrgencyCursor): Promise<OpenBoard>;
}

/** Where a page of the most urgent incidents ends: the order's keys of its last incident. */
export type UrgencyCursor = Pick<Incident, 'severity' | 'declaredAt' | 'id'>;

/** Open incidents with their step progress and pending timers, by incident id. */
export interface OpenBoard {
  incidents: Incident[];
  progress: Map<number, StepProgress>;
  timers: Map<number, Timer[]>;
}

/** What incidents and drills say about each runbook, for the weekly review. */
export interface RunbookHistoryStore {
  lastDrills(): Promise<Map<string, Date>>;
  skippedSince(since: Date): Promise<SkippedStep[]>;
}

/** Timers that belong to no incident (the weekly runbook review): re-planned when the policy changes. */
export interface PeriodicTimerStore {
  pending(kind: string): Promise<{ id: number; dueAt: string }[]>;
  cancel(id: number, now: Date): Promise<boolean>;
}

export interface StoreRepositories {
  readonly incidents: IncidentStore;
  readonly checklist: ChecklistStore;
  readonly timeline: TimelineStore;
  readonly timers: TimerStore;
  readonly inbox: InboxStore;
  readonly identity: IdentityStore;
  /** Durable Slack side effects, claimed with a lease. */
  readonly jobs: JobStore;
  readonly externalRefs: ExternalRefStore;
  readonly alertLinks: AlertLinkStore;
  readonly idempotency: IdempotencyStore;
  readonly postmortems: PostmortemStore;
  readonly followups: FollowupStore;
  /** When periodic loops (the scheduler's tick) last ran, for doctor. */
  readonly heartbeats: HeartbeatStore;
  readonly openBoard: OpenBoardStore;
  readonly runbookHistory: RunbookHistoryStore;
  readonly periodicTimers: PeriodicTimerStore;
}

export interface StorePort extends StoreRepositories {
  /**
   * Runs `fn` in one transaction, for work spanning repositories (declare = incident + alert link +
   * timeline + timers) that must happen entirely or not at all. The work inside uses only `tx`; other
   * callers wait until it commits or rolls back. `tx.transaction` is a savepoint: a failure its caller
   * catches undoes only the work inside it.
   */
  transaction<T>(fn: (tx: StorePort) => Promise<T>): Promise<T>;
}
