import { escalationTargets, unknownConditions } from '../domain/escalation.ts';
import type { Incident } from '../domain/incident.ts';
import {
  type IncidentStatus,
  mayResolveOrChangeSeverity,
  severityRank,
  transition,
} from '../domain/incidentState.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { TimelineEntry, TimelineKind } from '../domain/timeline.ts';
import type { Timer } from '../domain/timer.ts';
import type { Severity } from '../runbooks/model.ts';
import type { OpenBoard, StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { atomic } from './atomic.ts';
import { checklistFor, resolutionChecklists, runbookNeedsUpdate } from './checklists.ts';
import {
  AuditedRefusal,
  type Declared,
  type DeclareInput,
  declaredRunbook,
  type Escalation,
  refusing,
  UserError,
} from './outcomes.ts';
import { PagingRecords } from './pagingRecords.ts';
import { processRunbook, type RunbookSet } from './runbookSet.ts';
import { readUrgentBoard } from './urgentBoard.ts';
import { startWalk } from './walk.ts';

export { type Declared, type DeclareInput, type Escalation, UserError } from './outcomes.ts';
export { EXTERNAL_ACK, EXTERNAL_UPDATE, type ExternalUpdate } from './pagingRecords.ts';

/** The incident rules: every state change goes through here, in one transaction, with a timeline entry. */
export class IncidentService {
  constructor(
    private readonly store: StorePort,
    private readonly runbooks: () => RunbookSet,
    /** Re-plans the incident's escalation and reminder timers inside the same transaction (`tx`) as each change. */
    private readonly timers?: {
      replan(incidentId: number, tx: StoreRepositories): Promise<void>;
      scheduleNew(incident: Incident, tx: StoreRepositories): Promise<void>;
    },
    /** Told of each message pinned to the timeline: the composition root sends it to the paging tool as a note. */
    private readonly onPinned: (entry: TimelineEntry) => void | Promise<void> = () => {},
  ) {
    this.paging = new PagingRecords(store);
  }

  /** What the paging tool reports (acknowledged, resolved, reassigned there), kept on the timeline. */
  readonly paging: PagingRecords;

  /** With `tx`, inside the caller's transaction (a page: the alert link and the incident commit together). */
  async declare(input: DeclareInput, tx?: StoreRepositories): Promise<Declared> {
    const set = this.runbooks();
    const title = input.title.trim();
    if (!title)
      throw new UserError('An incident needs a title. Example: /incident declare P1 Payment latency high');
    const runbook = declaredRunbook(set, input, title);
    const process = processRunbook(set);
    // A security runbook's incident is private whatever the declarer chose: its details must not leak.
    const isPrivate = input.private === true || /security/i.test(runbook?.category ?? '');

    return atomic(this.store, tx, async (tx) => {
      const incident = await tx.incidents.create({
        title,
        severity: input.severity,
        declaredBy: input.declaredBy,
        source: input.source,
        description: input.description ?? '',
        private: isPrivate,
        drill: input.drill === true,
        runbookId: runbook?.id ?? process?.id ?? null,
      });
      const inserted = await tx.checklist.insertSteps(checklistFor(incident.id, runbook, process));
      const declared = {
        actor: input.declaredBy,
        kind: 'declared',
        text: `Declared ${input.drill ? 'a drill, ' : ''}${input.severity}: ${title}`,
        data: {
          severity: input.severity,
          source: input.source,
          runbook: runbook?.id ?? null,
          ...(input.labels ? { labels: input.labels } : {}),
        },
      } as const;
      const about = runbook
        ? [{ actor: 'bot', kind: 'runbook', text: `Runbook ${runbook.id}: ${runbook.title}` } as const]
        : [];
      await tx.timeline.appendMany(
        [declared, ...about, ...(input.notes ?? [])].map((entry) => ({ ...entry, incidentId: incident.id })),
      );
      const walked = await startWalk(
        tx,
        incident.id,
        runbook ?? process ?? null,
        input.labels?.alertname,
        inserted,
      );
      await this.timers?.scheduleNew(incident, tx);
      return { incident, runbook, steps: walked ?? (await tx.checklist.listSteps(incident.id)) };
    });
  }

  async get(incidentId: number, tx: StoreRepositories = this.store): Promise<Incident> {
    const incident = await tx.incidents.get(incidentId);
    if (!incident)
      throw new UserError(`There is no incident #${incidentId}. /incident list shows the open ones.`);
    return incident;
  }

  forChannel(channelId: string): Promise<Incident | null> {
    return this.store.incidents.getByChannel(channelId);
  }

  /** The `limit` most urgent open incidents with their progress and timers, and how many are open. */
  urgentBoard(limit: number): Promise<OpenBoard & { total: number }> {
    return readUrgentBoard(this.store, limit);
  }

  /** Open incidents, oldest first; the first `limit` of them when given. */
  listOpen(limit?: number): Promise<Incident[]> {
    return this.store.incidents.listOpen(limit);
  }

  /** The oldest `limit` open incidents and how many are open: what `/incident list` shows. */
  async openPage(limit: number): Promise<{ incidents: Incident[]; total: number }> {
    const incidents = await this.store.incidents.listOpen(limit);
    return { incidents, total: await this.store.incidents.countOpen() };
  }

  steps(incidentId: number): Promise<IncidentStep[]> {
    return this.store.checklist.listSteps(incidentId);
  }

  async step(stepId: number, tx: StoreRepositories = this.store): Promise<IncidentStep> {
    const step = await tx.checklist.getStep(stepId);
    if (!step)
      throw new UserError('That step no longer exists. Scroll to the latest message of the incident.');
    return step;
  }

  timeline(incidentId: number): Promise<TimelineEntry[]> {
    return this.store.timeline.list(incidentId);
  }

  /** The newest timeline entry of `kind`, without reading the whole timeline. */
  lastOfKind(incidentId: number, kind: TimelineKind): Promise<TimelineEntry | null> {
    return this.store.timeline.last(incidentId, kind);
  }

  /** Timers of the incident still to fire (escalation, status update, ...), soonest first. */
  openTimers(incidentId: number): Promise<Timer[]> {
    return this.store.timers.listOpen(incidentId);
  }

  recordChannel(
    incidentId: number,
    channel: { id: string; name: string | null; fallback: boolean; reason?: string },
  ) {
    return this.store.transaction(async (tx) => {
      const incident = await tx.incidents.update(incidentId, {
        channelId: channel.id,
        channelName: channel.name,
        inFallback: channel.fallback,
      });
      await this.note(
        incidentId,
        'bot',
        channel.fallback ? 'channel_fallback' : 'channel',
        channel.fallback
          ? `No dedicated channel (${channel.reason ?? 'creation failed'}); running in the announce channel`
          : `Channel #${channel.name} created`,
        undefined,
        tx,
      );
      return incident;
    });
  }

  /** The channel name about to be created, kept before the call so a retry asks for the same one. */
  async reserveChannelName(incidentId: number, name: string): Promise<void> {
    await this.store.incidents.update(incidentId, { channelName: name });
  }

  async recordHeader(incidentId: number, ts: string): Promise<void> {
    await this.store.incidents.update(incidentId, { headerTs: ts });
  }

  recordStepMessage(stepId: number, ts: string): Promise<void> {
    return this.store.checklist.setMessageTs(stepId, ts);
  }

  async recordInviteSkips(
    incidentId: number,
    skipped: readonly { user: string; reason: string }[],
  ): Promise<void> {
    for (const s of skipped)
      await this.note(incidentId, 'bot', 'invite_skipped', `Not invited <@${s.user}>: ${s.reason}`, s);
  }

  setStatus(input: {
    incidentId: number;
    status: IncidentStatus;
    note?: string;
    actor: string;
  }): Promise<Incident> {
    return this.store.transaction(async (tx) => {
      const current = await this.get(input.incidentId, tx);
      if (current.status === input.status) throw new UserError(`The incident is already ${input.status}.`);
      const allowed = transition(current.status, input.status);
      if (!allowed.ok) throw new UserError(allowed.reason);
      const incident = await tx.incidents.setStatus(current.id, input.status, current.status);
      if (!incident) throw new UserError('The status changed meanwhile. Try again.');
      const note = input.note?.trim();
      await this.note(
        current.id,
        input.actor,
        'status',
        `Status ${current.status} → ${input.status}${note ? `: ${note}` : ''}`,
        { from: current.status, to: input.status },
        tx,
      );
      await this.timers?.replan(current.id, tx);
      return incident;
    });
  }

  /** The new severity; `raised` when it is more severe than before (a larger team is called in). */
  setSeverity(input: {
    incidentId: number;
    severity: Severity;
    actor: string;
  }): Promise<{ incident: Incident; raised: boolean }> {
    return refusing(this.store, async (tx) => {
      const current = await this.get(input.incidentId, tx);
      this.refuseUnlessCommander(current, input.actor, 'change the severity of');
      if (current.severity === input.severity)
        throw new UserError(`The incident is already ${input.severity}.`);
      const incident = (await tx.incidents.update(current.id, { severity: input.severity })) as Incident;
      const text = `Severity ${current.severity} → ${input.severity}`;
      await this.note(
        current.id,
        input.actor,
        'severity',
        text,
        { from: current.severity, to: input.severity },
        tx,
      );
      await this.timers?.replan(current.id, tx);
      return { incident, raised: severityRank(input.severity) < severityRank(current.severity) };
    });
  }

  setCommander(input: { incidentId: number; userId: string; actor: string }): Promise<Incident> {
    return refusing(this.store, async (tx) => {
      const current = await this.get(input.incidentId, tx);
      if (current.commanderId && current.commanderId !== input.actor && input.actor !== input.userId)
        this.refuseUnlessCommander(current, input.actor, 'hand over command of');
      if (current.commanderId && current.commanderId !== input.actor && input.actor === input.userId) {
        throw new UserError(
          `<@${current.commanderId}> is the incident commander. Ask them to hand over with /incident commander <@${input.actor}>.`,
        );
      }
      if (current.commanderId === input.userId)
        throw new UserError(`<@${input.userId}> is already the commander.`);
      await tx.incidents.update(current.id, { commanderId: input.userId });
      await tx.incidents.acknowledge(current.id);
      const text = `<@${input.userId}> is the incident commander`;
      await this.note(current.id, input.actor, 'commander', text, { userId: input.userId }, tx);
      await this.timers?.replan(current.id, tx);
      return this.get(current.id, tx);
    });
  }

  /** Resolves: the status, the timers cancelled, and the resolution checklist added (`added`). */
  resolve(input: {
    incidentId: number;
    note?: string;
    actor: string;
  }): Promise<{ incident: Incident; added: IncidentStep[] }> {
    return refusing(this.store, async (tx) => {
      const current = await this.get(input.incidentId, tx);
      this.refuseUnlessCommander(current, input.actor, 'resolve');
      const allowed = transition(current.status, 'resolved');
      if (!allowed.ok) throw new UserError(allowed.reason);
      const incident = (await tx.incidents.setStatus(current.id, 'resolved', current.status)) as Incident;
      await tx.timers.cancel(current.id);
      const note = input.note?.trim();
      const text = `Resolved${note ? `: ${note}` : ''}`;
      await this.note(current.id, input.actor, 'resolved', text, { from: current.status }, tx);
      const set = this.runbooks();
      const existing = await tx.checklist.listSteps(current.id);
      const escalated = (await tx.timeline.last(current.id, 'escalation')) !== null;
      const position = existing.reduce((max, s) => Math.max(max, s.position), 0) + 1;
      const runbook = current.runbookId ? set.catalog.byId(current.runbookId) : undefined;
      const added = await tx.checklist.insertSteps(
        resolutionChecklists(
          current.id,
          position,
          runbook,
          processRunbook(set),
          existing,
          runbookNeedsUpdate(existing, escalated),
        ),
      );
      return { incident, added };
    });
  }

  /**
   * Escalates at once: to the severity's target, and to the targets of each flagged condition (data
   * breach, user data, revenue impact). Each flag and the escalation are recorded.
   */
  async escalate(input: {
    incidentId: number;
    conditions: readonly string[];
    note?: string;
    actor: string;
  }): Promise<Escalation> {
    const policy = this.runbooks().policy;
    const unknown = unknownConditions(policy, input.conditions);
    if (unknown.length)
      throw new UserError(`Unknown condition ${unknown.join(', ')}: reload the runbooks and try again.`);
    return this.store.transaction(async (tx) => {
      const incident = await this.get(input.incidentId, tx);
      for (const key of input.conditions) {
        const label = policy.conditions[key]?.label ?? key;
        await this.note(incident.id, input.actor, 'flag', `Flagged: ${label}`, { condition: key }, tx);
      }
      const targets = escalationTargets(policy, incident.severity, input.conditions);
      const note = input.note?.trim() ?? '';
      await this.note(
        incident.id,
        input.actor,
        'escalation',
        `Escalated to ${targets.map((t) => t.label).join(', ') || 'nobody (no target in policy.yml)'}${note ? `: ${note}` : ''}`,
        { targets: targets.map((t) => t.key), conditions: [...input.conditions] },
        tx,
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
  async pin(input: {
    incidentId: number;
    actor: string;
    messageTs: string;
    text: string;
  }): Promise<TimelineEntry | null> {
    const already = (await this.store.timeline.list(input.incidentId)).some(
      (e) => e.kind === 'pin' && (e.data as { messageTs?: string } | null)?.messageTs === input.messageTs,
    );
    if (already) return null;
    const entry = await this.note(input.incidentId, input.actor, 'pin', input.text, {
      messageTs: input.messageTs,
    });
    await this.onPinned(entry);
    return entry;
  }

  note(
    incidentId: number,
    actor: string,
    kind: TimelineKind,
    text: string,
    data?: Record<string, unknown>,
    tx: StoreRepositories = this.store,
  ): Promise<TimelineEntry> {
    return tx.timeline.append({ incidentId, actor, kind, text, ...(data ? { data } : {}) });
  }

  /**
   * Only the commander (once there is one) may resolve, change severity or hand over. A refusal is audited:
   * `refusing` records it after the transaction it aborts has rolled back.
   */
  private refuseUnlessCommander(incident: Incident, actor: string, what: string): void {
    if (mayResolveOrChangeSeverity({ actor, commanderId: incident.commanderId })) return;
    throw new AuditedRefusal(
      `Only the incident commander <@${incident.commanderId}> can ${what} this incident. Ask them, or have them hand over with /incident commander <@${actor}>.`,
      {
        incidentId: incident.id,
        actor,
        kind: 'refused',
        text: `Refused: <@${actor}> tried to ${what} the incident`,
        data: { what },
      },
    );
  }
}
