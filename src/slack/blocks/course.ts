import type { KnownBlock } from '@slack/types';
import type { IncidentStep } from '../../domain/steps.ts';
import { inline, type Message, section } from './kit.ts';
import { escapeMrkdwn, user } from './mrkdwn.ts';

// Changing course mid-incident, said in the channel: pure builders.

export function runbookSwitchedMessage(change: {
  from: string | null;
  to: { id: string; title: string };
  by: string;
  skipped: number;
}): Message {
  const from = change.from ? ` from ${inline(change.from, 50)}` : '';
  const skipped =
    change.skipped > 0
      ? ` The old runbook's ${change.skipped} open step${change.skipped === 1 ? ' is' : 's are'} skipped; steps already done stay on the timeline.`
      : '';
  const text = `🔀 ${user(change.by)} switched the runbook${from} to *${inline(change.to.id, 50)}: ${inline(change.to.title, 300)}*.${skipped}`;
  return { text: `Runbook switched to ${escapeMrkdwn(change.to.id)}`, blocks: [section(text)] };
}

/** Mentions the assignee, so Slack notifies them. */
export function stepAssignedMessage(step: IncidentStep, by: string): Message {
  const assignee = step.assigneeId ?? '';
  const blocks: KnownBlock[] = [
    section(
      `👉 ${user(assignee)}, step ${step.number ?? ''} is yours (assigned by ${user(by)}): *${inline(step.title, 300)}*. It is in your App Home under My tasks.`,
    ),
  ];
  return { text: `${user(assignee)}: step ${step.number ?? ''} is assigned to you`, blocks };
}
