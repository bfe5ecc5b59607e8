import { z } from 'zod';
import type { Incident } from '../domain/incident.ts';
import {
  REMINDER_STOPPED,
  REMINDER_TIMER,
  type ReminderKind,
  reminderCap,
  SNOOZES,
  type Snooze,
} from '../domain/reminders.ts';
import type { TimelineEntry, TimelineKind } from '../domain/timeline.ts';
import type { Timer } from '../domain/timer.ts';
import {
  type PlanHistory,
  type PlannedTimer,
  planTimers,
  reconcile,
  TIMER_KIND,
  type TimerPayload,
} from '../domain/timerPlan.ts';
import { PROCESS_RUNBOOK_ID } from '../runbooks/catalog.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import type { Escalation } from './incidentService.ts';
import { UserError } from './outcomes.ts';
import type { RunbookSet } from './runbookSet.ts';

/** What a status update or executive brief records on the timeline; the modal prefills from the last one. */
export const UpdateRecordSchema = z.object({
  status: z.string().default(''),
  impact: z.string().default(''),
  action: z.string().default(''),
  cause: z.string().default(''),
  eta: z.string().default(''),
  situation: z.string().default(''),
  nextUpdateAt: z.string().nullable().default(null),
});
export type UpdateRecord = z.infer<typeof UpdateRecordSchema>;

export const UPDATE_KIND = { status: 'status_update', brief: 'exec_brief' } as const;

const REMINDER_NAME: Record<ReminderKind, string> = { status: 'Status update', brief: 'Executive brief' };

const OPEN = new Set(['declared', 'investigating', 'identified', 'monitoring']);

/**
 * The bot's clock for incidents: plans the escalation and reminder timers from the severity policy and the
 * runbook, re-plans them after every change, and records what the timers and the updates did. Rules only;
 * the scheduler fires the timers and the Slack side posts.
 */
export class Timekeeper {
  constructor(
    private readonly store: StorePort,
    private readonly runbooks: () => RunbookSet,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Makes the incident's open timers match its plan. Called inside IncidentService's transaction (its `tx`)
   * after declare and every severity, status or commander change; idempotent, so calling it too often is
   * harmless.
   */
  async replan(incidentId: number, tx: StoreRepositories = this.store): Promise<void> {
    const incident = await tx.incidents.get(incidentId);
    if (!incident) return;
    const plan = await this.plan(incident, tx);
    const { cancelKinds, schedule } = reconcile(await tx.timers.listOpen(incidentId), plan);
    if (cancelKinds.length) await tx.timers.cancel(incidentId, cancelKinds);
    for (const t of schedule) {
      await tx.timers.schedule({ incidentId, kind: t.kind, dueAt: t.dueAt, payload: { ...t.payload } });
    }
  }

  /**
   * A just-declared incident's timers, in one statement: it has no update, no stopped reminder and no timer
   * yet, so `replan`'s reads (the incident again, its timeline, its timers) would find nothing to change.
   */
  async scheduleNew(incident: Incident, tx: StoreRepositories): Promise<void> {
    const plan = planTimers({
      incident,
      policy: this.runbooks().policy,
      runbook: this.#ownRunbook(incident),
      history: { lastUpdate: null, lastBrief: null, stopped: [] },
    });
    await tx.timers.scheduleMany(
      plan.map((t) => ({ incidentId: incident.id, kind: t.kind, dueAt: t.dueAt, payload: { ...t.payload } })),
    );
  }

  async plan(incident: Incident, tx: StoreRepositories = this.store): Promise<PlannedTimer[]> {
    const history = await this.history(incident.id, tx);
    return planTimers({
      incident,
      policy: this.runbooks().policy,
      runbook: this.#ownRunbook(incident),
      history,
    });
  }

  /** RUN-000's Escalation section restates the severity timers in prose; reading a delay from it would
   * escalate every incident twice. */
  #ownRunbook(incident: Incident) {
    return incident.runbookId && incident.runbookId !== PROCESS_RUNBOOK_ID
      ? (this.runbooks().catalog.byId(incident.runbookId) ?? null)
      : null;
  }

  async history(incidentId: number, tx: StoreRepositories = this.store): Promise<PlanHistory> {
    const last = async (kind: TimelineKind) => {
      const entry = await tx.timeline.last(incidentId, kind);
      return entry ? { at: entry.at, nextUpdateAt: record(entry).nextUpdateAt } : null;
    };
    const stopped = (await tx.timeline.list(incidentId))
      .filter((e) => e.kind === REMINDER_STOPPED)
      .map((e) => ({ kind: String(e.data?.timerKind ?? ''), since: String(e.data?.since ?? '') }));
    return { lastUpdate: await last(UPDATE_KIND.status), lastBrief: await last(UPDATE_KIND.brief), stopped };
  }

  /** The last status update or brief, to prefill the next one. */
  async lastRecord(incidentId: number, kind: 'status' | 'brief'): Promise<UpdateRecord | null> {
    const entry = await this.store.timeline.last(incidentId, UPDATE_KIND[kind]);
    return entry ? record(entry) : null;
  }

  isOpen(incident: Incident): boolean {
    return OPEN.has(incident.status);
  }

  /** A timer's escalation: records it and returns who to call in, in the shape of a flag escalation. */
  async escalateByTimer(input: {
    incident: Incident;
    payload: TimerPayload;
    late: string;
    /** The firing's key (`usecases/durableKeys.ts`): a firing repeated after a takeover records once. */
    onceKey?: string | null;
  }): Promise<Escalation> {
    const policy = this.runbooks().policy;
    const { incident, payload } = input;
    const target = payload.target ? policy.targets[payload.target] : undefined;
    const targets = target && payload.target ? [{ key: payload.target, ...target }] : [];
    const round = payload.round > 1 ? ` (reminder ${payload.round})` : '';
    const to = targets.map((t) => t.label).join(', ') || payload.who || 'nobody (no target in policy.yml)';
    const entry = await this.store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'escalation',
      text: `Escalated to ${to}${round}: ${payload.reason}${input.late}`,
      data: { targets: targets.map((t) => t.key), who: payload.who, round: payload.round, timer: true },
      ...(input.onceKey ? { onceKey: input.onceKey } : {}),
    });
    return { incident, targets, conditions: [], note: payload.reason, recordedAt: entry.at };
  }

  /** Schedules the next round of an unacknowledged escalation, if the severity repeats escalations. */
  async scheduleRepeat(incident: Incident, payload: TimerPayload, from?: string): Promise<Timer | null> {
    const every = this.runbooks().policy.severities[incident.severity]?.repeat_every ?? 'none';
    if (every === 'none') return null;
    // From the escalation's first record when given: timers are unique per due time, so a firing
    // repeated after a takeover plans the same repeat instead of a second one.
    const start = from ? Date.parse(from) : this.now().getTime();
    const scheduled = await this.store.timers.schedule({
      incidentId: incident.id,
      kind: TIMER_KIND.escalateRepeat,
      dueAt: new Date(start + every),
      payload: { ...payload, round: payload.round + 1 },
    });
    return scheduled.timer;
  }

  /** True when someone acknowledged the incident's escalations after `since` (a repeat's creation). */
  async acknowledgedSince(incidentId: number, since: string): Promise<boolean> {
    return (await this.store.timeline.list(incidentId)).some(
      (e) => e.kind === 'escalation_ack' && Date.parse(e.at) >= Date.parse(since),
    );
  }

  /** The Acknowledge button: stops the repeats and records who took it. */
  acknowledge(input: { incidentId: number; actor: string }): Promise<void> {
    return this.store.transaction(async (tx) => {
      const lastEscalation = await tx.timeline.last(input.incidentId, 'escalation');
      const lastAck = await tx.timeline.last(input.incidentId, 'escalation_ack');
      if (lastAck && lastEscalation && lastAck.id > lastEscalation.id) {
        throw new UserError(`<@${lastAck.actor}> already acknowledged this escalation.`);
      }
      const cancelled = await tx.timers.cancel(input.incidentId, [TIMER_KIND.escalateRepeat]);
      await tx.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: 'escalation_ack',
        text: `Escalation acknowledged by <@${input.actor}>`,
        data: { cancelledRepeats: cancelled },
      });
    });
  }

  async recordRepage(
    incident: Incident,
    reason: string,
    late: string,
    onceKey?: string | null,
  ): Promise<void> {
    await this.store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'repage',
      text: `Paged the response team again: ${reason}${late}`,
      ...(onceKey ? { onceKey } : {}),
    });
  }

  async recordReminder(
    incident: Incident,
    kind: 'status' | 'brief',
    overdueBy: string | null,
  ): Promise<void> {
    const what = kind === 'status' ? 'Status update' : 'Executive brief';
    await this.store.timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'reminder',
      text: overdueBy ? `${what} overdue by ${overdueBy}` : `${what} due`,
    });
  }

  /**
   * Schedules the next overdue reminder of the same chain (same `since`), one interval from now, unless
   * this one was the last the cap allows: then the chain ends, recorded so re-planning does not restart it.
   */
  async scheduleOverdue(incident: Incident, timer: Timer, payload: TimerPayload): Promise<void> {
    const policy = this.runbooks().policy;
    const every = policy.severities[incident.severity]?.update_every ?? 'none';
    if (every === 'none') return;
    if (payload.round >= reminderCap(policy)) {
      await this.stopChain(incident.id, 'bot', timer.kind, payload.since, 'cap');
      return;
    }
    await this.store.timers.schedule({
      incidentId: incident.id,
      kind: timer.kind,
      dueAt: new Date(this.now().getTime() + every),
      payload: { ...payload, round: payload.round + 1 },
    });
  }

  /** "Snooze": the overdue update's next reminder comes after the snooze, still counting from when it came due. */
  snooze(input: { incidentId: number; kind: ReminderKind; snooze: Snooze; actor: string }): Promise<Date> {
    return this.store.transaction(async (tx) => {
      const timer = await this.openReminder(input.incidentId, input.kind, tx);
      const until = new Date(this.now().getTime() + SNOOZES[input.snooze]);
      await tx.timers.cancel(input.incidentId, [timer.kind]);
      await tx.timers.schedule({
        incidentId: input.incidentId,
        kind: timer.kind,
        dueAt: until,
        payload: { ...(timer.payload ?? {}) },
      });
      await tx.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: 'reminder_snoozed',
        text: `${REMINDER_NAME[input.kind]} reminder snoozed for ${input.snooze === '1h' ? '1 h' : '15 min'} by <@${input.actor}>`,
        data: { timerKind: timer.kind, until: until.toISOString() },
      });
      return until;
    });
  }

  /** "Dismiss": no more reminders for this due update; the next cadence starts from the next update posted. */
  async dismiss(input: { incidentId: number; kind: ReminderKind; actor: string }): Promise<void> {
    await this.store.transaction(async (tx) => {
      const timer = await this.openReminder(input.incidentId, input.kind, tx);
      const since = String(timer.payload?.since ?? timer.dueAt);
      await tx.timers.cancel(input.incidentId, [timer.kind]);
      await this.stopChain(input.incidentId, input.actor, timer.kind, since, 'dismissed', tx);
    });
  }

  private async openReminder(incidentId: number, kind: ReminderKind, tx: StoreRepositories): Promise<Timer> {
    const timer = (await tx.timers.listOpen(incidentId)).find((t) => t.kind === REMINDER_TIMER[kind]);
    if (!timer)
      throw new UserError(
        `No ${REMINDER_NAME[kind].toLowerCase()} reminder is running for incident #${incidentId}: the update was posted, the reminder dismissed, or the incident resolved.`,
      );
    return timer;
  }

  private async stopChain(
    incidentId: number,
    actor: string,
    timerKind: string,
    since: string,
    why: string,
    tx: StoreRepositories = this.store,
  ): Promise<void> {
    const kind: ReminderKind = timerKind === REMINDER_TIMER.brief ? 'brief' : 'status';
    const text =
      why === 'cap'
        ? `${REMINDER_NAME[kind]} reminders stopped after ${reminderCap(this.runbooks().policy)}: none until the next update is posted`
        : `${REMINDER_NAME[kind]} reminders dismissed by <@${actor}> until the next update is posted`;
    await tx.timeline.append({
      incidentId,
      actor,
      kind: REMINDER_STOPPED,
      text,
      data: { timerKind, since, why },
    });
  }

  /**
   * A status update posted by hand in the channel (a responder marked it with a reaction): recorded once
   * per message, and the reminder's clock restarts from it as from the form's.
   */
  recordHandUpdate(input: {
    incidentId: number;
    actor: string;
    messageTs: string;
    text: string;
  }): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const seen = (await tx.timeline.list(input.incidentId)).some(
        (e) => e.kind === UPDATE_KIND.status && e.data?.messageTs === input.messageTs,
      );
      if (seen) return false;
      const incident = await tx.incidents.get(input.incidentId);
      await tx.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: UPDATE_KIND.status,
        text: `Status update (posted by hand): ${input.text}`,
        data: {
          ...UpdateRecordSchema.parse({ status: incident?.status ?? '', impact: input.text }),
          messageTs: input.messageTs,
        },
      });
      await this.replan(input.incidentId, tx);
      return true;
    });
  }

  /** When the next status update is due (the reminder's time), if one is planned. */
  async nextUpdateDue(incidentId: number): Promise<string | null> {
    const timer = (await this.store.timers.listOpen(incidentId)).find(
      (t) => t.kind === REMINDER_TIMER.status,
    );
    return timer?.dueAt ?? null;
  }

  /** Records a posted status update or brief and moves the reminder to the time it promised. */
  recordUpdate(input: {
    incidentId: number;
    kind: 'status' | 'brief';
    actor: string;
    text: string;
    record: UpdateRecord;
  }): Promise<TimelineEntry> {
    return this.store.transaction(async (tx) => {
      const entry = await tx.timeline.append({
        incidentId: input.incidentId,
        actor: input.actor,
        kind: UPDATE_KIND[input.kind],
        text: input.text,
        data: { ...input.record },
      });
      await this.replan(input.incidentId, tx);
      return entry;
    });
  }
}

function record(entry: TimelineEntry): UpdateRecord {
  const parsed = UpdateRecordSchema.safeParse(entry.data ?? {});
  return parsed.success ? parsed.data : UpdateRecordSchema.parse({});
}
