import type { WebClient } from '@slack/web-api';
import type { CheckResult } from '../diagnostics/types.ts';
import { incidentChannelName, withSuffix } from '../domain/channelName.ts';
import { progress } from '../domain/checks.ts';
import type { Logger } from '../log.ts';
import type { Declared, IncidentService } from '../services/incidentService.ts';
import { type RunbookSet, responseTeam } from '../services/runbookSet.ts';
import { stepBackground } from '../services/walk.ts';
import type { Incident, IncidentStep } from '../store/index.ts';
import { announcement, fallbackNotice } from './blocks/announce.ts';
import { checklistMessage } from './blocks/checklist.ts';
import { incidentHeader } from './blocks/header.ts';
import type { Message } from './blocks/kit.ts';
import { stepMessage } from './blocks/step.ts';
import { slackErrorCode } from './errors.ts';

export type { Message };

/** Called after an incident changed in a way people see (declared, status, step...): App Home and metrics listen. */
export type ChangeListener = (incidentId: number, what: 'declared' | 'updated') => Promise<void> | void;

/** Slack allows 1000 users a call; the issue asks for batches of 100 so one bad ID costs little. */
const INVITE_BATCH = 100;
const NAME_ATTEMPTS = 5;
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

/**
 * The Slack side of an incident: its channel, members, pinned header and step messages. Rules and records
 * live in IncidentService; this class performs the Slack calls and reports what happened back to it.
 */
export class IncidentWorkflow {
  /** Called (not awaited) after an incident's space is open, e.g. to run its diagnostics. */
  private readonly openedHooks: ((incident: Incident) => void)[] = [];
  /** Latest automated results linked to a step, shown in its message; set by the diagnostics wiring. */
  stepDiagnostics: ((incidentId: number, stepNumber: number | null) => CheckResult[]) | null = null;
  /** The "which procedure applies?" question of a multi-procedure runbook, while unanswered. */
  phasePrompt: ((incident: Incident) => Message | null) | null = null;

  constructor(
    private readonly client: WebClient,
    private readonly service: IncidentService,
    private readonly runbooks: () => RunbookSet,
    private readonly botUserId: string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

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

  /** Opens the incident's space: channel (or fallback), team, pinned header, checklists, first step, announcement. */
  async open(declared: Declared): Promise<Incident> {
    const { incident } = declared;
    // The fallback notice, when there is no channel of its own, was posted by createChannel.
    const channel = await this.createChannel(incident);
    let current = this.service.recordChannel(incident.id, channel) ?? incident;
    // Only the channel has to exist first. Invites, the pin and the announcement run beside the
    // messages, which go one after another so the header stays above the checklists and the step.
    const alongside: Promise<unknown>[] = [];
    if (!channel.fallback) alongside.push(this.tryCall('invite', () => this.inviteTeam(current, channel.id)));
    const headerTs = await this.post(channel.id, this.header(current));
    this.service.recordHeader(current.id, headerTs);
    alongside.push(
      this.tryCall('pins.add', () => this.client.pins.add({ channel: channel.id, timestamp: headerTs })),
    );
    if (!channel.fallback && !incident.drill) {
      const announce = this.runbooks().policy.channels.announce;
      alongside.push(
        this.tryCall('announce', () =>
          this.post(announce, announcement(current, { channelId: channel.id, fallback: false })),
        ),
      );
    }
    for (const step of this.service.steps(current.id)) {
      if (step.section === 'step' && step.state !== 'active') continue;
      await this.postStep(current, step);
    }
    const prompt = this.phasePrompt?.(current);
    if (prompt) await this.post(channel.id, prompt);
    await Promise.all(alongside);
    current = this.service.get(current.id);
    for (const hook of this.openedHooks) hook(current);
    await this.changed(current.id, 'declared');
    return current;
  }

  onOpened(hook: (incident: Incident) => void): void {
    this.openedHooks.push(hook);
  }

  private async createChannel(
    incident: Incident,
  ): Promise<{ id: string; name: string | null; fallback: boolean; reason?: string }> {
    const base = incidentChannelName({
      declaredAt: new Date(incident.declaredAt),
      daySeq: incident.daySeq,
      title: incident.title,
      prefix: incident.drill ? 'drill' : 'inc',
    });
    let reason = 'name_taken';
    for (let attempt = 1; attempt <= NAME_ATTEMPTS; attempt++) {
      const name = attempt === 1 ? base : withSuffix(base, attempt);
      try {
        const created = await this.client.conversations.create({ name, is_private: incident.private });
        const id = created.channel?.id;
        if (id) return { id, name: created.channel?.name ?? name, fallback: false };
        reason = 'Slack returned no channel';
        break;
      } catch (error) {
        reason = slackErrorCode(error);
        if (reason !== 'name_taken') break;
      }
    }
    this.log.warn(
      { incident: incident.id, reason },
      'channel creation failed; running the incident in the fallback channel',
    );
    // A private incident must not fall back into a public channel: it runs in the declarer's DM instead.
    const target = incident.private ? incident.declaredBy : this.runbooks().policy.channels.announce;
    const posted = await this.client.chat.postMessage({ channel: target, ...fallbackNotice(reason) });
    return { id: posted.channel ?? target, name: null, fallback: true, reason };
  }

  private async inviteTeam(incident: Incident, channelId: string): Promise<void> {
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
            skipped.push({ user, reason: slackErrorCode(single) });
          }
        }
      }
    }
    if (skipped.length) this.service.recordInviteSkips(incident.id, skipped);
  }

  header(incident: Incident): Message {
    const set = this.runbooks();
    const runbook = incident.runbookId ? set.catalog.byId(incident.runbookId) : undefined;
    const p = progress(this.service.steps(incident.id));
    return incidentHeader(incident, {
      runbook: runbook ? { id: runbook.id, title: runbook.title } : null,
      now: this.now(),
      progress: { done: p.done + p.skipped, total: p.total },
    });
  }

  async refreshHeader(incidentId: number): Promise<void> {
    const incident = this.service.get(incidentId);
    if (incident.channelId && incident.headerTs) {
      await this.client.chat.update({
        channel: incident.channelId,
        ts: incident.headerTs,
        ...this.header(incident),
      });
    }
    await this.changed(incidentId, 'updated');
  }

  render(incident: Incident, step: IncidentStep): Message {
    if (step.section !== 'step') return checklistMessage(step);
    const walk = this.service.steps(incident.id).filter((s) => s.section === 'step');
    const runbook = step.runbookId ? this.runbooks().catalog.byId(step.runbookId) : undefined;
    return stepMessage(step, {
      index: walk.findIndex((s) => s.id === step.id) + 1,
      total: walk.length,
      runbook: runbook ? { id: runbook.id, title: runbook.title } : null,
      diagnostics: this.stepDiagnostics?.(incident.id, step.number) ?? [],
      background: stepBackground(runbook, step, walk),
    });
  }

  /** Posts a step or checklist as a new message and remembers it, so later clicks update it in place. */
  async postStep(incident: Incident, step: IncidentStep): Promise<void> {
    if (!incident.channelId) return;
    const ts = await this.post(incident.channelId, this.render(incident, step));
    this.service.recordStepMessage(step.id, ts);
  }

  /** Re-renders a step from the database into its message; posts it if it has none yet. */
  async showStep(incident: Incident, step: IncidentStep): Promise<void> {
    if (!incident.channelId) return;
    if (!step.messageTs) return this.postStep(incident, step);
    await this.client.chat.update({
      channel: incident.channelId,
      ts: step.messageTs,
      ...this.render(incident, step),
    });
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
    await this.client.chat.update({ channel, ts, ...message });
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
