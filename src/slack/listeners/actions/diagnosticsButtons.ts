import { remediationMessage } from '../../blocks/diagnostics.ts';
import { escapeMrkdwn } from '../../blocks/mrkdwn.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, actorOf, idFromValue } from './context.ts';

/** "Re-run diagnostics": runs every check again and posts fresh evidence. */
export function rerunDiagnostics(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    await deps.diagnostics.runAndPost(incidentId, body.user.id);
  };
}

/** A recommended remediation: the use case escalates or runs it; the clicker hears what only they should. */
export function runRemediation(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const value = 'value' in action ? (action.value ?? '') : '';
    const match = /^(\d+):([a-z][a-z0-9_]*)$/.exec(value);
    if (!match) return;
    const actor = actorOf(deps, body);
    const done = await deps.diagnostics.remediate({
      incidentId: Number(match[1]),
      remediationId: match[2] ?? '',
      actor: actor.user,
    });
    if (done.kind === 'manual')
      await actor.reply(`Follow the instructions of "${escapeMrkdwn(done.title)}" by hand.`);
    else if (done.kind === 'ran' && !done.posted) await actor.reply(remediationMessage(done.result));
  };
}
