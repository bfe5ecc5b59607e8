import type { WebClient } from '@slack/web-api';
import type { Incident } from '../domain/incident.ts';
import type { Job, NewJob } from '../domain/records.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { Logger } from '../log.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import { announcement } from './blocks/announce.ts';
import type { Message } from './blocks/kit.ts';
import { channel as channelLink } from './blocks/mrkdwn.ts';
import { type ChannelPacer, PacedError, queuedNotice } from './channelPacing.ts';
import { isTransient, slackErrorCode, TransientError } from './errors.ts';
import { channelMarker, openChannel } from './openChannel.ts';

export { channelMarker };

/** The side effects of opening an incident, queued in this order and run in it. */
export const OPEN_JOBS = {
  channel: 'incident.channel',
  header: 'incident.header',
  steps: 'incident.steps',
  pin: 'incident.pin',
  invite: 'incident.invite',
  announce: 'incident.announce',
  reply: 'incident.reply',
  opened: 'incident.opened',
  post: 'incident.post',
  invitePeople: 'incident.invite-people',
} as const;

import type { DeclarerReply } from '../usecases/ports/chat.ts';

export type { DeclarerReply };

/**
 * Incidents being opened right now, as their declare returned them: the channel job takes its incident from
 * here instead of reading back the row just written. Only while `open` runs the jobs (it drops them after),
 * so a retry later, a restart or another replica reads the database as always.
 */
export class IncidentsBeingOpened {
  readonly #incidents = new Map<number, Incident>();

  /** Holds `incident` while `run` runs. */
  async during<T>(incident: Incident, run: () => Promise<T>): Promise<T> {
    this.#incidents.set(incident.id, incident);
    try {
      return await run();
    } finally {
      this.#incidents.delete(incident.id);
    }
  }

  /** The incident as declared, once: a second attempt of the job reads it again. */
  take(incidentId: number): Incident | undefined {
    const incident = this.#incidents.get(incidentId);
    this.#incidents.delete(incidentId);
    return incident;
  }
}

/** A response_url lives 30 minutes; after that the declarer gets a DM instead. */
const RESPONSE_URL_TTL_MS = 29 * 60_000;

/** The jobs that open an incident; keys make queuing them twice (a retried page, a restart) harmless. */
export function openJobs(incident: Incident, reply: DeclarerReply | null): NewJob[] {
  // The channel, header and first step are the main lane; the rest need only those and run side by side.
  const job = (kind: string, lane: string, payload: Record<string, unknown> = {}): NewJob => ({
    incidentId: incident.id,
    kind,
    key: `${kind}:${incident.id}`,
    lane,
    payload,
  });
  return [
    // The channel job carries the reply too: when the create budget is spent, it says when the channel opens.
    job(OPEN_JOBS.channel, 'main', reply ? { reply } : {}),
    job(OPEN_JOBS.header, 'main'),
    job(OPEN_JOBS.steps, 'main'),
    job(OPEN_JOBS.pin, 'pin'),
    job(OPEN_JOBS.invite, 'invite'),
    job(OPEN_JOBS.announce, 'announce'),
    ...(reply ? [job(OPEN_JOBS.reply, 'reply', reply)] : []),
    job(OPEN_JOBS.opened, 'opened'),
  ];
}

/** Invites people into the incident's channel (an escalation, a raised severity, a new commander). */
export function inviteJob(
  incidentId: number,
  key: string,
  people: { users: readonly string[]; groups: readonly string[] },
): NewJob {
  return {
    incidentId,
    kind: OPEN_JOBS.invitePeople,
    key: `${OPEN_JOBS.invitePeople}:${incidentId}:${key}`,
    lane: 'updates',
    payload: { users: [...people.users], groups: [...people.groups] },
  };
}

/**
 * A message of the incident, posted once its channel exists: to `channel`, or to the incident's own channel.
 * Evidence of a page goes in the main lane (after the first step); updates and escalations in their own.
 */
export function postJob(
  incidentId: number,
  key: string,
  message: Message,
  options: { channel?: string; lane?: string } = {},
): NewJob {
  return {
    incidentId,
    kind: OPEN_JOBS.post,
    key: `${OPEN_JOBS.post}:${incidentId}:${key}`,
    lane: options.lane ?? 'main',
    payload: { message, ...(options.channel ? { channel: options.channel } : {}) },
  };
}

/**
 * What the open jobs need of the workflow that runs them, declared here so that the workflow and its
 * jobs do not import each other.
 */
export interface OpenJobWorkflow {
  post(channel: string, message: Message): Promise<string>;
  header(incident: Incident): Promise<Message>;
  render(incident: Incident, step: IncidentStep): Promise<Message>;
  postStep(incident: Incident, step: IncidentStep): Promise<void>;
  inviteTeam(incident: Incident, channelId: string): Promise<void>;
  invite(
    incident: Incident,
    channelId: string,
    users: readonly string[],
    groups: readonly string[],
  ): Promise<void>;
  opened(incidentId: number): Promise<void>;
}

export interface OpenJobDeps {
  client: WebClient;
  service: IncidentService;
  runbooks: () => RunbookSet;
  workflow: OpenJobWorkflow;
  botUserId: string;
  log: Logger;
  now: () => Date;
  fetch?: typeof globalThis.fetch;
  /** The conversations.create budget shared with pages; declares wait for their slot as a durable job. */
  pacer?: ChannelPacer;
  /** Shared with the workflow's `open`: the incident the channel job needs, without a read. */
  beingOpened?: IncidentsBeingOpened;
}

/** Each handler checks what is already done (recorded in the database) and does only the rest. */
export function openJobHandlers(deps: OpenJobDeps): Record<string, (job: Job) => Promise<void>> {
  const incidentOf = (job: Job) => deps.service.get(job.incidentId ?? 0);
  return {
    // The header and first step go out as soon as the channel exists, rendered while Slack created it:
    // one round trip after the channel, with no job hand-over between. The header job posts what is missing.
    [OPEN_JOBS.channel]: async (job) => {
      const incident = deps.beingOpened?.take(job.incidentId ?? 0) ?? (await incidentOf(job));
      if (!incident.channelId) await paceDeclare(deps, incident, job);
      const opened = await openChannel(deps, incident, (name) =>
        renderFirst(deps, { ...incident, channelName: name }),
      );
      await postHeaderAndFirstStep(deps, opened.incident, opened.prepared);
    },
    [OPEN_JOBS.header]: async (job) => postHeaderAndFirstStep(deps, await incidentOf(job)),
    [OPEN_JOBS.steps]: async (job) => {
      const incident = await incidentOf(job);
      for (const step of await stepsToPost(deps, incident.id)) await deps.workflow.postStep(incident, step);
    },
    [OPEN_JOBS.pin]: async (job) => {
      const incident = await incidentOf(job);
      if (!incident.channelId || !incident.headerTs) return;
      try {
        await deps.client.pins.add({ channel: incident.channelId, timestamp: incident.headerTs });
      } catch (error) {
        if (slackErrorCode(error) !== 'already_pinned') throw error;
      }
    },
    [OPEN_JOBS.invite]: async (job) => {
      const incident = await incidentOf(job);
      if (!incident.channelId || incident.inFallback) return;
      await deps.client.conversations.setPurpose({
        channel: incident.channelId,
        purpose: channelMarker(incident.id),
      });
      await deps.workflow.inviteTeam(incident, incident.channelId);
    },
    [OPEN_JOBS.announce]: async (job) => {
      const incident = await incidentOf(job);
      if (!incident.channelId || incident.inFallback || incident.drill) return;
      const target = deps.runbooks().policy.channels.announce;
      await deps.workflow.post(
        target,
        announcement(incident, { channelId: incident.channelId, fallback: false }),
      );
    },
    [OPEN_JOBS.reply]: async (job) => replyToDeclarer(deps, await incidentOf(job), job),
    [OPEN_JOBS.opened]: (job) => deps.workflow.opened(job.incidentId ?? 0),
    [OPEN_JOBS.invitePeople]: async (job) => {
      const incident = await incidentOf(job);
      if (!incident.channelId || incident.inFallback) return;
      const list = (value: unknown) =>
        Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
      await deps.workflow.invite(
        incident,
        incident.channelId,
        list(job.payload.users),
        list(job.payload.groups),
      );
    },
    [OPEN_JOBS.post]: async (job) => {
      const channel =
        typeof job.payload.channel === 'string' ? job.payload.channel : (await incidentOf(job)).channelId;
      if (!channel) return;
      await deps.workflow.post(channel, job.payload.message as Message);
    },
  };
}

/** The checklist messages the opening posts, in order: every section's items, and the active step. */
async function stepsToPost(deps: OpenJobDeps, incidentId: number): Promise<IncidentStep[]> {
  const steps = await deps.service.steps(incidentId);
  return steps.filter((s) => !s.messageTs && (s.section !== 'step' || s.state === 'active'));
}

/** The header (unless posted) and the first checklist message still to post, rendered. */
interface FirstMessages {
  header: Message | null;
  first: { step: IncidentStep; message: Message } | null;
}

async function renderFirst(deps: OpenJobDeps, incident: Incident): Promise<FirstMessages> {
  const [first] = await stepsToPost(deps, incident.id);
  // Rendered before either post starts, so the header's request leaves first and usually lands above.
  const header = incident.headerTs ? null : await deps.workflow.header(incident);
  return {
    header,
    first: first ? { step: first, message: await deps.workflow.render(incident, first) } : null,
  };
}

/**
 * The header and the first checklist message, posted side by side once the channel exists: the responder
 * reads the first step one Slack round trip after the channel is created, not two. Each post is recorded
 * as soon as Slack answers it, so a failure of either retries only the one that failed, never both.
 * `ready` is what was rendered while the channel was created; without it they are rendered now.
 */
async function postHeaderAndFirstStep(
  deps: OpenJobDeps,
  incident: Incident,
  ready: FirstMessages | null = null,
): Promise<void> {
  const channel = incident.channelId;
  if (!channel) return;
  const { header, first } = ready ?? (await renderFirst(deps, incident));
  const posts: Promise<void>[] = [];
  if (header) {
    posts.push(deps.workflow.post(channel, header).then((ts) => deps.service.recordHeader(incident.id, ts)));
  }
  if (first) {
    posts.push(
      deps.workflow
        .post(channel, first.message)
        .then((ts) => deps.service.recordStepMessage(first.step.id, ts)),
    );
  }
  const failed = (await Promise.allSettled(posts)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Pages are paced by the intake before they get here (it holds the inbox); declares wait here, durably. */
const PACED_HERE = new Set<Incident['source']>(['slash', 'modal']);

async function paceDeclare(deps: OpenJobDeps, incident: Incident, job: Job): Promise<void> {
  if (!deps.pacer || !PACED_HERE.has(incident.source)) return;
  const { waitMs, firstWait } = deps.pacer.admit(incident.id);
  if (waitMs === 0) return;
  const reply = job.payload.reply as DeclarerReply | undefined;
  if (firstWait && reply) {
    await tell(deps, reply, queuedNotice(incident.id, waitMs)).catch((error: unknown) => {
      deps.log.warn(
        { incident: incident.id, error: slackErrorCode(error) },
        'could not say the incident is queued',
      );
    });
  }
  throw new PacedError(waitMs);
}

/** An ephemeral word to the declarer, where they declared: the command's response_url or the channel. */
async function tell(deps: OpenJobDeps, reply: DeclarerReply, text: string): Promise<void> {
  if (reply.via === 'ephemeral') {
    await deps.client.chat.postEphemeral({ channel: reply.channel, user: reply.user, text });
    return;
  }
  const response = await (deps.fetch ?? globalThis.fetch)(reply.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', text }),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

async function replyToDeclarer(deps: OpenJobDeps, incident: Incident, job: Job): Promise<void> {
  const reply = job.payload as DeclarerReply;
  const where = incident.channelId ? channelLink(incident.channelId) : 'your DM';
  const text = `${reply.lead}${incident.inFallback ? ' (no dedicated channel)' : ''}: ${where}`;
  const fresh = deps.now().getTime() - Date.parse(job.createdAt) < RESPONSE_URL_TTL_MS;
  if (reply.via === 'response_url' && fresh && URL.canParse(reply.url)) {
    const response = await (deps.fetch ?? globalThis.fetch)(reply.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text }),
    }).catch((error: unknown) => {
      throw new TransientError(`response_url unreachable: ${String(error)}`);
    });
    if (response.ok) return;
    if (response.status >= 500 || response.status === 429) {
      throw new TransientError(`response_url answered ${response.status}`);
    }
  } else if (reply.via === 'ephemeral' && fresh) {
    try {
      await deps.client.chat.postEphemeral({ channel: reply.channel, user: reply.user, text });
      return;
    } catch (error) {
      if (isTransient(error)) throw error;
    }
  }
  // Too late for the response_url (or it is gone): a direct message always reaches the declarer.
  await deps.client.chat.postMessage({ channel: reply.user, text });
}
