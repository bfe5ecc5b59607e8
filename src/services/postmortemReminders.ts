import { z } from 'zod';
import { formatDuration } from '../domain/duration.ts';
import type { Incident } from '../domain/incident.ts';
import type { Followup, Postmortem } from '../domain/records.ts';
import type { Timer, TimerKind } from '../domain/timer.ts';
import { inWorkingHours, localDate, nextWorkingDayStart, startOfLocalDay } from '../domain/workingHours.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import type { RunbookSet } from './runbookSet.ts';

/** Timer kinds of the aftermath: the scheduler dispatches them to scheduler/handlers/aftermath.ts. */
export const REMINDER_KIND = {
  /** The post-mortem is due soon (policy postmortem.remind_before ahead of the due time). */
  postmortemReminder: 'postmortem_reminder',
  /** The post-mortem is due or overdue; each firing plans the next one remind_every later. */
  postmortemOverdue: 'postmortem_overdue',
  /** Global (no incident): once a working day, remind owners of their overdue follow-ups. */
  followupsCheck: 'followups_check',
} as const satisfies Record<string, TimerKind>;

export const PostmortemReminderPayloadSchema = z.object({
  /** The post-mortem's due time (ISO). */
  dueAt: z.string(),
  round: z.number().int().positive().default(1),
});
export type PostmortemReminderPayload = z.infer<typeof PostmortemReminderPayloadSchema>;

/** What a fired post-mortem reminder says, and to whom. */
export interface PostmortemReminder {
  incident: Incident;
  postmortem: Postmortem;
  kind: 'soon' | 'overdue';
  /** How long past the due time (0 or less: not yet due). */
  overdueMs: number;
  round: number;
}

export interface FollowupReminder {
  followup: Followup;
  incident: Incident | null;
  today: string;
}

/**
 * The aftermath's clock: plans the post-mortem reminders when an incident is resolved, and the daily
 * follow-up check. Rules and rows only; the handlers in scheduler/handlers/aftermath.ts post. Every time
 * is moved into the team's working hours (policy timezone and business_hours).
 */
export class PostmortemReminders {
  constructor(
    private readonly store: StorePort,
    private readonly runbooks: () => RunbookSet,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `instant`, or the start of the next working period when it falls outside working hours. */
  working(instant: Date): Date {
    const policy = this.runbooks().policy;
    return inWorkingHours(instant, policy.timezone, policy.business_hours);
  }

  /**
   * At resolve: one reminder remind_before the due time (unless that moment has passed) and the first
   * overdue reminder at the due time. Idempotent: planning again plans the same rows.
   */
  async plan(postmortem: Postmortem, tx: Pick<StoreRepositories, 'timers'> = this.store): Promise<void> {
    if (postmortem.doneAt) return;
    const { remind_before } = this.runbooks().policy.postmortem;
    const due = new Date(postmortem.dueAt);
    const payload = { dueAt: postmortem.dueAt, round: 1 };
    const before = new Date(due.getTime() - remind_before);
    if (remind_before > 0 && before.getTime() > this.now().getTime()) {
      const at = this.working(before);
      // Moved past the due time by the working hours, the overdue reminder says it instead.
      if (at.getTime() < due.getTime())
        await tx.timers.schedule({
          incidentId: postmortem.incidentId,
          kind: REMINDER_KIND.postmortemReminder,
          dueAt: at,
          payload,
        });
    }
    await tx.timers.schedule({
      incidentId: postmortem.incidentId,
      kind: REMINDER_KIND.postmortemOverdue,
      dueAt: this.working(due),
      payload,
    });
  }

  /**
   * A post-mortem timer fired: the reminder to send, or null when none is needed any more (done, closed,
   * reopened, a drill). An overdue reminder plans the next one remind_every from now, before anything is sent.
   */
  async fire(timer: Timer): Promise<PostmortemReminder | null> {
    if (timer.incidentId === null) return null;
    const incident = await this.store.incidents.get(timer.incidentId);
    const postmortem = await this.store.postmortems.get(timer.incidentId);
    if (!incident || incident.drill || incident.status !== 'resolved') return null;
    if (!postmortem || postmortem.doneAt) return null;
    const parsed = PostmortemReminderPayloadSchema.safeParse(timer.payload ?? {});
    const payload = parsed.success ? parsed.data : { dueAt: postmortem.dueAt, round: 1 };
    const now = this.now();
    const overdueMs = now.getTime() - Date.parse(postmortem.dueAt);
    const kind = timer.kind === REMINDER_KIND.postmortemReminder ? 'soon' : 'overdue';
    return this.store.transaction(async (tx) => {
      if (kind === 'overdue') {
        const every = this.runbooks().policy.postmortem.remind_every;
        await tx.timers.schedule({
          incidentId: incident.id,
          kind: REMINDER_KIND.postmortemOverdue,
          dueAt: this.working(new Date(now.getTime() + every)),
          payload: { dueAt: postmortem.dueAt, round: payload.round + 1 },
        });
      }
      await tx.timeline.append({
        incidentId: incident.id,
        actor: 'bot',
        kind: 'postmortem_reminder',
        text:
          kind === 'soon'
            ? `Post-mortem reminder: due in ${formatDuration(-overdueMs)}`
            : overdueMs >= 60_000
              ? `Post-mortem overdue by ${formatDuration(overdueMs)}`
              : 'Post-mortem due now',
        data: { timer: timer.id, round: payload.round },
      });
      const reminder: PostmortemReminder = { incident, postmortem, kind, overdueMs, round: payload.round };
      return reminder;
    });
  }

  /**
   * Makes sure a follow-up check is planned (at start): one at the next working moment, unless one is
   * already planned by then. Extra checks are harmless: a follow-up is reminded at most once a local day.
   */
  async ensureFollowupCheck(): Promise<void> {
    const at = this.working(this.now());
    const open = await this.store.timers.listOpenGlobal(REMINDER_KIND.followupsCheck);
    if (open.some((t) => Date.parse(t.dueAt) <= at.getTime())) return;
    await this.store.timers.schedule({ incidentId: null, kind: REMINDER_KIND.followupsCheck, dueAt: at });
  }

  /**
   * The daily check fired: plans the next one (next business day's start, unless another check is already
   * planned) and returns the overdue follow-ups not yet reminded today, in the team's zone.
   */
  async followupsDue(): Promise<FollowupReminder[]> {
    const policy = this.runbooks().policy;
    const now = this.now();
    if ((await this.store.timers.listOpenGlobal(REMINDER_KIND.followupsCheck)).length === 0) {
      await this.store.timers.schedule({
        incidentId: null,
        kind: REMINDER_KIND.followupsCheck,
        dueAt: nextWorkingDayStart(now, policy.timezone, policy.business_hours),
      });
    }
    const today = localDate(now, policy.timezone);
    const overdue = await this.store.followups.listOverdue(today, startOfLocalDay(now, policy.timezone));
    const reminders: FollowupReminder[] = [];
    for (const followup of overdue)
      reminders.push({ followup, incident: await this.store.incidents.get(followup.incidentId), today });
    return reminders;
  }

  /** Recorded once the owner has the reminder: no second one the same day, even after a restart. */
  followupReminded(followup: Followup): Promise<void> {
    return this.store.followups.markReminded(followup.id);
  }

  /** Open follow-ups of `userId` past their due date, for the App Home. */
  async overdueFollowupsOf(userId: string): Promise<Followup[]> {
    const policy = this.runbooks().policy;
    const today = localDate(this.now(), policy.timezone);
    // remindedBefore far ahead (a four-digit year, so the ISO strings compare): every overdue item.
    const far = new Date('9999-12-31T00:00:00.000Z');
    return (await this.store.followups.listOverdue(today, far)).filter((f) => f.ownerId === userId);
  }

  /** Unwritten post-mortems of resolved incidents `userId` commanded, soonest due first, for the App Home. */
  async openPostmortemsOf(
    userId: string,
  ): Promise<{ incidentId: number; channelId: string | null; dueAt: string }[]> {
    const open: { incidentId: number; channelId: string | null; dueAt: string }[] = [];
    for (const p of await this.store.postmortems.listOpen()) {
      const incident = await this.store.incidents.get(p.incidentId);
      if (incident?.status !== 'resolved' || incident.commanderId !== userId) continue;
      open.push({ incidentId: incident.id, channelId: incident.channelId, dueAt: p.dueAt });
    }
    return open;
  }
}
