import type { Message } from './kit.ts';
import { section } from './kit.ts';
import { escapeMrkdwn } from './mrkdwn.ts';

/** The declare form could not be opened from the shortcut: say why and what else works. */
export function declareShortcutFailed(slackError: string): Message {
  const text = `Could not open the declare form (Slack said ${escapeMrkdwn(slackError)}). Try the shortcut again, or type \`/incident declare P1 <title>\`.`;
  return { text, blocks: [section(text.replace('<title>', '&lt;title&gt;'))] };
}

/** The answer to "Add to incident timeline" on a message, seen only by whoever used the shortcut. */
export function addedToTimeline(incidentId: number, already: boolean): Message {
  const text = already
    ? `This message is already on the timeline of incident #${incidentId}.`
    : `Added this message to the timeline of incident #${incidentId}; it will be in the post-mortem.`;
  return { text, blocks: [section(text)] };
}

/** The shortcut was used on a message outside any incident channel. */
export function notInIncidentChannel(): Message {
  const text =
    "This channel is not an incident's channel, so there is no timeline to add the message to. Use the shortcut on a message in the incident's channel, or paste the message's link there and add that one.";
  return { text, blocks: [section(text)] };
}

/** Adding the message failed: what happened and how to get it onto the timeline anyway. */
export function addToTimelineFailed(reason: string): Message {
  const text = `Could not add this message to the timeline (${escapeMrkdwn(reason)}). Try again, or react to the message with :pushpin:.`;
  return { text, blocks: [section(text)] };
}
