import type { KnownBlock } from '@slack/types';
import { COURSE_USAGE } from './courseUsage.ts';
import { context, inline, LIMIT, type Message, section } from './kit.ts';
import { escapeMrkdwn, splitText } from './mrkdwn.ts';

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

/**
 * The reply to a bad `/incident` command: the error, then only the usage line of the subcommand it was
 * meant for (the whole help buries the fix at 3 AM). For an unknown subcommand the error already lists
 * them all, so the most likely intent, declaring, is offered.
 */
export function usageError(error: string, subcommand: string | null): Message {
  const lines = COMMANDS.filter((c) => subcommand !== null && c.syntax.split(' ')[0] === subcommand).map(
    ({ syntax, example }) =>
      `\`/incident ${escapeMrkdwn(syntax)}\`${syntax === example ? '' : `, e.g. \`/incident ${escapeMrkdwn(example)}\``}`,
  );
  const hint = lines.length
    ? 'Every command, with examples: `/incident help`'
    : 'Declare an incident: `/incident declare P1 <title>` · every command, with examples: `/incident help`';
  return {
    text: `⚠️ ${inline(error, LIMIT.notification)}`,
    blocks: [
      section(`⚠️ ${inline(error, 1000)}`),
      ...(lines.length ? [section(lines.join('\n'))] : []),
      context(escapeMrkdwn(hint)),
    ],
  };
}
