import type { Incident } from '../domain/incident.ts';
import { transition } from '../domain/incidentState.ts';
import { postmortemDocument, timelineRows } from '../domain/postmortem.ts';
import type { Followup, Postmortem } from '../domain/records.ts';
import { ResponseStats, type SeverityStats } from '../domain/stats.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { UserError } from './incidentService.ts';
import { PostmortemReminders } from './postmortemReminders.ts';
import type { RunbookSet } from './runbookSet.ts';
import { readTimeline, renderInSlices, yieldToLoop } from './slices.ts';

/** Timeline entries rendered per slice of the post-mortem (about 10 ms each). */
const ROWS_PER_SLICE = 500;

/** Incidents read at a time for the response-time figures: a few ms of SQLite and zod a page. */
const STATS_PAGE = 250;
export interface DrillReport {
  incident: Incident;
  runbook: { id: string; title: string; owner: string | null } | null;
  /** Time each step took, from the previous step's completion (or the start) to its own. */
  steps: {
    number: number | null;
    title: string;
    state: string;
    tookMs: number | null;
    skipReason: string | null;
  }[];
  totalMs: number;
  today: string;
}

/** A follow-up as a responder adds it: what, who owns it, by when (YYYY-MM-DD). */
export interface FollowupInput {
  incidentId: number;
  text: string;
  ownerId: string;
  dueDate: string;
  actor: string;
}

/** After the fire: the post-mortem (document, due date, closing), follow-ups, drills and response statistics. */
export class PostmortemService {
  /** The durable reminders: the post-mortem's before and after its due time, and overdue follow-ups. */
  readonly reminders: PostmortemReminders;

  constructor(
    private readonly store: StorePort,
    private readonly runbooks: () => RunbookSet,
    private readonly now: () => Date = () => new Date(),
    /** Told of each new follow-up after it is stored: the composition root files it in the issue tracker. */
    private readonly onFollowupAdded: (followup: Followup) => void | Promise<void> = () => {},
  ) {
    this.reminders = new PostmortemReminders(store, runbooks, now);
  }

  /** The post-mortem document of an incident, built from what was recorded. */
  async document(incidentId: number): Promise<string> {
    const incident = await this.incident(incidentId);
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    return postmortemDocument({
      incident,
      runbook: runbook ? { id: runbook.id, title: runbook.title, owner: runbook.owner } : null,
      timeline: await this.store.timeline.list(incidentId),
      steps: await this.store.checklist.listSteps(incidentId),
      followups: await this.#followupsWithIssues(incidentId),
      timezone: this.runbooks().policy.timezone,
    });
  }

  /** The incident's timeline, read in slices (see readTimeline). */
  timelineInSlices(incidentId: number): Promise<TimelineEntry[]> {
    return readTimeline(this.store.timeline, incidentId);
  }

  /**
   * The same document for a large incident without stalling the bot: the timeline is read and rendered in
   * slices, yielding to other requests between them (a 10k-entry timeline, see BENCHMARKS.md).
   */
  async documentInSlices(incidentId: number): Promise<string> {
    const incident = await this.incident(incidentId);
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    const timezone = this.runbooks().policy.timezone;
    const timeline = await readTimeline(this.store.timeline, incidentId);
    const rendered = await renderInSlices(timeline, ROWS_PER_SLICE, (slice) => [
      timelineRows(slice, timezone),
    ]);
    await yieldToLoop();
    return postmortemDocument({
      incident,
      runbook: runbook ? { id: runbook.id, title: runbook.title, owner: runbook.owner } : null,
      timeline,
      steps: await this.store.checklist.listSteps(incidentId),
      followups: await this.#followupsWithIssues(incidentId),
      timezone,
      rows: {
        table: rendered.flatMap((r) => r.table),
        evidence: rendered.flatMap((r) => r.evidence),
      },
    });
  }

  /** Resolving schedules the post-mortem, due after the policy's delay; drills have none. */
  async scheduleFor(incident: Incident): Promise<Postmortem | null> {
    const { resolvedAt } = incident;
    if (incident.drill || !resolvedAt) return null;
    const due = new Date(Date.parse(resolvedAt) + this.runbooks().policy.postmortem.due_after);
    return this.store.transaction(async (tx) => {
      const postmortem = await tx.postmortems.schedule(incident.id, due);
      await this.reminders.plan(postmortem, tx);
      await tx.timeline.append({
        incidentId: incident.id,
        actor: 'bot',
        kind: 'postmortem_scheduled',
        text: `Post-mortem due ${due.toISOString()}`,
        data: { dueAt: due.toISOString() },
      });
      return postmortem;
    });
  }

  /** Marks the post-mortem written: the incident closes and its reminders stop. */
  markDone(input: { incidentId: number; link: string; actor: string }): Promise<Incident> {
    return this.store.transaction(async (tx) => {
      const incident = await this.incident(input.incidentId, tx);
      const allowed = transition(incident.status, 'closed', { postMortemDone: true });
      if (!allowed.ok) throw new UserError(allowed.reason);
      await tx.postmortems.schedule(incident.id, this.now());
      await tx.postmortems.markDone(incident.id, input.link, input.actor);
      await tx.timers.cancel(incident.id);
      const closed = (await tx.incidents.setStatus(incident.id, 'closed', incident.status)) as Incident;
      await tx.timeline.append({
        incidentId: incident.id,
        actor: input.actor,
        kind: 'postmortem_done',
        text: `Post-mortem done: ${input.link}`,
        data: { link: input.link },
      });
      return closed;
    });
  }

  async addFollowup(input: FollowupInput): Promise<Followup> {
    const text = input.text.trim();
    if (!text)
      throw new UserError(
        'Say what has to be done. Example: /incident followup Add an alert on pool usage @alice 2026-12-01',
      );
    const added = await this.store.transaction(async (tx) => {
      await this.incident(input.incidentId, tx);
      const followup = await tx.followups.add({ ...input, text, createdBy: input.actor });
      await tx.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: 'followup',
        text: `Follow-up: ${text} -> <@${input.ownerId}> -> ${input.dueDate}`,
        data: { followupId: followup.id },
      });
      return followup;
    });
    await this.onFollowupAdded(added);
    return added;
  }

  /** Marks a follow-up done, by its owner or anyone on the incident; its reminders stop. Null when already done. */
  completeFollowup(input: { followupId: number; actor: string }): Promise<Followup | null> {
    return this.store.transaction(async (tx) => {
      const done = await tx.followups.markDone(input.followupId);
      if (done) {
        await tx.timeline.append({
          incidentId: done.incidentId,
          actor: input.actor,
          kind: 'followup_done',
          text: `Follow-up done: ${done.text}`,
          data: { followupId: done.id },
        });
      }
      return done;
    });
  }

  /** Follow-ups with the tracker issue each was filed as, for the document's action items. */
  async #followupsWithIssues(incidentId: number) {
    const refs = new Map(
      (await this.store.externalRefs.forIncident(incidentId)).map((r) => [
        r.localKey,
        { ref: r.remoteId, url: r.url },
      ]),
    );
    return (await this.store.followups.listForIncident(incidentId)).map((f) => ({
      ...f,
      issue: refs.get(`followup:${f.id}`) ?? null,
    }));
  }

  followups(incidentId: number): Promise<Followup[]> {
    return this.store.followups.listForIncident(incidentId);
  }

  postmortem(incidentId: number): Promise<Postmortem | null> {
    return this.store.postmortems.get(incidentId);
  }

  /** MTTA and MTTR per severity over the last `days` days (drills excluded). */
  async stats(days: number): Promise<SeverityStats[]> {
    const since = new Date(this.now().getTime() - days * 86_400_000);
    // Page by page and a few columns each: App Home shows these on every publish, and 10k incidents read
    // whole held some 20 MiB.
    const stats = new ResponseStats();
    let after = 0;
    for (;;) {
      const page = await this.store.incidents.timesSince(since, after, STATS_PAGE);
      stats.add(page);
      const last = page.at(-1);
      if (!last || page.length < STATS_PAGE) return stats.result();
      after = last.id;
      // Awaiting the store alone never lets the event loop turn (better-sqlite3 answers at once): 10k
      // incidents in one go held it some 150 ms, on every App Home refresh.
      await yieldToLoop();
    }
  }

  /** The end of a drill: how long each step took and where the runbook was unclear. */
  async drillReport(incidentId: number): Promise<DrillReport> {
    const incident = await this.incident(incidentId);
    if (!incident.drill) throw new UserError(`Incident #${incidentId} is not a drill.`);
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    let previous = Date.parse(incident.declaredAt);
    const steps = (await this.store.checklist.listSteps(incidentId))
      .filter((s) => s.section === 'step')
      .map((s) => {
        const finished = s.completedAt ?? (s.state === 'skipped' ? s.updatedAt : null);
        const tookMs = finished ? Date.parse(finished) - previous : null;
        if (finished) previous = Date.parse(finished);
        return { number: s.number, title: s.title, state: s.state, tookMs, skipReason: s.skipReason };
      });
    const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : this.now().getTime();
    return {
      incident,
      runbook: runbook ? { id: runbook.id, title: runbook.title, owner: runbook.owner } : null,
      steps,
      totalMs: end - Date.parse(incident.declaredAt),
      today: this.now().toISOString().slice(0, 10),
    };
  }

  private async incident(
    incidentId: number,
    store: Pick<StoreRepositories, 'incidents'> = this.store,
  ): Promise<Incident> {
    const incident = await store.incidents.get(incidentId);
    if (!incident)
      throw new UserError(`There is no incident #${incidentId}. /incident list shows the open ones.`);
    return incident;
  }
}
