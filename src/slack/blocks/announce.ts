import type { Incident } from '../../domain/incident.ts';
import { context, inline, type Message, SEVERITY_EMOJI, section } from './kit.ts';
import { channel, escapeMrkdwn, truncate, user } from './mrkdwn.ts';

export interface AnnouncementContext {
  /** The incident's channel; in fallback mode, the announce channel the incident runs in. */
  channelId: string;
  /** Channel creation failed, so the incident runs in the channel this is posted to. */
  fallback: boolean;
}

/**
 * The post in the announce channel. A private incident is announced by its severity alone: the
 * announce channel is public, and the title, channel or declarer could each give the incident away.
 */
export function announcement(incident: Incident, ctx: AnnouncementContext): Message {
  if (incident.private) {
    const text = `A private ${incident.severity} incident was declared`;
    return { text, blocks: [section(text)] };
  }
  const emoji = SEVERITY_EMOJI[incident.severity];
  const title = inline(incident.title, 1000);
  const where = ctx.fallback
    ? 'Responding *here in this channel*: a dedicated channel could not be created.'
    : `Join ${channel(ctx.channelId)} to help.`;
  const drill = incident.drill ? '🧪 *DRILL* · ' : '';
  return {
    text: truncate(`${emoji} ${incident.severity} incident declared: ${title}`, 300),
    blocks: [
      section(`${drill}${emoji} *${incident.severity} incident declared:* ${title}`),
      section(where),
      context(`Declared by ${user(incident.declaredBy)}`),
    ],
  };
}

/** What an admin can change so the next incident gets its own channel, by Slack's error code. */
const FIXES = new Map<string, string>(
  Object.entries({
    restricted_action:
      'Workspace settings restrict who may create channels. A workspace admin can allow it under Workspace settings → Permissions → Channel Management, so the app can create incident channels.',
    missing_scope:
      'The app lacks a scope to create channels: add `channels:manage` (public) and `groups:write` (private) under OAuth & Permissions, then reinstall the app.',
    not_allowed_token_type:
      'The bot token cannot create channels: set SLACK_BOT_TOKEN to the app’s bot token (xoxb-…).',
    invalid_auth: 'The bot token is invalid: reinstall the app and update SLACK_BOT_TOKEN.',
    token_revoked: 'The bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN.',
    account_inactive: 'The bot’s account is deactivated: reinstall the app and update SLACK_BOT_TOKEN.',
    name_taken:
      'Every channel name tried was taken: archive or rename old `inc-…` channels, or check for a channel naming policy.',
    invalid_name_specials:
      'Slack rejected the generated channel name: check the workspace’s channel naming policy.',
    invalid_name: 'Slack rejected the generated channel name: check the workspace’s channel naming policy.',
    ratelimited: 'Slack kept rate-limiting channel creation; the next incident will try again.',
    team_access_not_granted:
      'The app is not granted access to this workspace of the organization: an org admin can add it.',
  }),
);

/**
 * Posted where the incident runs when its channel could not be created: responders must know the
 * incident is here, and an admin must learn what to fix before the next one.
 */
export function fallbackNotice(reason: string): Message {
  const code = truncate(escapeMrkdwn(reason.trim() || 'unknown error'), 200);
  const fix =
    FIXES.get(reason.trim()) ??
    'Check the bot’s logs for this error and the app’s scopes (`channels:manage`, `groups:write`).';
  return {
    text: `⚠️ No incident channel could be created (${code}): the incident runs in this channel.`,
    blocks: [
      section(
        `⚠️ *No dedicated incident channel could be created* (\`${code}\`), so this incident runs *here in this channel*. Keep working here: steps, checks and the timeline work as usual.`,
      ),
      context(`*For a Slack admin:* ${fix}`),
    ],
  };
}
