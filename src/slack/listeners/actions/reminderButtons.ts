import type { KnownBlock } from '@slack/types';
import type { ReminderKind, Snooze } from '../../../domain/reminders.ts';
import { slackDate, user } from '../../blocks/mrkdwn.ts';
import { reminderHandledBlocks } from '../../blocks/timers.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf } from './context.ts';

const VALUE = /^(\d+):(status|brief)(?::(15m|1h))?$/;

/** `<incidentId>:<status|brief>[:<15m|1h>]` from a reminder's button. */
function parse(action: ActionArgs['action']) {
  const match = VALUE.exec('value' in action ? (action.value ?? '') : '');
  if (!match) return null;
  return {
    incidentId: Number(match[1]),
    kind: match[2] as ReminderKind,
    snooze: (match[3] ?? null) as Snooze | null,
  };
}

/** "Snooze 15 min", "Snooze 1 h" and "Dismiss" on a status-update or brief reminder. */
export function reminderButton(deps: ListenerDeps, what: 'snooze' | 'dismiss') {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const target = parse(action);
    if (!target) return;
    const actor = actorOf(deps, body);
    const incident = await deps.service.get(target.incidentId);
    if (body.channel?.id !== incident.channelId) {
      return actor.reply('That reminder belongs to another incident channel: act on it there.');
    }
    let note: string;
    if (what === 'snooze' && target.snooze) {
      const until = await deps.timekeeper.snooze({ ...target, snooze: target.snooze, actor: actor.user });
      note = `:zzz: Snoozed by ${user(actor.user)} until ${slackDate(until.toISOString())}.`;
    } else {
      await deps.timekeeper.dismiss({ incidentId: target.incidentId, kind: target.kind, actor: actor.user });
      note = `:no_bell: Dismissed by ${user(actor.user)}: no more reminders until the next update is posted.`;
    }
    const ts = body.message?.ts;
    if (!incident.channelId || !ts) return;
    const blocks = reminderHandledBlocks((body.message?.blocks ?? []) as KnownBlock[], note);
    await deps.workflow.update(incident.channelId, ts, { text: body.message?.text ?? note, blocks });
  };
}
