import type { WebClient } from '@slack/web-api';
import type { CheckResult } from '../diagnostics/types.ts';
import { bridgeUrl } from '../domain/bridge.ts';
import { progress } from '../domain/checks.ts';
import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep, resolutionOf } from '../domain/readOnlySteps.ts';
import type { NewJob } from '../domain/records.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { Logger } from '../log.ts';
import type { Declared, IncidentService } from '../services/incidentService.ts';
import { type RunbookSet, responseTeam } from '../services/runbookSet.ts';
import { stepBackground } from '../services/walk.ts';
import { nextDurableKey } from '../usecases/durableKeys.ts';
import { archiveJob } from './archiveJobs.ts';
import { checklistMessage } from './blocks/checklist.ts';
import { incidentHeader } from './blocks/header.ts';
import type { Message } from './blocks/kit.ts';
import { readOnlyStepMessage } from './blocks/readOnlyStep.ts';
import { stepMessage } from './blocks/step.ts';
import type { StatuspagePreview } from './blocks/updates.ts';
import { UpdateCoalescer } from './coalescer.ts';
import { isTransient, slackErrorCode } from './errors.ts';
import { type DeclarerReply, type IncidentsBeingOpened, inviteJob, openJobs, postJob } from './openJobs.ts';
import { redrawStepJob } from './redrawJobs.ts';

export type { Message };

/** Called after an incident changed in a way people see (declared, status, step...): App Home and metrics listen. */
export type ChangeListener = (incidentId: number, what: 'declared' | 'updated') => Promise<void> | void;

/** Slack allows 1000 users a call; the issue asks for batches of 100 so one bad ID costs little. */
const INVITE_BATCH = 100;
/** Per-user invite errors that skip that person and carry on; anything else is a channel-level problem. */
const SKIPPABLE_INVITE_ERRORS = new Set([
  'already_in_channel',
  'cant_invite',
  'cant_invite_self',
  'user_not_found',
  'user_is_restricted',
  'ura_max_channels',
  'user_is_inactive',
]);

/** Status updates as the status page takes them. */
interface PublishedUpdate {
  status: 'investigating' | 'identified' | 'monitoring' | 'resolved';
  impact: string;
  action: string;
}

/** What the workflow is given by the composition root beside the Slack client and the incident rules. */
export interface WorkflowWiring {
  /** The durable job queue: opening an incident is a series of jobs run in order. */
  jobs: {
    /** Queues jobs and starts running them in the background. */
    enqueue(jobs: readonly NewJob[]): Promise<number>;
    /** Queues an incident's jobs and runs them now, returning when none is left to run now. */
    enqueueAndRun(incidentId: number, jobs: readonly NewJob[]): Promise<void>;
  };
  /** Hands the declared incident to its channel job while `open` runs it (see openJobs.ts). */
  beingOpened?: IncidentsBeingOpened;
  /** Latest automated results linked to a step, shown in its message. */
  stepDiagnostics?: (incidentId: number, stepNumber: number | null) => Promise<CheckResult[]>;
  /** The "which procedure applies?" question of a multi-procedure runbook, while unanswered. */
  phasePrompt?: (incident: Incident, steps?: readonly IncidentStep[]) => Promise<Message | null>;
  publishStatus?: (incident: Incident, update: PublishedUpdate & { entryId: number }) => void;
  statuspagePreview?: (incident: Incident, update: PublishedUpdate) => StatuspagePreview | null;
  escalated?: (incidentId: number) => Promise<void>;
}

/**
 * The Slack side of an incident: its channel, members, pinned header and step messages. Rules and records
 * live in IncidentService; this class performs the Slack calls and reports what happened back to it.
 */
export class IncidentWorkflow {
  /** Called (not awaited) after an incident's space is open, e.g. to run its diagnostics. */
  private readonly openedHooks: ((incident: Incident) => void)[] = [];
  constructor(
    private readonly client: WebClient,
    private readonly service: IncidentService,
    private readonly runbooks: () => RunbookSet,
    private readonly botUserId: string,
    private readonly wiring: WorkflowWiring,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Publishes a status update outside Slack (the status page), when one is configured. */
  get publishStatus(): WorkflowWiring['publishStatus'] {
    return this.wiring.publishStatus;
  }

  /** What a status update would put on the status page (undefined: it publishes nowhere). */
  get statuspagePreview(): WorkflowWiring['statuspagePreview'] {
    return this.wiring.statuspagePreview;
  }

  /** Told of each escalation recorded (by timer or by hand): the paging tool's targets are paged. */
  get escalated(): WorkflowWiring['escalated'] {
    return this.wiring.escalated;
  }

  /** Every chat.update goes through here: one in flight per message, rendered when sent (see coalescer.ts). */
  private readonly updates = new UpdateCoalescer(async (channel, ts, message) => {
    await this.client.chat.update({ channel, ts, ...message });
  });

  private readonly changeListeners: ChangeListener[] = [];

  onChange(listener: ChangeListener): void {
    this.changeListeners.push(listener);
  }

  /** A listener's failure (e.g. App Home publish) must never fail the incident flow that triggered it. */
  private async changed(incidentId: number, what: 'declared' | 'updated'): Promise<void> {
    for (const listener of this.changeListeners) {
      try {
        await listener(incidentId, what);
      } catch (error) {
        this.log.warn({ incident: incidentId, err: error }, 'an incident change listener failed');
      }
    }
  }

  /** Queues jobs of an incident and runs its queue now; what Slack refuses for now runs when it answers. */
  private async runJobs(incidentId: number, jobs: readonly NewJob[]): Promise<void> {
    await this.wiring.jobs.enqueueAndRun(incidentId, jobs);
  }

  /**
   * Opens the incident's space: channel (or fallback), header, first step, pin, team, announcement, and the
   * declarer's reply, each a durable job. Runs them now and returns the incident as far as it got: when
   * Slack fails, the rest runs when it answers again (after a restart too).
   */
  async open(declared: Declared, reply: DeclarerReply | null = null): Promise<Incident> {
    const { incident, steps } = declared;
    const jobs = await this.openJobsFor(incident, reply, steps);
    const run = () => this.runJobs(incident.id, jobs);
    await (this.wiring.beingOpened ? this.wiring.beingOpened.during(incident, run) : run());
    return this.service.get(incident.id);
  }

  /** Queues the incident's open jobs without waiting for them; returns how many were new. */
  async queueOpen(incident: Incident): Promise<number> {
    return this.wiring.jobs.enqueue(await this.openJobsFor(incident, null));
  }

  /** The open jobs, then (in the main lane, after the first step) the question which procedure applies. */
  private async openJobsFor(
    incident: Incident,
    reply: DeclarerReply | null,
    steps?: readonly IncidentStep[],
  ): Promise<NewJob[]> {
    const prompt = await this.wiring.phasePrompt?.(incident, steps);
    return [...openJobs(incident, reply), ...(prompt ? [postJob(incident.id, 'phase-prompt', prompt)] : [])];
  }

  /** Queues a message for the incident's channel, posted once the channel exists. */
  async postWhenOpen(incidentId: number, key: string, message: Message): Promise<void> {
    await this.runJobs(incidentId, [postJob(incidentId, key, message)]);
  }

  /**
   * Posts a message of the incident (an escalation brief, a status update) as a durable job: now if Slack
   * answers, else retried until it does. `channel` defaults to the incident's own.
   */
  async postDurably(incidentId: number, message: Message, channel?: string): Promise<void> {
    await this.runJobs(incidentId, [
      postJob(incidentId, nextDurableKey(), message, { lane: 'updates', ...(channel ? { channel } : {}) }),
    ]);
  }

  /** Redraws step messages from the database as durable jobs (e.g. read-only after the resolve). */
  async redrawDurably(incidentId: number, steps: readonly IncidentStep[], occasion: string): Promise<void> {
    if (steps.length === 0) return;
    await this.runJobs(
      incidentId,
      steps.map((step) => redrawStepJob(incidentId, step.id, occasion)),
    );
  }

  /** Archives the incident's channel as a durable job: now if Slack answers, else when it does. */
  async archiveDurably(incidentId: number): Promise<void> {
    await this.runJobs(incidentId, [archiveJob(incidentId)]);
  }

  /** Invites people as a durable job: now if Slack answers, else when it does; nobody is skipped for an outage. */
  async inviteDurably(
    incident: Incident,
    users: readonly string[],
    groups: readonly string[],
  ): Promise<void> {
    if (users.length === 0 && groups.length === 0) return;
    await this.runJobs(incident.id, [inviteJob(incident.id, nextDurableKey(), { users, groups })]);
  }

  /** The last open job: diagnostics, App Home and metrics hear that the incident is open. */
  async opened(incidentId: number): Promise<void> {
    const current = await this.service.get(incidentId);
    for (const hook of this.openedHooks) hook(current);
    await this.changed(current.id, 'declared');
  }

  onOpened(hook: (incident: Incident) => void): void {
    this.openedHooks.push(hook);
  }

  async inviteTeam(incident: Incident, channelId: string): Promise<void> {
    // A drill pages nobody: the person running it invites whoever rehearses with them.
    if (incident.drill) return this.invite(incident, channelId, [incident.declaredBy], []);
    const team = responseTeam(this.runbooks().policy, incident.severity);
    await this.invite(incident, channelId, [incident.declaredBy, ...team.users], team.groups);
  }

  /** Invites users and the members of user groups; people who cannot be invited are skipped and recorded. */
  async invite(
    incident: Incident,
    channelId: string,
    users: readonly string[],
    groups: readonly string[],
  ): Promise<void> {
    const everyone = new Set(users);
    const skipped: { user: string; reason: string }[] = [];
    for (const group of groups) {
      try {
        const members = await this.client.usergroups.users.list({ usergroup: group });
        for (const u of members.users ?? []) everyone.add(u);
      } catch (error) {
        if (isTransient(error)) throw error;
        skipped.push({ user: group, reason: `user group not resolved (${slackErrorCode(error)})` });
      }
    }
    everyone.delete(this.botUserId);
    const all = [...everyone];
    for (let i = 0; i < all.length; i += INVITE_BATCH) {
      const batch = all.slice(i, i + INVITE_BATCH);
      try {
        await this.client.conversations.invite({ channel: channelId, users: batch.join(',') });
      } catch (error) {
        // Slack down is not a reason to leave someone out: the invite job is retried.
        if (isTransient(error)) throw error;
        const code = slackErrorCode(error);
        if (!SKIPPABLE_INVITE_ERRORS.has(code) || batch.length === 1) {
          skipped.push(...batch.map((user) => ({ user, reason: code })));
          continue;
        }
        // One person failed the whole batch: invite the rest one by one so only that person is skipped.
        for (const user of batch) {
          try {
            await this.client.conversations.invite({ channel: channelId, users: user });
          } catch (single) {
            if (isTransient(single)) throw single;
            skipped.push({ user, reason: slackErrorCode(single) });
          }
        }
      }
    }
    if (skipped.length) await this.service.recordInviteSkips(incident.id, skipped);
  }

  async header(incident: Incident): Promise<Message> {
    const set = this.runbooks();
    const runbook = incident.runbookId ? set.catalog.byId(incident.runbookId) : undefined;
    const p = progress(await this.service.steps(incident.id));
    return incidentHeader(incident, {
      runbook: runbook ? { id: runbook.id, title: runbook.title } : null,
      now: this.now(),
      progress: { done: p.done + p.skipped, total: p.total },
      acknowledged: await this.service.paging.externalAcknowledgement(incident.id),
      paging: await this.service.paging.externalUpdates(incident.id),
      bridge: bridgeUrl(set.policy.severities[incident.severity]?.bridge, incident),
    });
  }

  async refreshHeader(incidentId: number): Promise<void> {
    const incident = await this.service.get(incidentId);
    if (incident.channelId && incident.headerTs) {
      await this.updates.update(incident.channelId, incident.headerTs, async () =>
        this.header(await this.service.get(incidentId)),
      );
    }
    await this.changed(incidentId, 'updated');
  }

  async render(incident: Incident, step: IncidentStep): Promise<Message> {
    const walk = (await this.service.steps(incident.id)).filter((s) => s.section === 'step');
    if (isReadOnlyStep(incident, step)) {
      const label = {
        index: walk.findIndex((s) => s.id === step.id) + 1,
        total: walk.length,
        runbookId: step.runbookId,
      };
      return readOnlyStepMessage(
        incident,
        step,
        label,
        resolutionOf(await this.service.timeline(incident.id)),
      );
    }
    if (step.section !== 'step') return checklistMessage(step);
    const runbook = step.runbookId ? this.runbooks().catalog.byId(step.runbookId) : undefined;
    return stepMessage(step, {
      index: walk.findIndex((s) => s.id === step.id) + 1,
      total: walk.length,
      runbook: runbook ? { id: runbook.id, title: runbook.title } : null,
      diagnostics: (await this.wiring.stepDiagnostics?.(incident.id, step.number)) ?? [],
      background: stepBackground(runbook, step, walk),
    });
  }

  /** Posts a step or checklist as a new message and remembers it, so later clicks update it in place. */
  async postStep(incident: Incident, step: IncidentStep): Promise<void> {
    if (!incident.channelId) return;
    const ts = await this.post(incident.channelId, await this.render(incident, step));
    await this.service.recordStepMessage(step.id, ts);
  }

  /** Re-renders a step from the database into its message; posts it if it has none yet. */
  async showStep(incident: Incident, step: IncidentStep): Promise<void> {
    if (!incident.channelId) return;
    if (!step.messageTs) return this.postStep(incident, step);
    // Rendered from the database when sent: a click that arrived meanwhile is shown, never overwritten.
    await this.updates.update(incident.channelId, step.messageTs, async () =>
      this.render(incident, await this.service.step(step.id)),
    );
  }

  async post(channel: string, message: Message): Promise<string> {
    const result = await this.client.chat.postMessage({ channel, ...message });
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return result.ts;
  }

  /** A file in a channel (files.uploadV2: upload URL, then complete), e.g. the post-mortem draft. */
  async uploadFile(
    channel: string,
    file: { filename: string; title: string; content: string; comment?: string },
  ): Promise<void> {
    await this.client.files.uploadV2({
      channel_id: channel,
      filename: file.filename,
      title: file.title,
      content: file.content,
      ...(file.comment ? { initial_comment: file.comment } : {}),
    });
  }

  async update(channel: string, ts: string, message: Message): Promise<void> {
    await this.updates.update(channel, ts, () => message);
  }

  async ephemeral(channel: string, user: string, message: Message | string): Promise<void> {
    const body = typeof message === 'string' ? { text: message } : message;
    await this.tryCall('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({ channel, user, ...body }),
    );
  }

  /** For calls whose failure must not stop the rest of the flow; the failure is logged with its Slack error. */
  private async tryCall<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      this.log.warn({ what, error: slackErrorCode(error) }, 'Slack call failed; carrying on');
      return undefined;
    }
  }
}
