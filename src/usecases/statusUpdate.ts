import { formatDuration } from '../domain/duration.ts';
import type { Incident } from '../domain/incident.ts';
import { type IncidentStatus, STATUS_LABEL } from '../domain/incidentState.ts';
import { reminderCap } from '../domain/reminders.ts';
import type { Timer } from '../domain/timer.ts';
import type { TimerPayload } from '../domain/timerPlan.ts';
import {
  type BriefPrefill,
  keptInChannel,
  type StatuspagePreview,
  type UpdatePrefill,
} from '../domain/updates.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { Timekeeper } from '../services/timekeeper.ts';
import type { ChangeIncident } from './changeIncident.ts';
import type { ChatPort } from './ports/chat.ts';
import type { ResolveIncident } from './resolve.ts';

/** When a posted update does not say, the next one is promised this far ahead (P3 has no cadence). */
const DEFAULT_NEXT_UPDATE_MS = 3_600_000;

/** What the status page takes: an update of an incident that is neither just declared nor closed. */
export interface PublishableUpdate {
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
  impact: string;
  action: string;
}

/** The public status page, when one is configured (integrations/statuspage.ts). */
export interface StatusPagePort {
  /** What an update would put on the page, or null when this incident never publishes. */
  preview(incident: Incident, update: PublishableUpdate): StatuspagePreview | null;
  /** Publishes the update (a durable job); `entryId` is its timeline entry. */
  publish(incident: Incident, update: PublishableUpdate & { entryId: number }): void;
}

export interface StatusUpdateDeps {
  incidents: Pick<IncidentService, 'get' | 'steps'>;
  timekeeper: Pick<Timekeeper, 'recordUpdate' | 'lastRecord' | 'recordReminder' | 'scheduleOverdue'>;
  change: Pick<ChangeIncident, 'status'>;
  resolve: Pick<ResolveIncident, 'run'>;
  runbooks: () => Pick<RunbookSet, 'policy' | 'catalog'>;
  chat: Pick<ChatPort, 'postStatusUpdate' | 'postExecBrief' | 'remindUpdate'>;
  statusPage: StatusPagePort;
  now: () => Date;
}

function publishable(status: IncidentStatus): status is PublishableUpdate['status'] {
  return status !== 'declared' && status !== 'closed';
}

/**
 * Status-page updates and executive briefs: what the forms are prefilled with, what happens when someone
 * posts one (a status change it carries first, then the record, then the channels and the status page),
 * and the reminder when one is due.
 */
export class StatusUpdates {
  constructor(private readonly deps: StatusUpdateDeps) {}

  /** The status-update form's fields, from the last update and the step being worked, and the page's preview. */
  async statusDraft(
    incidentId: number,
  ): Promise<{ incident: Incident; prefill: UpdatePrefill; preview: StatuspagePreview | null }> {
    const incident = await this.deps.incidents.get(incidentId);
    const last = await this.deps.timekeeper.lastRecord(incidentId, 'status');
    const status: IncidentStatus = incident.status === 'declared' ? 'investigating' : incident.status;
    const prefill = {
      status,
      impact: last?.impact || incident.description,
      action: (await this.currentAction(incident)) || last?.action || '',
      nextUpdateAt: this.nextUpdate(incident),
    };
    const preview = publishable(status)
      ? this.deps.statusPage.preview(incident, { ...prefill, status })
      : null;
    return { incident, prefill, preview };
  }

  /** The executive brief's fields, from the last brief and update. */
  async briefDraft(incidentId: number): Promise<{ incident: Incident; prefill: BriefPrefill }> {
    const { incidents, timekeeper, now } = this.deps;
    const incident = await incidents.get(incidentId);
    const brief = await timekeeper.lastRecord(incidentId, 'brief');
    const update = await timekeeper.lastRecord(incidentId, 'status');
    const elapsed = formatDuration(now().getTime() - Date.parse(incident.declaredAt));
    const prefill = {
      situation:
        brief?.situation || `${incident.severity} ${incident.title}: ${incident.status} for ${elapsed}`,
      cause: brief?.cause ?? '',
      action: (await this.currentAction(incident)) || update?.action || brief?.action || '',
      eta: brief?.eta ?? '',
      impact: update?.impact || brief?.impact || incident.description,
      nextUpdateAt: this.nextUpdate(incident),
    };
    return { incident, prefill };
  }

  /**
   * Posts the status-page update to the incident channel and the status channel (a private incident's or a
   * drill's only to its own channel), after applying the status change it carries. A refused change
   * refuses the update: an update claiming it would be false.
   */
  async post(incidentId: number, input: UpdatePrefill, actor: string): Promise<void> {
    let incident = await this.deps.incidents.get(incidentId);
    if (input.status !== incident.status) {
      if (input.status === 'resolved') await this.deps.resolve.run({ incidentId, note: null, actor });
      else if (publishable(input.status))
        await this.deps.change.status({ incidentId, status: input.status, note: null, actor });
      incident = await this.deps.incidents.get(incidentId);
      if (incident.status !== input.status) return;
    }
    const entry = await this.deps.timekeeper.recordUpdate({
      incidentId,
      kind: 'status',
      actor,
      text: `Status update (${STATUS_LABEL[input.status]}): ${input.impact}`,
      record: {
        status: input.status,
        impact: input.impact,
        action: input.action,
        cause: '',
        eta: '',
        situation: '',
        nextUpdateAt: input.nextUpdateAt.toISOString(),
      },
    });
    const kept = keptInChannel(incident);
    const update = { ...input, at: this.deps.now(), service: this.serviceName(incident) };
    await this.deps.chat.postStatusUpdate(incident, update, kept);
    if (!kept && publishable(input.status))
      this.deps.statusPage.publish(incident, {
        entryId: entry.id,
        status: input.status,
        impact: input.impact,
        action: input.action,
      });
  }

  /** Posts the executive brief to the executive channel (a private incident's or a drill's only to its own). */
  async postBrief(incidentId: number, input: BriefPrefill, actor: string): Promise<void> {
    const incident = await this.deps.incidents.get(incidentId);
    await this.deps.timekeeper.recordUpdate({
      incidentId,
      kind: 'brief',
      actor,
      text: `Executive brief: ${input.situation}`,
      record: { status: incident.status, ...input, nextUpdateAt: input.nextUpdateAt.toISOString() },
    });
    const brief = { ...input, at: this.deps.now() };
    await this.deps.chat.postExecBrief(incident, brief, keptInChannel(incident), actor);
  }

  /** An update or brief is due (or overdue): recorded, the next reminder of the chain planned, the channel reminded. */
  async remind(
    incident: Incident,
    timer: Timer,
    payload: TimerPayload,
    kind: 'status' | 'brief',
    late: string,
  ): Promise<void> {
    const now = this.deps.now();
    const overdueMs = now.getTime() - Date.parse(payload.since);
    const overdueBy = overdueMs >= 60_000 ? formatDuration(overdueMs) : null;
    await this.deps.timekeeper.recordReminder(incident, kind, overdueBy);
    await this.deps.timekeeper.scheduleOverdue(incident, timer, payload);
    if (!incident.channelId) return;
    const cap = reminderCap(this.deps.runbooks().policy);
    await this.deps.chat.remindUpdate(incident, {
      kind,
      dueAt: payload.since,
      now,
      late,
      round: payload.round,
      cap,
    });
  }

  private nextUpdate(incident: Incident): Date {
    const every = this.deps.runbooks().policy.severities[incident.severity]?.update_every ?? 'none';
    return new Date(this.deps.now().getTime() + (every === 'none' ? DEFAULT_NEXT_UPDATE_MS : every));
  }

  private async currentAction(incident: Incident): Promise<string> {
    const step = (await this.deps.incidents.steps(incident.id)).find(
      (s) => s.section === 'step' && s.state === 'active',
    );
    return step ? `Step ${step.number ?? ''}: ${step.title}`.replace('  ', ' ') : '';
  }

  /** The service name of the status page: the runbook's front matter `service`, else the incident title. */
  private serviceName(incident: Incident): string {
    const runbook = incident.runbookId ? this.deps.runbooks().catalog.byId(incident.runbookId) : undefined;
    return runbook?.meta.service ?? incident.title;
  }
}
