import type { KnownBlock } from '@slack/types';
import type { ReviewBatch } from '../../runbooks/review.ts';
import { ACTIONS } from '../ids.ts';
import { button, context, inline, LIMIT, type Message, mrkdwn, section } from './kit.ts';
import { escapeMrkdwn, SECTION_TEXT_MAX, truncate } from './mrkdwn.ts';

/** Runbooks listed per message; the rest are counted, so a message stays within Slack's 50 blocks. */
export const REVIEW_MAX_ITEMS = LIMIT.messageBlocks - 5;

function addressee(batch: ReviewBatch): string {
  const { owner } = batch;
  if (owner.kind === 'user') return `<@${owner.id}>`;
  if (owner.kind === 'group') return `<!subteam^${owner.id}>`;
  return 'runbooks with no owner in Slack';
}

/**
 * The weekly review reminder for one owner: each runbook with why it needs a look and a "Start a drill"
 * button. Unowned runbooks say how to give them an owner.
 */
export function reviewMessage(batch: ReviewBatch): Message {
  const n = batch.items.length;
  const count = `${n} runbook${n === 1 ? '' : 's'}`;
  const head =
    batch.owner.kind === 'none'
      ? `🗓️ *Weekly runbook review*: ${count} with no owner in Slack need${n === 1 ? 's' : ''} a look.`
      : `🗓️ *Weekly runbook review* for ${addressee(batch)}: ${count} need${n === 1 ? 's' : ''} a look.`;
  const blocks: KnownBlock[] = [section(head)];
  for (const item of batch.items.slice(0, REVIEW_MAX_ITEMS)) {
    const owner = item.runbook.owner ? ` · owner ${inline(item.runbook.owner, 80)}` : '';
    const lines = item.reasons.map((r) => `• ${escapeMrkdwn(r)}`).join('\n');
    blocks.push({
      type: 'section',
      text: mrkdwn(
        truncate(
          `*${inline(item.runbook.id, 20)}* ${inline(item.runbook.title, 150)}${owner}\n${lines}`,
          SECTION_TEXT_MAX,
        ),
      ),
      accessory: button({ text: 'Start a drill', actionId: ACTIONS.startDrill, value: item.runbook.id }),
    });
  }
  if (n > REVIEW_MAX_ITEMS)
    blocks.push(context(`…and ${n - REVIEW_MAX_ITEMS} more: \`npx incident-bot lint\` lists them all.`));
  blocks.push(
    context(
      batch.owner.kind === 'none'
        ? 'Give them an owner in Slack: `owner_slack: U…/S…` in the front matter, or `owners:` in policy.yml. After a drill or review, update `Last Tested`.'
        : 'A drill counts as a test. After reviewing, update `Last Tested: YYYY-MM-DD` in the runbook.',
    ),
  );
  const ids = batch.items.map((i) => i.runbook.id).join(', ');
  return {
    text: truncate(`Weekly runbook review: ${count} need a look (${ids})`, LIMIT.notification),
    blocks,
  };
}
