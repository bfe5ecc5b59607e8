import type { Incident } from '../../domain/incident.ts';
import type { TimelineEntry } from '../../domain/timeline.ts';
import { context, inline, LIMIT, type Message } from './kit.ts';
import { timelineMessage } from './replies.ts';

/**
 * Above this many characters of blocks the timeline goes out as a file: Slack refuses very large messages
 * (msg_too_long) well before 50 full sections, and nobody reads 145 KB in a channel.
 */
export const TIMELINE_MESSAGE_CHARS = 12_000;
/** Entries shown in the message that comes with the file. */
export const TIMELINE_LATEST = 15;

/** The timeline as one message, or null when it is too large for one (then: timelineWithFile). */
export function timelineInline(incident: Incident, entries: readonly TimelineEntry[]): Message | null {
  if (entries.length > 400) return null;
  const message = timelineMessage(incident, entries);
  return JSON.stringify(message.blocks).length <= TIMELINE_MESSAGE_CHARS ? message : null;
}

/**
 * The message beside the file: how many entries, where they all are, and the latest few. `filename` null:
 * there is no channel to attach a file to, and the post-mortem draft (sent privately) has them all.
 */
export function timelineWithFile(
  incident: Incident,
  latest: readonly TimelineEntry[],
  total: number,
  filename: string | null,
): Message {
  const where = filename ? `in the file \`${filename}\`` : 'in the post-mortem draft: `/incident postmortem`';
  const shown = timelineMessage(incident, latest);
  const [heading, ...rest] = shown.blocks;
  return {
    text: `Timeline of ${incident.severity} ${inline(incident.title, LIMIT.notification - 60)}: ${total} entries, ${filename ? `in the file ${filename}` : 'too many for one message'}`,
    blocks: [
      ...(heading ? [heading] : []),
      context(
        `${total.toLocaleString('en-US')} entries: too many for one message. The whole timeline is ${where}; the latest ${latest.length} are below.`,
      ),
      ...rest,
    ],
  };
}

/** Markdown lines of timeline entries for the file (UTC, one line each); slices concatenate. */
export function timelineFileLines(entries: readonly TimelineEntry[]): string[] {
  return entries.map(
    (e) =>
      `- ${e.at.slice(0, 19).replace('T', ' ')} UTC · ${e.actor} · ${e.text.replace(/\s+/g, ' ').trim()}`,
  );
}

/** The timeline where no file can go (no channel of its own): whole when it fits, else the latest entries. */
export function timelineOneMessage(incident: Incident, entries: readonly TimelineEntry[]): Message {
  return (
    timelineInline(incident, entries) ??
    timelineWithFile(incident, entries.slice(-TIMELINE_LATEST), entries.length, null)
  );
}
