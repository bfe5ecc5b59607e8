import type { WebClient } from '@slack/web-api';
import type { Job, NewJob } from '../domain/records.ts';
import type { TimelineKind } from '../domain/timeline.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { isTransient, slackErrorCode } from './errors.ts';

/** Archives an incident's channel, as a durable job: a Slack outage delays it, a refusal is recorded. */
export const ARCHIVE_JOB = 'incident.archive';

export function archiveJob(incidentId: number): NewJob {
  return { incidentId, kind: ARCHIVE_JOB, key: `${ARCHIVE_JOB}:${incidentId}`, lane: 'archive' };
}

export interface ArchiveJobDeps {
  client: WebClient;
  service: Pick<IncidentService, 'get' | 'note'>;
}

/** What the timeline says when Slack refuses the archive, and what a person can do about it. */
function refusal(code: string): string {
  if (code === 'not_in_channel')
    return 'Channel not archived: the bot is no longer in it. Archive it in Slack by hand, or invite the bot back.';
  return `Channel not archived (Slack said ${code}): archive it in Slack by hand.`;
}

export function archiveJobHandlers(deps: ArchiveJobDeps): Record<string, (job: Job) => Promise<void>> {
  return {
    [ARCHIVE_JOB]: async (job) => {
      const incident = await deps.service.get(job.incidentId ?? 0);
      const channel = incident.channelId;
      if (!channel || incident.inFallback) return;
      const note = async (kind: TimelineKind, text: string): Promise<void> => {
        await deps.service.note(incident.id, 'bot', kind, text, { channel });
      };
      try {
        await archiveOnce(deps.client, channel, !incident.private);
        await note('channel_archived', 'Channel archived');
      } catch (error) {
        if (isTransient(error)) throw error;
        const code = slackErrorCode(error);
        // Someone archived it by hand already: the goal is met.
        if (code === 'already_archived')
          return await note('channel_archived', 'Channel was already archived');
        await note('archive_failed', refusal(code));
      }
    },
  };
}

/** A public channel the bot left is joined again first; a private one cannot be, so that is reported. */
async function archiveOnce(client: WebClient, channel: string, canJoin: boolean): Promise<void> {
  try {
    await client.conversations.archive({ channel });
  } catch (error) {
    if (!canJoin || slackErrorCode(error) !== 'not_in_channel') throw error;
    await client.conversations.join({ channel });
    await client.conversations.archive({ channel });
  }
}
