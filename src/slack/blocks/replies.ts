import type { KnownBlock, PlainTextOption } from '@slack/types';
import { formatDuration } from '../../domain/duration.ts';
import type { Incident } from '../../domain/incident.ts';
import type { TimelineEntry } from '../../domain/timeline.ts';
import type { SearchHit } from '../../runbooks/catalog.ts';
import { ACTIONS } from '../ids.ts';
import { COURSE_USAGE } from './courseUsage.ts';
import { incidentHeadline } from './header.ts';
import {
  actions,
  actor,
  button,
  context,
  fitSections,
  inline,
  LIMIT,
  type Message,
  mrkdwn,
  plain,
  proseTexts,
  SEVERITY_EMOJI,
  STATUS_LABEL,
  section,
} from './kit.ts';
import { channel, escapeMrkdwn, SECTION_TEXT_MAX, slackDate, splitText, truncate, user } from './mrkdwn.ts';

const COMMANDS: readonly { syntax: string; example: string; does: string }[] = [
  {
    syntax: 'declare P1 <title> [--runbook RUN-004]',
    example: 'declare P1 Payment latency high --runbook RUN-004',
    does: 'declare at once: a channel, the response team and the runbook',
  },
  { syntax: 'declare', example: 'declare', does: 'open the declare form (so does `/incident` alone)' },
  {
    syntax: 'status investigating|identified|monitoring [note]',
    example: 'status identified Bad deploy of payments-api',
    does: 'set the status, with a note for the timeline',
  },
  {
    syntax: 'severity P0..P3',
    example: 'severity P0',
    does: 're-grade; a higher severity invites its larger team',
  },
  { syntax: 'commander @user', example: 'commander @alice', does: 'hand the commander role over' },
  {
    syntax: 'resolve [note]',
    example: 'resolve Rolled back to v1.4.2',
    does: 'resolve and post the verification and follow-up checklists',
  },
  { syntax: 'timeline', example: 'timeline', does: 'post the timeline of the incident' },
  ...COURSE_USAGE,
  { syntax: 'update', example: 'update', does: 'post a status-page update (prefilled form)' },
  { syntax: 'exec', example: 'exec', does: 'post the executive brief (P0; prefilled form)' },
  { syntax: 'list', example: 'list', does: 'list the open incidents' },
  {
    syntax: 'runbooks <keyword>',
    example: 'runbooks connection pool',
    does: 'search the runbooks by symptom or component',
  },
  {
    syntax: 'postmortem',
    example: 'postmortem',
    does: 'post the post-mortem draft built from the timeline, as a file',
  },
  {
    syntax: 'postmortem done <link>',
    example: 'postmortem done https://wiki.example.com/pm/42',
    does: 'record the finished post-mortem and close the incident',
  },
  {
    syntax: 'followup <action> @owner <YYYY-MM-DD>',
    example: 'followup Alert on pool usage at 70% @alice 2026-12-01',
    does: 'record an action item; its owner is reminded when it is overdue',
  },
  { syntax: 'stats [30d]', example: 'stats 30d', does: 'MTTA and MTTR per severity over the window' },
  {
    syntax: 'drill RUN-004',
    example: 'drill RUN-004',
    does: 'rehearse a runbook in a DRILL channel: nobody is paged',
  },
  {
    syntax: 'doctor',
    example: 'doctor',
    does: "check the bot's setup: token, scopes, channels, groups, database, scheduler (admins)",
  },
  { syntax: 'help', example: 'help', does: 'show this help' },
];

/** The `/incident` help, to send as an ephemeral reply; a given error (bad arguments) comes first. */
export function usage(error?: string): Message {
  const lines = COMMANDS.map(({ syntax, example, does }) => {
    const head = `\`/incident ${escapeMrkdwn(syntax)}\` — ${does}`;
    return syntax === example ? head : `${head}, e.g. \`/incident ${escapeMrkdwn(example)}\``;
  });
  const blocks: KnownBlock[] = [];
  if (error?.trim()) blocks.push(section(`⚠️ ${inline(error, 1000)}`));
  blocks.push(
    section('*How to use `/incident`*'),
    ...splitText(lines.join('\n')).map(section),
    context(
      'In an incident channel a command applies to that incident. Elsewhere, name one by its number from `/incident list` (`/incident resolve #12`), or you are asked which one.',
    ),
  );
  const text = error?.trim() ? `⚠️ ${inline(error, LIMIT.notification)}` : 'How to use /incident';
  return { text, blocks };
}

/** Commander-only actions; the others get this refusal (the caller records it on the timeline). */
export type RestrictedAction = 'resolve' | 'severity';

const RESTRICTED: Record<RestrictedAction, string> = {
  resolve: 'resolve this incident',
  severity: 'change the severity of this incident',
};

export function refusal(action: RestrictedAction, commanderId: string): Message {
  const text = `Only the incident commander ${user(commanderId)} can ${RESTRICTED[action]}. Ask them, or have them hand over with /incident commander @you.`;
  return { text, blocks: [section(text)] };
}

export interface PrivacyOptions {
  /**
   * Whether the person who will see the reply may see this private incident (e.g. is in its
   * channel). Private incidents the viewer may not see are listed by severity and status only.
   */
  canSee?: (incident: Incident) => boolean;
}

function hidden(incident: Incident, options: PrivacyOptions | undefined): boolean {
  return incident.private && !(options?.canSee?.(incident) ?? false);
}

function where(incident: Incident): string {
  if (!incident.channelId) return 'no channel';
  return incident.inFallback ? `in ${channel(incident.channelId)} (fallback)` : channel(incident.channelId);
}

/** `/incident list`: one line per incident, oldest first as given, with the `#id` commands accept. */
/**
 * `/incident list`. `total` is how many are open when `incidents` is only the oldest of them (the
 * list is read with a LIMIT so it stays fast at any size).
 */
export function incidentList(
  incidents: readonly Incident[],
  now: Date,
  options?: PrivacyOptions,
  total = incidents.length,
): Message {
  if (incidents.length === 0) {
    const text = 'No open incidents. Declare one with `/incident declare P1 &lt;title&gt;`.';
    return { text: 'No open incidents.', blocks: [section(text)] };
  }
  const lines = incidents.map((incident) => {
    const elapsed = formatDuration(now.getTime() - Date.parse(incident.declaredAt));
    const status = STATUS_LABEL[incident.status];
    const severity = `${SEVERITY_EMOJI[incident.severity]} *${incident.severity}*`;
    if (hidden(incident, options))
      return `${severity} #${incident.id} 🔒 private incident · ${status} · ${elapsed}`;
    const commander = incident.commanderId ? `commander ${user(incident.commanderId)}` : 'no commander';
    return `${severity} #${incident.id} ${inline(incident.title, 500)} · ${status} · ${where(incident)} · ${commander} · ${elapsed}`;
  });
  const heading = `*Open incidents (${total})*`;
  const rest = total - incidents.length;
  const more =
    rest > 0
      ? [section(`… and ${rest} more, newer than these. Each has its own channel; App Home shows yours.`)]
      : [];
  const body = fitSections(
    splitText(lines.join('\n')),
    LIMIT.messageBlocks - 1 - more.length,
    (n) => `… and ${n} more sections.`,
  );
  return { text: `${total} open incidents`, blocks: [section(heading), ...body, ...more] };
}

const TIMELINE_DATE = '{date_short_pretty} {time_secs}';

/**
 * The latest lines packed into at most `budget` section texts, lines in order, several to a section.
 * Packing runs from the end so the cut, if any, falls on the earliest lines; `first` is the index of
 * the first line shown. A line longer than a section continues in the next one.
 */
function packLatest(lines: readonly string[], budget: number): { texts: string[]; first: number } {
  const reversed: string[] = [];
  let current: string | null = null;
  let first = lines.length;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const kept = reversed.length;
    const before = current;
    for (const piece of splitText(lines[i] ?? '').reverse()) {
      if (current !== null && piece.length + 1 + current.length <= SECTION_TEXT_MAX) {
        current = `${piece}\n${current}`;
      } else {
        if (current !== null) reversed.push(current);
        current = piece;
      }
    }
    // The latest line is always shown, even in the absurd case that it alone overflows the message.
    if (reversed.length + (current === null ? 0 : 1) > budget && i < lines.length - 1) {
      reversed.length = kept;
      current = before;
      break;
    }
    first = i;
  }
  if (current !== null) reversed.push(current);
  return { texts: reversed.reverse().slice(-budget), first };
}

/**
 * The whole timeline, oldest first. Entries are packed several to a section so hundreds fit in one
 * message; only if even that overflows 50 blocks are the earliest left out, and the message says how
 * many.
 */
export function timelineMessage(incident: Incident, entries: readonly TimelineEntry[]): Message {
  const heading = section(`*Timeline* · ${incidentHeadline(incident)}`);
  const text = truncate(
    `Timeline of ${incident.severity} ${inline(incident.title, LIMIT.notification)}: ${entries.length} entries`,
    LIMIT.notification,
  );
  if (entries.length === 0) return { text, blocks: [heading, context('Nothing on the timeline yet.')] };
  const lines = entries.map(
    (e) =>
      `${slackDate(e.at, TIMELINE_DATE)} · ${actor(e.actor)} · ${escapeMrkdwn(e.text.replace(/\s+/g, ' ').trim())}`,
  );
  const all = packLatest(lines, LIMIT.messageBlocks - 1);
  if (all.first === 0) return { text, blocks: [heading, ...all.texts.map(section)] };
  // One block goes to the note that says what was left out.
  const latest = packLatest(lines, LIMIT.messageBlocks - 2);
  return {
    text,
    blocks: [
      heading,
      context(
        `… and ${latest.first} earlier entries: a Slack message holds at most ${LIMIT.messageBlocks} blocks.`,
      ),
      ...latest.texts.map(section),
    ],
  };
}

const MAX_HITS = 10;

/** `/incident runbooks <keyword>`: the best matches, each with why it matched. */
/**
 * Search results, or with an empty query the whole index, as a "search keywords" page: each runbook with
 * why it matched and its keywords (alerts, symptoms, components), and a button that opens the declare
 * modal with that runbook chosen.
 */
export function runbookSearch(query: string, hits: readonly SearchHit[]): Message {
  const q = inline(query, 200);
  if (hits.length === 0) {
    const text = query.trim()
      ? `No runbook matches “${q}”. Try a symptom or a component, e.g. \`/incident runbooks connection pool\`.`
      : 'No runbooks are loaded. Add RUN-*.md files to the runbook directory and run `/incident runbooks reload`.';
    return {
      text: query.trim() ? `No runbook matches “${q}”` : 'No runbooks loaded',
      blocks: [section(text)],
    };
  }
  const shown = hits.slice(0, MAX_HITS);
  const results: KnownBlock[] = shown.map(({ runbook, matched }, index) => {
    const details = [
      matched.length > 0 ? `matched on ${matched.map((m) => escapeMrkdwn(m)).join(', ')}` : null,
      runbook.severity ? `severity ${runbook.severity}` : null,
      runbook.owner ? `owner ${inline(runbook.owner, 100)}` : null,
    ].filter((d): d is string => d !== null);
    const keywords = [...runbook.meta.alerts, ...runbook.meta.symptoms, ...runbook.meta.components];
    const lines = [
      `*${inline(runbook.id, 50)}* · ${inline(runbook.title, 300)}`,
      details.length ? `_${details.join(' · ')}_` : null,
      keywords.length ? `Keywords: ${inline(keywords.join(', '), 1500)}` : null,
    ].filter((l): l is string => l !== null);
    return {
      type: 'section',
      block_id: `runbook:${index}:${truncate(runbook.id, 200)}`,
      text: { type: 'mrkdwn', text: lines.join('\n') },
      accessory: button({
        text: 'Declare with this runbook',
        actionId: ACTIONS.openDeclare,
        value: runbook.id,
      }),
    };
  });
  const more = hits.length - shown.length;
  const heading = query.trim()
    ? `*Runbooks matching “${q}”* (${hits.length})`
    : `*Runbooks* (${hits.length})`;
  const blocks: KnownBlock[] = [
    section(heading),
    ...results,
    context(
      `${more > 0 ? `… and ${more} more: narrow the search. ` : ''}Or declare with \`/incident declare P1 &lt;title&gt; --runbook ${inline(shown[0]?.runbook.id ?? 'RUN-…', 50)}\`.`,
    ),
  ];
  return { text: `${hits.length} runbooks${query.trim() ? ` match “${q}”` : ''}`, blocks };
}

/**
 * The pick-incident prompt's block_id is this prefix followed by the command text exactly as typed
 * (without `/incident`), so the listener can re-run it for the picked incident: see `parsePickBlockId`.
 */
export const PICK_BLOCK_PREFIX = 'pick:';
const PICK_COMMAND_MAX = 255 - PICK_BLOCK_PREFIX.length;

/** The command text carried by a pick prompt, `''` if it was too long to carry, null for other blocks. */
export function parsePickBlockId(blockId: string): string | null {
  return blockId.startsWith(PICK_BLOCK_PREFIX) ? blockId.slice(PICK_BLOCK_PREFIX.length) : null;
}

/**
 * The command to re-run from a pick-incident click (`body.actions[0]`), or null when there is none:
 * not a pick prompt, or a command too long to carry, which the user was asked to re-run themselves.
 */
export function pickedCommand(action: { block_id: string }): string | null {
  return parsePickBlockId(action.block_id) || null;
}

/**
 * "Which incident?" for a command typed outside an incident channel while several are open. The
 * select's option values are incident IDs; the command text travels in the actions block's block_id
 * (Slack echoes it as `action.block_id`, also for ephemeral messages, whose blocks it does not send
 * back). A command too long for a block_id (255) travels as `''`: the prompt then asks to re-run it
 * in the incident's channel instead of applying a cut-off note.
 */
export function pickIncident(
  incidents: readonly Incident[],
  commandText: string,
  options?: PrivacyOptions,
): Message {
  const command = commandText.trim();
  const shownCommand = `\`/incident ${truncate(escapeMrkdwn(command), 500)}\``;
  if (incidents.length === 0) {
    const text = `There is no open incident for ${shownCommand} to apply to.`;
    return { text: 'No open incident', blocks: [section(text)] };
  }
  // Measured in UTF-8 bytes, the stricter reading of Slack's 255, so a non-ASCII command never overflows.
  const carried = new TextEncoder().encode(command).length <= PICK_COMMAND_MAX ? command : '';
  const selectOptions: PlainTextOption[] = incidents.slice(0, LIMIT.selectOptions).map((incident) => ({
    text: plain(
      hidden(incident, options)
        ? `#${incident.id} · ${incident.severity} · 🔒 private incident`
        : inline(`#${incident.id} · ${incident.severity} · ${incident.title}`, LIMIT.optionText),
    ),
    value: String(incident.id),
  }));
  const prompt = carried
    ? `*Which incident?* ${shownCommand} applies to one incident; pick it and it runs there.`
    : `*Which incident?* ${shownCommand} is too long to carry over: pick the incident, then run the command again in its channel.`;
  return {
    text: 'Which incident?',
    blocks: [
      section(prompt),
      actions(
        [
          {
            type: 'static_select',
            action_id: ACTIONS.pickIncident,
            placeholder: plain('Choose an incident'),
            options: selectOptions,
          },
        ],
        `${PICK_BLOCK_PREFIX}${carried}`,
      ),
    ],
  };
}

/** Posted in the incident channel when it is resolved, before the resolution checklists. */
export function resolvedMessage(incident: Incident, note?: string | null): Message {
  const blocks: KnownBlock[] = [section(`✅ *Resolved:* ${incidentHeadline(incident)}`)];
  const fields = [
    mrkdwn(`*Commander*\n${incident.commanderId ? user(incident.commanderId) : 'none'}`),
    mrkdwn(`*Started*\n${slackDate(incident.declaredAt)}`),
  ];
  if (incident.resolvedAt) {
    fields.push(
      mrkdwn(`*Resolved*\n${slackDate(incident.resolvedAt)}`),
      mrkdwn(
        `*Duration*\n${formatDuration(Date.parse(incident.resolvedAt) - Date.parse(incident.declaredAt))}`,
      ),
    );
  }
  blocks.push({ type: 'section', fields });
  const noteTexts = note ? proseTexts(note) : [];
  if (noteTexts.length > 0) {
    blocks.push(section('*Resolution note*'));
    blocks.push(
      ...fitSections(noteTexts, LIMIT.messageBlocks - blocks.length - 1, (n) => `… ${n} more sections.`),
    );
  }
  blocks.push(context('Next: tick the resolution verification and the post-incident follow-up below.'));
  return {
    text: truncate(
      `✅ Resolved: ${incident.severity} ${inline(incident.title, LIMIT.notification)}`,
      LIMIT.notification,
    ),
    blocks,
  };
}
