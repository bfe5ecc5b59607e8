import type { Incident } from '../../domain/incident.ts';
import { context, type Message, section } from './kit.ts';
import { slackDate } from './mrkdwn.ts';

/** Said in the incident's channel before it is archived, so nobody loses it by surprise. */
export function archiveNoticeMessage(incident: Pick<Incident, 'id'>, at: Date): Message {
  const when = slackDate(at.toISOString());
  return {
    text: `This channel will be archived ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    blocks: [
      section(`:file_cabinet: This channel of incident #${incident.id} will be archived ${when}.`),
      context(
        'Archived channels stay searchable and can be unarchived. Copy anything you still need into the post-mortem or a ticket before then.',
      ),
    ],
  };
}
