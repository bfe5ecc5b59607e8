import type { WebClient } from '@slack/web-api';
import { incidentChannelName, withSuffix } from '../domain/channelName.ts';
import type { Incident } from '../domain/incident.ts';
import type { Logger } from '../log.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import { fallbackNotice } from './blocks/announce.ts';
import { isTransient, slackErrorCode } from './errors.ts';
import { requestWritten } from './requestWritten.ts';

const NAME_ATTEMPTS = 5;
/** Written into the channel purpose so a channel whose creation answer was lost is recognised as ours. */
export const channelMarker = (incidentId: number) => `Incident #${incidentId} · opened by incident-bot`;

/** What opening a channel needs (a part of the open jobs' dependencies). */
export interface ChannelDeps {
  client: WebClient;
  service: IncidentService;
  runbooks: () => RunbookSet;
  botUserId: string;
  log: Logger;
}

/** The incident with its channel recorded, and what was prepared while Slack created the channel. */
export interface OpenedChannel<T> {
  incident: Incident;
  /** Null when the channel was not created in this run (it existed, was adopted, or fell back). */
  prepared: T | null;
}

/**
 * Creates the incident's channel exactly once. A retry asks for the same name: the base name is derived
 * from the incident, and any other (a suffix) is reserved in the database before conversations.create. If
 * Slack says the name is taken, the channel is adopted when this bot made it for this incident (its answer
 * was lost to a timeout or a crash), else the next suffix is tried.
 *
 * `prepare` runs while conversations.create is in flight, given the name asked for (e.g. rendering the
 * header and first step, so they are posted the moment the channel exists); its failure is not the
 * channel's: it yields a null `prepared`.
 */
export async function openChannel<T>(
  deps: ChannelDeps,
  incident: Incident,
  prepare: (name: string) => Promise<T>,
): Promise<OpenedChannel<T>> {
  if (incident.channelId) return { incident, prepared: null };
  const base = incidentChannelName({
    declaredAt: new Date(incident.declaredAt),
    daySeq: incident.daySeq,
    title: incident.title,
    prefix: incident.drill ? 'drill' : 'inc',
  });
  let reason = 'name_taken';
  const first = incident.channelName?.startsWith(base) ? incident.channelName : base;
  for (let attempt = 1, name = first; attempt <= NAME_ATTEMPTS; attempt++) {
    // The base name needs no write before the call: a retry derives it again.
    if (name !== (incident.channelName ?? base)) await deps.service.reserveChannelName(incident.id, name);
    try {
      // Prepared once the request is on its way: CPU work before that would hold it back.
      const written = requestWritten('conversations.create');
      const creating = deps.client.conversations.create({ name, is_private: incident.private });
      const preparing = written.then(() => prepare(name));
      preparing.catch(() => undefined);
      const created = await creating;
      const id = created.channel?.id;
      if (id) {
        const recorded = await record(deps, incident, { id, name: created.channel?.name ?? name });
        const prepared = await preparing.catch((error: unknown) => {
          deps.log.warn({ incident: incident.id, err: error }, 'preparing the first messages failed');
          return null;
        });
        // Prepared for the name asked for: Slack answering with another one makes it stale.
        return { incident: recorded, prepared: recorded.channelName === name ? prepared : null };
      }
      reason = 'Slack returned no channel';
      break;
    } catch (error) {
      if (isTransient(error)) throw error;
      reason = slackErrorCode(error);
      if (reason !== 'name_taken') break;
      const own = await findOwnChannel(deps, incident, name);
      if (own) {
        deps.log.warn(
          { incident: incident.id, channel: own },
          'adopted the channel whose creation answer was lost',
        );
        const recorded = await record(deps, incident, { id: own, name });
        return { incident: recorded, prepared: null };
      }
      name = withSuffix(base, attempt + 1);
    }
  }
  return { incident: await fallBack(deps, incident, reason), prepared: null };
}

async function fallBack(deps: ChannelDeps, incident: Incident, reason: string): Promise<Incident> {
  deps.log.warn(
    { incident: incident.id, reason },
    'channel creation failed; running the incident in the fallback channel',
  );
  // A private incident must not fall back into a public channel: it runs in the declarer's DM instead.
  const target = incident.private ? incident.declaredBy : deps.runbooks().policy.channels.announce;
  const posted = await deps.client.chat.postMessage({ channel: target, ...fallbackNotice(reason) });
  return record(deps, incident, { id: posted.channel ?? target, name: null, fallback: true, reason });
}

async function record(
  deps: ChannelDeps,
  incident: Incident,
  channel: { id: string; name: string | null; fallback?: boolean; reason?: string },
): Promise<Incident> {
  const recorded = await deps.service.recordChannel(incident.id, { fallback: false, ...channel });
  return recorded ?? deps.service.get(incident.id);
}

/** Pages of conversations.list read at most while looking for a lost channel (1000 channels a page). */
const LIST_PAGES = 10;

/**
 * The channel named `name` if this bot created it for this incident: created by the bot, not recorded for
 * another incident, and marked with this incident's purpose (or not yet marked, and created after the
 * declaration: the process died between creating and marking it).
 */
async function findOwnChannel(deps: ChannelDeps, incident: Incident, name: string): Promise<string | null> {
  let cursor: string | undefined;
  for (let page = 0; page < LIST_PAGES; page++) {
    const list = await deps.client.conversations.list({
      types: 'public_channel,private_channel',
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    const found = list.channels?.find((c) => c.name === name);
    if (found?.id) {
      const purpose = found.purpose?.value ?? '';
      const mine =
        found.creator === deps.botUserId &&
        !(await deps.service.forChannel(found.id)) &&
        (purpose === channelMarker(incident.id) ||
          (purpose === '' && (found.created ?? 0) * 1000 >= Date.parse(incident.declaredAt) - 60_000));
      return mine ? found.id : null;
    }
    cursor = list.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}
