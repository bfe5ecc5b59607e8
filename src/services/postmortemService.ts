import type { Incident } from '../domain/incident.ts';
import { transition } from '../domain/incidentState.ts';
import { postmortemDocument, timelineRows } from '../domain/postmortem.ts';
import type { Followup, Postmortem } from '../domain/records.ts';
import { responseStats, type SeverityStats } from '../domain/stats.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import type { Clock, Store } from '../store/index.ts';
import { UserError } from './incidentService.ts';
import { PostmortemReminders } from './postmortemReminders.ts';
import type { RunbookSet } from './runbookSet.ts';
import { readTimeline, renderInSlices, yieldToLoop } from './slices.ts';

/** Timeline entries rendered per slice of the post-mortem (about 10 ms each). */
const ROWS_PER_SLICE = 500;

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

/** After the fire: the post-mortem (document, due date, closing), follow-ups, drills and response statistics. */
export class PostmortemService {
  /** The durable reminders: the post-mortem's before and after its due time, and overdue follow-ups. */
  readonly reminders: PostmortemReminders;

  constructor(
    private readonly store: Store,
    private readonly runbooks: () => RunbookSet,
    private readonly now: Clock = () => new Date(),
  ) {
    this.reminders = new PostmortemReminders(store, runbooks, now);
  }

  /** The post-mortem document of an incident, built from what was recorded. */
  document(incidentId: number): string {
    const incident = this.incident(incidentId);
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    return postmortemDocument({
      incident,
      runbook: runbook ? { id: runbook.id, title: runbook.title, owner: runbook.owner } : null,
      timeline: this.store.timeline.list(incidentId),
      steps: this.store.checklist.listSteps(incidentId),
      followups: this.#followupsWithIssues(incidentId),
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
    const incident = this.incident(incidentId);
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
      steps: this.store.checklist.listSteps(incidentId),
      followups: this.#followupsWithIssues(incidentId),
      timezone,
      rows: {
        table: rendered.flatMap((r) => r.table),
        evidence: rendered.flatMap((r) => r.evidence),
      },
    });
  }

  /** Resolving schedules the post-mortem, due after the policy's delay; drills have none. */
  scheduleFor(incident: Incident): Postmortem | null {
    if (incident.drill || !incident.resolvedAt) return null;
    const due = new Date(Date.parse(incident.resolvedAt) + this.runbooks().policy.postmortem.due_after);
    const postmortem = this.store.postmortems.schedule(incident.id, due);
    this.reminders.plan(postmortem);
    this.store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'postmortem_scheduled',
      text: `Post-mortem due ${due.toISOString()}`,
      data: { dueAt: due.toISOString() },
    });
    return postmortem;
  }

  /** Marks the post-mortem written: the incident closes and its reminders stop. */
  markDone(input: { incidentId: number; link: string; actor: string }): Incident {
    return this.store.transaction(() => {
      const incident = this.incident(input.incidentId);
      const allowed = transition(incident.status, 'closed', { postMortemDone: true });
      if (!allowed.ok) throw new UserError(allowed.reason);
      this.store.postmortems.schedule(incident.id, this.now());
      this.store.postmortems.markDone(incident.id, input.link, input.actor);
      this.store.timers.cancel(incident.id);
      const closed = this.store.incidents.setStatus(incident.id, 'closed', incident.status) as Incident;
      this.store.timeline.append({
        incidentId: incident.id,
        actor: input.actor,
        kind: 'postmortem_done',
        text: `Post-mortem done: ${input.link}`,
        data: { link: input.link },
      });
      return closed;
    });
  }

  addFollowup(input: {
    incidentId: number;
    text: string;
    ownerId: string;
    dueDate: string;
    actor: string;
  }): Followup {
    const text = input.text.trim();
    if (!text)
      throw new UserError(
        'Say what has to be done. Example: /incident followup Add an alert on pool usage @alice 2026-12-01',
      );
    const added = this.store.transaction(() => {
      this.incident(input.incidentId);
      const followup = this.store.followups.add({ ...input, text, createdBy: input.actor });
      this.store.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: 'followup',
        text: `Follow-up: ${text} -> <@${input.ownerId}> -> ${input.dueDate}`,
        data: { followupId: followup.id },
      });
      return followup;
    });
    this.onFollowupAdded?.(added);
    return added;
  }

  /** Told of each new follow-up after it is stored: bot.ts files it in the issue tracker. */
  onFollowupAdded: ((followup: Followup) => void) | null = null;

  /** Marks a follow-up done, by its owner or anyone on the incident; its reminders stop. Null when already done. */
  completeFollowup(input: { followupId: number; actor: string }): Followup | null {
    return this.store.transaction(() => {
      const done = this.store.followups.markDone(input.followupId);
      if (done) {
        this.store.timeline.append({
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
  #followupsWithIssues(incidentId: number) {
    const refs = new Map(
      this.store.externalRefs
        .forIncident(incidentId)
        .map((r) => [r.localKey, { ref: r.remoteId, url: r.url }]),
    );
    return this.store.followups
      .listForIncident(incidentId)
      .map((f) => ({ ...f, issue: refs.get(`followup:${f.id}`) ?? null }));
  }

  followups(incidentId: number): Followup[] {
    return this.store.followups.listForIncident(incidentId);
  }

  postmortem(incidentId: number): Postmortem | null {
    return this.store.postmortems.get(incidentId);
  }

  /** MTTA and MTTR per severity over the last `days` days (drills excluded). */
  stats(days: number): SeverityStats[] {
    const since = new Date(this.now().getTime() - days * 86_400_000);
    return responseStats(this.store.incidents.listDeclaredSince(since));
  }

  /** The end of a drill: how long each step took and where the runbook was unclear. */
  drillReport(incidentId: number): DrillReport {
    const incident = this.incident(incidentId);
    if (!incident.drill) throw new UserError(`Incident #${incidentId} is not a drill.`);
    const runbook = incident.runbookId ? this.runbooks().catalog.byId(incident.runbookId) : undefined;
    let previous = Date.parse(incident.declaredAt);
    const steps = this.store.checklist
      .listSteps(incidentId)
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

  private incident(incidentId: number): Incident {
    const incident = this.store.incidents.get(incidentId);
    if (!incident)
      throw new UserError(`There is no incident #${incidentId}. /incident list shows the open ones.`);
    return incident;
  }
}
