import type { KnownBlock } from '@slack/types';
import type { DoctorCheck } from '../../doctor.ts';
import { context, fitSections, LIMIT, type Message, section } from './kit.ts';
import { escapeMrkdwn, SECTION_TEXT_MAX, truncate } from './mrkdwn.ts';

/** `/incident doctor`'s answer: one pass/fail line a check, with what to do about each failure. */
export function doctorMessage(checks: readonly DoctorCheck[]): Message {
  const failed = checks.filter((c) => !c.ok);
  const summary = failed.length
    ? `🩺 *Doctor*: ${failed.length} of ${checks.length} checks failed.`
    : `🩺 *Doctor*: all ${checks.length} checks passed.`;
  const lines = checks.map((c) =>
    truncate(
      c.ok
        ? `✅ *${escapeMrkdwn(c.name)}*: ${escapeMrkdwn(c.detail)}`
        : `❌ *${escapeMrkdwn(c.name)}*: ${escapeMrkdwn(c.detail)}${c.fix ? `\n      _fix:_ ${escapeMrkdwn(c.fix)}` : ''}`,
      SECTION_TEXT_MAX,
    ),
  );
  const blocks: KnownBlock[] = [
    section(summary),
    ...fitSections(lines, LIMIT.messageBlocks - 2, (n) => `…and ${n} more (run npx incident-bot doctor)`),
    context('Same checks as `npx incident-bot doctor`, run by the bot with its own configuration.'),
  ];
  return { text: summary.replace(/\*/g, ''), blocks };
}
