import { escalationTargets, unknownConditions } from '../domain/escalation.ts';
import type { Incident } from '../domain/incident.ts';
import {
  type IncidentStatus,
  mayResolveOrChangeSeverity,
  severityRank,
  transition,
} from '../domain/incidentState.ts';
import type { IncidentStep, StepProgress } from '../domain/steps.ts';
import type { TimelineEntry, TimelineKind } from '../domain/timeline.ts';
import type { Timer } from '../domain/timer.ts';
import type { Runbook, Severity } from '../runbooks/model.ts';
import type { Store } from '../store/index.ts';
import { checklistFor, resolutionChecklists, runbookNeedsUpdate } from './checklists.ts';
import { type Declared, type DeclareInput, type Escalation, type Outcome, UserError } from './outcomes.ts';
import { PagingRecords } from './pagingRecords.ts';
import { processRunbook, type RunbookSet } from './runbookSet.ts';
import { startWalk } from './walk.ts';

export { type Declared, type DeclareInput, type Escalation, type Outcome, UserError } from './outcomes.ts';
export { EXTERNAL_ACK, EXTERNAL_UPDATE, type ExternalUpdate } from './pagingRecords.ts';

/** The incident rules: every state change goes through here, in one transaction, with a timeline entry. */
export class IncidentService {
  constructor(
    private readonly store: Store,
    private readonly runbooks: () => RunbookSet,
    /** Re-plans the incident's escalation and reminder timers inside the same transaction as each change. */
    private readonly timers?: { replan(incidentId: number): void },
    /** Told of each message pinned to the timeline: the composition root sends it to the paging tool as a note. */
    private readonly onPinned: (entry: TimelineEntry) => void = () => {},
  ) {
    this.paging = new PagingRecords(store);
  }

  /** What the paging tool reports (acknowledged, resolved, reassigned there), kept on the timeline. */
  readonly paging: PagingRecords;

  declare(input: DeclareInput): Declared {
    const set = this.runbooks();
    const title = input.title.trim();
    if (!title)
      throw new UserError('An incident needs a title. Example: /incident declare P1 Payment latency high');
    let runbook: Runbook | null = null;
    if (input.runbookId) {
      runbook = set.catalog.byId(input.runbookId) ?? null;
      if (!runbook) {
        throw new UserError(
          `There is no runbook ${input.runbookId}. Find one with /incident runbooks <keyword>, or declare without --runbook.`,
        );
      }
    } else if (input.matchTitle !== false) {
      runbook = set.catalog.matchTitle(title) ?? null;
    }
    const process = processRunbook(set);
    // A security runbook's incident is private whatever the declarer chose: its details must not leak.
    const isPrivate = input.private === true || /security/i.test(runbook?.category ?? '');

    return this.store.transaction(() => {
      const incident = this.store.incidents.create({
        title,
        severity: input.severity,
        declaredBy: input.declaredBy,
        source: input.source,
        description: input.description ?? '',
        private: isPrivate,
        drill: input.drill === true,
        runbookId: runbook?.id ?? process?.id ?? null,
      });
      this.store.checklist.insertSteps(checklistFor(incident.id, runbook, process));
      this.note(
        incident.id,
        input.declaredBy,
        'declared',
        `Declared ${input.drill ? 'a drill, ' : ''}${input.severity}: ${title}`,
        {
          severity: input.severity,
          source: input.source,
          runbook: runbook?.id ?? null,
          ...(input.labels ? { labels: input.labels } : {}),
        },
      );
      if (runbook) this.note(incident.id, 'bot', 'runbook', `Runbook ${runbook.id}: ${runbook.title}`);
      startWalk(this.store, incident.id, runbook ?? process ?? null, input.labels?.alertname);
      this.timers?.replan(incident.id);
      return { incident, runbook, steps: this.store.checklist.listSteps(incident.id) };
    });
  }

  get(incidentId: number): Incident {
    const incident = this.store.incidents.get(incidentId);
    if (!incident)
      throw new UserError(`There is no incident #${incidentId}. /incident list shows the open ones.`);
    return incident;
  }

  forChannel(channelId: string): Incident | null {
    return this.store.incidents.getByChannel(channelId);
  }

  /** Every open incident with its step progress and pending timers, read in three statements. */
  openBoard(): { incidents: Incident[]; progress: Map<number, StepProgress>; timers: Map<number, Timer[]> } {
    const board = this.store.openBoard;
    return { incidents: this.store.incidents.listOpen(), progress: board.progress(), timers: board.timers() };
  }

  /** Open incidents, oldest first; the first `limit` of them when given. */
  listOpen(limit?: number): Incident[] {
    return this.store.incidents.listOpen(limit);
  }

  /** The oldest `limit` open incidents and how many are open: what `/incident list` shows. */
  openPage(limit: number): { incidents: Incident[]; total: number } {
    return { incidents: this.store.incidents.listOpen(limit), total: this.store.incidents.countOpen() };
  }

  steps(incidentId: number): IncidentStep[] {
    return this.store.checklist.listSteps(incidentId);
  }

  step(stepId: number): IncidentStep {
    const step = this.store.checklist.getStep(stepId);
    if (!step)
      throw new UserError('That step no longer exists. Scroll to the latest message of the incident.');
    return step;
  }

  timeline(incidentId: number): TimelineEntry[] {
    return this.store.timeline.list(incidentId);
  }

  /** The newest timeline entry of `kind`, without reading the whole timeline. */
  lastOfKind(incidentId: number, kind: TimelineKind): TimelineEntry | null {
    return this.store.timeline.last(incidentId, kind);
  }

  /** Timers of the incident still to fire (escalation, status update, ...), soonest first. */
  openTimers(incidentId: number): Timer[] {
    return this.store.timers.listOpen(incidentId);
  }

  recordChannel(
    incidentId: number,
    channel: { id: string; name: string | null; fallback: boolean; reason?: string },
  ) {
    return this.store.transaction(() => {
      const incident = this.store.incidents.update(incidentId, {
        channelId: channel.id,
        channelName: channel.name,
        inFallback: channel.fallback,
      });
      this.note(
        incidentId,
        'bot',
        channel.fallback ? 'channel_fallback' : 'channel',
        channel.fallback
          ? `No dedicated channel (${channel.reason ?? 'creation failed'}); running in the announce channel`
          : `Channel #${channel.name} created`,
      );
      return incident;
    });
  }

  /** The channel name about to be created, kept before the call so a retry asks for the same one. */
  reserveChannelName(incidentId: number, name: string): void {
    this.store.incidents.update(incidentId, { channelName: name });
  }

  recordHeader(incidentId: number, ts: string): void {
    this.store.incidents.update(incidentId, { headerTs: ts });
  }

  recordStepMessage(stepId: number, ts: string): void {
    this.store.checklist.setMessageTs(stepId, ts);
  }

  recordInviteSkips(incidentId: number, skipped: readonly { user: string; reason: string }[]): void {
    for (const s of skipped)
      this.note(incidentId, 'bot', 'invite_skipped', `Not invited <@${s.user}>: ${s.reason}`, s);
  }

  setStatus(input: {
    incidentId: number;
    status: IncidentStatus;
    note?: string;
    actor: string;
  }): Outcome<{ incident: Incident }> {
    return this.store.transaction(() => {
      const current = this.get(input.incidentId);
      if (current.status === input.status)
        return { ok: false, reason: `The incident is already ${input.status}.` };
      const allowed = transition(current.status, input.status);
      if (!allowed.ok) return { ok: false, reason: allowed.reason };
      const incident = this.store.incidents.setStatus(current.id, input.status, current.status);
      if (!incident) return { ok: false, reason: 'The status changed meanwhile. Try again.' };
      const note = input.note?.trim();
      this.note(
        current.id,
        input.actor,
        'status',
        `Status ${current.status} → ${input.status}${note ? `: ${note}` : ''}`,
        {
          from: current.status,
          to: input.status,
        },
      );
      this.timers?.replan(current.id);
      return { ok: true, incident };
    });
  }

  setSeverity(input: {
    incidentId: number;
    severity: Severity;
    actor: string;
  }): Outcome<{ incident: Incident; raised: boolean }> {
    return this.store.transaction(() => {
      const current = this.get(input.incidentId);
      const refusal = this.refuseUnlessCommander(current, input.actor, 'change the severity of');
      if (refusal) return refusal;
      if (current.severity === input.severity)
        return { ok: false, reason: `The incident is already ${input.severity}.` };
      const incident = this.store.incidents.update(current.id, { severity: input.severity }) as Incident;
      this.note(current.id, input.actor, 'severity', `Severity ${current.severity} → ${input.severity}`, {
        from: current.severity,
        to: input.severity,
      });
      this.timers?.replan(current.id);
      return { ok: true, incident, raised: severityRank(input.severity) < severityRank(current.severity) };
    });
  }

  setCommander(input: {
    incidentId: number;
    userId: string;
    actor: string;
  }): Outcome<{ incident: Incident }> {
    return this.store.transaction(() => {
      const current = this.get(input.incidentId);
      if (current.commanderId && current.commanderId !== input.actor && input.actor !== input.userId) {
        const refusal = this.refuseUnlessCommander(current, input.actor, 'hand over command of');
        if (refusal) return refusal;
      }
      if (current.commanderId && current.commanderId !== input.actor && input.actor === input.userId) {
        return {
          ok: false,
          reason: `<@${current.commanderId}> is the incident commander. Ask them to hand over with /incident commander <@${input.actor}>.`,
        };
      }
      if (current.commanderId === input.userId)
        return { ok: false, reason: `<@${input.userId}> is already the commander.` };
      const incident = this.store.incidents.update(current.id, { commanderId: input.userId }) as Incident;
      this.store.incidents.acknowledge(current.id);
      this.note(current.id, input.actor, 'commander', `<@${input.userId}> is the incident commander`, {
        userId: input.userId,
      });
      this.timers?.replan(current.id);
      return { ok: true, incident: this.get(incident.id) };
    });
  }

  resolve(input: {
    incidentId: number;
    note?: string;
    actor: string;
  }): Outcome<{ incident: Incident; added: IncidentStep[] }> {
    return this.store.transaction(() => {
      const current = this.get(input.incidentId);
      const refusal = this.refuseUnlessCommander(current, input.actor, 'resolve');
      if (refusal) return refusal;
      const allowed = transition(current.status, 'resolved');
      if (!allowed.ok) return { ok: false, reason: allowed.reason };
      const incident = this.store.incidents.setStatus(current.id, 'resolved', current.status) as Incident;
      this.store.timers.cancel(current.id);
      const note = input.note?.trim();
      this.note(current.id, input.actor, 'resolved', `Resolved${note ? `: ${note}` : ''}`, {
        from: current.status,
      });
      const set = this.runbooks();
      const existing = this.store.checklist.listSteps(current.id);
      const position = existing.reduce((max, s) => Math.max(max, s.position), 0) + 1;
      const runbook = current.runbookId ? set.catalog.byId(current.runbookId) : undefined;
      const added = this.store.checklist.insertSteps(
        resolutionChecklists(
          current.id,
          position,
          runbook,
          processRunbook(set),
          existing,
          runbookNeedsUpdate(existing, this.store.timeline.last(current.id, 'escalation') !== null),
        ),
      );
      return { ok: true, incident, added };
    });
  }

  /**
   * Escalates at once: to the severity's target, and to the targets of each flagged condition (data
   * breach, user data, revenue impact). Each flag and the escalation are recorded.
   */
  escalate(input: {
    incidentId: number;
    conditions: readonly string[];
    note?: string;
    actor: string;
  }): Escalation {
    const policy = this.runbooks().policy;
    const unknown = unknownConditions(policy, input.conditions);
    if (unknown.length)
      throw new UserError(`Unknown condition ${unknown.join(', ')}: reload the runbooks and try again.`);
    return this.store.transaction(() => {
      const incident = this.get(input.incidentId);
      for (const key of input.conditions) {
        const label = policy.conditions[key]?.label ?? key;
        this.note(incident.id, input.actor, 'flag', `Flagged: ${label}`, { condition: key });
      }
      const targets = escalationTargets(policy, incident.severity, input.conditions);
      const note = input.note?.trim() ?? '';
      this.note(
        incident.id,
        input.actor,
        'escalation',
        `Escalated to ${targets.map((t) => t.label).join(', ') || 'nobody (no target in policy.yml)'}${note ? `: ${note}` : ''}`,
        { targets: targets.map((t) => t.key), conditions: [...input.conditions] },
      );
      return {
        incident,
        targets,
        conditions: input.conditions.map((c) => policy.conditions[c]?.label ?? c),
        note,
      };
    });
  }

  /** A :pushpin: reaction: the message joins the timeline once, however many pins it gets. */
  pin(input: { incidentId: number; actor: string; messageTs: string; text: string }): TimelineEntry | null {
    const already = this.store.timeline
      .list(input.incidentId)
      .some(
        (e) => e.kind === 'pin' && (e.data as { messageTs?: string } | null)?.messageTs === input.messageTs,
      );
    if (already) return null;
    const entry = this.note(input.incidentId, input.actor, 'pin', input.text, { messageTs: input.messageTs });
    this.onPinned(entry);
    return entry;
  }

  note(
    incidentId: number,
    actor: string,
    kind: TimelineKind,
    text: string,
    data?: Record<string, unknown>,
  ): TimelineEntry {
    return this.store.timeline.append({ incidentId, actor, kind, text, ...(data ? { data } : {}) });
  }

  private refuseUnlessCommander(
    incident: Incident,
    actor: string,
    what: string,
  ): { ok: false; reason: string } | null {
    if (mayResolveOrChangeSeverity({ actor, commanderId: incident.commanderId })) return null;
    this.note(incident.id, actor, 'refused', `Refused: <@${actor}> tried to ${what} the incident`, { what });
    return {
      ok: false,
      reason: `Only the incident commander <@${incident.commanderId}> can ${what} this incident. Ask them, or have them hand over with /incident commander <@${actor}>.`,
    };
  }
}
