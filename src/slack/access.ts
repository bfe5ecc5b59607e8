import type { WebClient } from '@slack/web-api';
import type { Incident } from '../domain/incident.ts';
import type { Logger } from '../log.ts';
import { slackErrorCode } from './errors.ts';

/** At most this many member pages are read per channel; a private incident with 10 000 members is no secret. */
const MAX_MEMBER_PAGES = 10;

/**
 * Who may see and act on a private incident: its declarer, its commander, and the members of its private
 * channel, as Slack says now (conversations.members; the bot is a member of the channel it created).
 * Slack is the source of truth, so someone removed from the channel loses access at once. If Slack cannot
 * be asked, access falls back to declarer and commander only: closed, never open.
 */
export class IncidentAccess {
  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
  ) {}

  /** Members of the incident's dedicated channel; null when it has none or Slack could not be asked. */
  async members(incident: Incident): Promise<Set<string> | null> {
    if (!incident.channelId || incident.inFallback) return null;
    const members = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
        const result = await this.client.conversations.members({
          channel: incident.channelId,
          limit: 1000,
          ...(cursor ? { cursor } : {}),
        });
        for (const m of result.members ?? []) members.add(m);
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return members;
    } catch (error) {
      this.log.warn(
        { incident: incident.id, error: slackErrorCode(error) },
        'could not read the members of a private incident channel; only its declarer and commander get access',
      );
      return null;
    }
  }

  /** The people named on the incident itself, who always have access. */
  static named(incident: Incident, userId: string): boolean {
    return incident.declaredBy === userId || incident.commanderId === userId;
  }

  /** Whether `userId` may see the incident's details and act on it. Public incidents: everyone. */
  async allows(incident: Incident, userId: string, known?: Set<string> | null): Promise<boolean> {
    if (!incident.private || IncidentAccess.named(incident, userId)) return true;
    const members = known === undefined ? await this.members(incident) : known;
    return members?.has(userId) ?? false;
  }
}

/** The refusal for someone outside a private incident; it names nothing of the incident. */
export function privateRefusal(incidentId: number): string {
  return `Incident #${incidentId} is private: only the people in its channel can see or change it. Ask its commander to invite you.`;
}
