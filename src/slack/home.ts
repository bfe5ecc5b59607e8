import type { WebClient } from '@slack/web-api';
import type { Incident } from '../domain/incident.ts';
import { ROLES, type Role } from '../domain/policy.ts';
import type { Followup } from '../domain/records.ts';
import { overdueOf } from '../domain/reminders.ts';
import type { SeverityStats } from '../domain/stats.ts';
import type { StepProgress } from '../domain/steps.ts';
import type { Timer } from '../domain/timer.ts';
import { TIMER_KIND } from '../domain/timerPlan.ts';
import type { Logger } from '../log.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import { renderInSlices, yieldToLoop } from '../services/slices.ts';
import { IncidentAccess } from './access.ts';
import { type AssignedTask, type HomeIncident, homeView } from './blocks/home.ts';
import { slackErrorCode } from './errors.ts';

/** Home tabs kept fresh on changes: people who opened theirs within this window, at most MAX_VIEWERS of them. */
const VIEWER_WINDOW_MS = 24 * 3_600_000;
const MAX_VIEWERS = 200;
const CACHE_MS = 60_000;
/**
 * Open incidents read for the tab, most urgent first: more than its 100 blocks can show (30 cards, then
 * lines packed several to a block), and a bounded read however many are open (10k took ~30 MiB).
 */
export const HOME_READ = 500;

/** Who opened their Home tab, kept where every replica sees it (the store's heartbeats). */
export interface HomeViewers {
  seen(userId: string, at: Date): Promise<void>;
  recent(since: Date, limit: number): Promise<string[]>;
}

const ROLE_LABEL: Record<Role, string> = {
  incident_commander: 'incident commander (team)',
  deployment: 'deployment',
  root_cause: 'root cause',
  communications: 'communications',
  executive_summary: 'executive summary',
  verification: 'verification',
};

/** The timers that escalate: the severity's, the runbook's own, and the repeat of an unacknowledged one. */
const ESCALATION_KINDS: ReadonlySet<string> = new Set([
  TIMER_KIND.escalate,
  TIMER_KIND.runbookEscalate,
  TIMER_KIND.escalateRepeat,
]);
const isEscalation = (t: Timer) => ESCALATION_KINDS.has(t.kind);
const isUpdate = (t: Timer) => t.kind === TIMER_KIND.updateDue;

/** Post-mortems, follow-ups and response times for the tab (PostmortemService fits). */
export interface HomeAftermathSource {
  stats(days: number): Promise<SeverityStats[]>;
  reminders: {
    openPostmortemsOf(
      userId: string,
    ): Promise<{ incidentId: number; channelId: string | null; dueAt: string }[]>;
    overdueFollowupsOf(userId: string): Promise<Followup[]>;
  };
}

/** Incidents of a snapshot made into one viewer's cards per turn of the event loop. */
const VIEW_SLICE = 100;

/** The window of the MTTA/MTTR section. */
const STATS_DAYS = 30;

/** What one refresh reads once and shares between every viewer's tab. */
interface Snapshot {
  /** How many incidents are open, of which `incidents` are the most urgent. */
  total: number;
  /** MTTA/MTTR of the window: the same for every viewer, so read once a snapshot (10k incidents, ~150 ms). */
  stats: SeverityStats[] | null;
  incidents: {
    incident: Incident;
    progress: StepProgress | undefined;
    timers: Timer[];
    members: Set<string> | null;
  }[];
}

/**
 * Publishes each user's App Home tab (views.publish): on app_home_opened, and again for recent viewers
 * whenever an incident changes. Publishing is single-flight per user: a change arriving while that user's
 * tab is being published triggers exactly one more publish afterwards, so bursts of clicks coalesce without
 * any timer.
 */
export class HomePublisher {
  private readonly viewers = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  /**
   * Kept until an incident changes (refresh), so opening the tab reads nothing when nothing changed;
   * at most CACHE_MS old, in case a change reaches the database without passing through the workflow.
   */
  private cached: { at: number; snapshot: Promise<Snapshot> } | null = null;
  constructor(
    private readonly client: WebClient,
    private readonly service: IncidentService,
    private readonly runbooks: () => RunbookSet,
    private readonly access: IncidentAccess,
    /** The post-mortems, follow-ups and MTTA/MTTR of the tab; null leaves them out. */
    private readonly aftermath: HomeAftermathSource | null,
    /** The steps handed to the viewer, first in "My tasks" (app/course.ts); null leaves them out. */
    private readonly assignments: ((userId: string) => Promise<AssignedTask[]>) | null,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
    /** Replicas: who looked, shared through the database, and no snapshot kept between changes. */
    private readonly shared: { viewers: HomeViewers; cacheMs: number } | null = null,
  ) {}

  /** The user opened the Home tab: remember them and publish their tab now. */
  async opened(userId: string): Promise<void> {
    this.viewers.delete(userId);
    this.viewers.set(userId, this.now().getTime());
    await this.shared?.viewers.seen(userId, this.now());
    while (this.viewers.size > MAX_VIEWERS) {
      const oldest = this.viewers.keys().next().value;
      if (oldest === undefined) break;
      this.viewers.delete(oldest);
    }
    await this.publish([userId]);
  }

  /**
   * Starts a refresh without waiting for it: a responder's click must not wait on other people's Home tabs.
   * `settled()` waits for it (tests, shutdown).
   */
  refreshInBackground(): void {
    // A burst of changes (50 responders clicking) costs one snapshot read: a refresh that has not started
    // yet reads the state as it is when it starts. It starts after the I/O already waiting (the next acks).
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    const run: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        this.refreshQueued = false;
        return this.refresh();
      })
      .catch((error: unknown) => this.log.warn({ err: error }, 'App Home refresh failed'))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }
  private refreshQueued = false;

  /** Resolves once no background refresh is running. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** An incident changed: refresh the tabs of everyone who looked recently. */
  async refresh(): Promise<void> {
    this.cached = null;
    const since = this.now().getTime() - VIEWER_WINDOW_MS;
    for (const [user, at] of this.viewers) if (at < since) this.viewers.delete(user);
    // Another replica served some of them: a change made here reaches their tabs too.
    const elsewhere = (await this.shared?.viewers.recent(new Date(since), MAX_VIEWERS)) ?? [];
    await this.publish([...new Set([...this.viewers.keys(), ...elsewhere])]);
  }

  private async publish(users: readonly string[]): Promise<void> {
    const todo: string[] = [];
    const waits: Promise<void>[] = [];
    for (const user of users) {
      const current = this.running.get(user);
      if (current) {
        this.dirty.add(user);
        waits.push(current);
      } else todo.push(user);
    }
    if (todo.length > 0) {
      const snapshot = await this.snapshot();
      for (const user of todo) waits.push(this.start(user, snapshot));
    }
    await Promise.all(waits);
  }

  private start(user: string, first: Snapshot): Promise<void> {
    const run = (async () => {
      let snapshot: Snapshot | null = first;
      do {
        this.dirty.delete(user);
        await this.publishOne(user, snapshot ?? (await this.snapshot()));
        snapshot = null;
      } while (this.dirty.has(user));
    })().finally(() => this.running.delete(user));
    this.running.set(user, run);
    return run;
  }

  private snapshot(): Promise<Snapshot> {
    const now = this.now().getTime();
    // Replicas keep none: a change another replica made would not clear it.
    const cacheMs = this.shared?.cacheMs ?? CACHE_MS;
    if (this.cached && now - this.cached.at < cacheMs) return this.cached.snapshot;
    const snapshot = this.read().catch((error: unknown) => {
      this.cached = null;
      throw error;
    });
    this.cached = { at: now, snapshot };
    return snapshot;
  }

  private async read(): Promise<Snapshot> {
    const board = await this.service.urgentBoard(HOME_READ);
    const incidents = [];
    for (const incident of board.incidents) {
      incidents.push({
        incident,
        progress: board.progress.get(incident.id),
        timers: board.timers.get(incident.id) ?? [],
        members: incident.private ? await this.access.members(incident) : null,
      });
    }
    await yieldToLoop();
    const stats = this.aftermath ? await this.aftermath.stats(STATS_DAYS) : null;
    return { total: board.total, incidents, stats };
  }

  /** The tab `user` sees for this snapshot: private incidents they are not in show by severity only. */
  async view(user: string, snapshot: Snapshot) {
    const now = this.now();
    const policy = this.runbooks().policy;
    // A viewer's roles and overdue timers in 500 incidents: in slices, the Home builder's turn is long enough.
    const incidents = await renderInSlices(snapshot.incidents, VIEW_SLICE, (slice) =>
      slice.map(({ incident, progress, timers, members }): HomeIncident => {
        const visible =
          !incident.private || IncidentAccess.named(incident, user) || (members?.has(user) ?? false);
        const roles: string[] = [];
        if (incident.commanderId === user) roles.push('incident commander');
        if (incident.declaredBy === user) roles.push('declarer');
        const team = policy.severities[incident.severity].team;
        for (const role of ROLES) if (team[role]?.users.includes(user)) roles.push(ROLE_LABEL[role]);
        const mine = roles.length > 0;
        return {
          incident,
          visible,
          currentStep: progress?.currentStep ?? null,
          progress: { done: progress?.done ?? 0, total: progress?.total ?? 0 },
          nextEscalation: timers.find(isEscalation)?.dueAt ?? null,
          nextUpdate: timers.find(isUpdate)?.dueAt ?? null,
          roles,
          overdue: mine ? overdueOf(timers, now) : [],
        };
      }),
    );
    const aftermath = this.aftermath;
    const assigned = (await this.assignments?.(user)) ?? [];
    const total = snapshot.total;
    if (!aftermath) return homeView({ incidents, total, now, assigned });
    return homeView({
      incidents,
      total,
      now,
      assigned,
      aftermath: {
        postmortems: await aftermath.reminders.openPostmortemsOf(user),
        followups: (await aftermath.reminders.overdueFollowupsOf(user)).map((f) => ({
          incidentId: f.incidentId,
          text: f.text,
          dueDate: f.dueDate,
        })),
        stats: { days: STATS_DAYS, rows: snapshot.stats ?? [] },
      },
    });
  }

  private async publishOne(user: string, snapshot: Snapshot): Promise<void> {
    // Each viewer's tab is drawn in its own turn of the event loop, and sent in another (the Web API
    // client serializes some 50 KB of blocks): not every tab at once.
    await yieldToLoop();
    try {
      const view = await this.view(user, snapshot);
      await yieldToLoop();
      await this.client.views.publish({ user_id: user, view });
    } catch (error) {
      this.log.warn({ user, error: slackErrorCode(error) }, 'could not publish the App Home tab');
    }
  }
}
