import type { Incident } from '../domain/incident.ts';
import type { Followup } from '../domain/records.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { FollowupInput, PostmortemService } from '../services/postmortemService.ts';
import type { ArchiveChannels } from './archive.ts';
import type { ChatPort } from './ports/chat.ts';

export interface AftermathDeps {
  incidents: Pick<IncidentService, 'get' | 'note'>;
  postmortems: Pick<PostmortemService, 'documentInSlices' | 'timelineInSlices' | 'markDone' | 'addFollowup'>;
  archive: Pick<ArchiveChannels, 'schedule'>;
  chat: Pick<
    ChatPort,
    'uploadPostmortem' | 'announcePostmortemDone' | 'announceFollowup' | 'postTimeline' | 'refreshHeader'
  >;
}

/** An incident with a channel of its own to post in (not the fallback channel of a Slack failure). */
function ownChannel(incident: Incident): incident is Incident & { channelId: string } {
  return incident.channelId !== null && !incident.inFallback;
}

/**
 * After (and around) the incident: the post-mortem draft, closing the post-mortem, follow-ups and the
 * timeline. What has no channel to go to is handed back for the requester alone.
 */
export class Aftermath {
  constructor(private readonly deps: AftermathDeps) {}

  /** `/incident postmortem`: the document from the timeline; null once posted, else the draft itself. */
  async draftPostmortem(incidentId: number, actor: string): Promise<string | null> {
    const incident = await this.deps.incidents.get(incidentId);
    const document = await this.deps.postmortems.documentInSlices(incidentId);
    if (!ownChannel(incident)) return document;
    await this.deps.chat.uploadPostmortem(incident, document, actor);
    await this.deps.incidents.note(incident.id, actor, 'postmortem_draft', 'Post-mortem draft posted');
    return null;
  }

  /** The post-mortem is written: the incident closes, and its channel's archive is planned. */
  async closePostmortem(incidentId: number, link: string, actor: string): Promise<void> {
    const incident = await this.deps.postmortems.markDone({ incidentId, link, actor });
    // Planned before anything is posted: a Slack failure below must not leave the channel open for ever.
    await this.deps.archive.schedule(incident);
    await this.deps.chat.refreshHeader(incident.id);
    await this.deps.chat.announcePostmortemDone(incident, link);
  }

  /** A follow-up, said in the channel; `posted` false when the incident has no channel to say it in. */
  async addFollowup(input: FollowupInput): Promise<{ followup: Followup; posted: boolean }> {
    const followup = await this.deps.postmortems.addFollowup(input);
    const incident = await this.deps.incidents.get(input.incidentId);
    if (!incident.channelId) return { followup, posted: false };
    await this.deps.chat.announceFollowup({ ...incident, channelId: incident.channelId }, followup);
    return { followup, posted: true };
  }

  /**
   * The timeline, read in slices so a 10k-entry timeline never stalls the bot, posted in the channel;
   * `posted` false when the incident has no channel.
   */
  async timeline(
    incidentId: number,
  ): Promise<{ incident: Incident; entries: TimelineEntry[]; posted: boolean }> {
    const incident = await this.deps.incidents.get(incidentId);
    const entries = await this.deps.postmortems.timelineInSlices(incidentId);
    if (!incident.channelId) return { incident, entries, posted: false };
    await this.deps.chat.postTimeline({ ...incident, channelId: incident.channelId }, entries);
    return { incident, entries, posted: true };
  }
}
