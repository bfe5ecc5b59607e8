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

/** A recommended remediation: escalate, or run an automated one (approval rules live in the service; a refusal is a UserError the guard answers). */
export function runRemediation(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const value = 'value' in action ? (action.value ?? '') : '';
    const match = /^(\d+):([a-z][a-z0-9_]*)$/.exec(value);
    if (!match) return;
    const incidentId = Number(match[1]);
    const actor = actorOf(deps, body);
    const outcome = await deps.diagnostics.service.remediate(incidentId, match[2] ?? '', actor.user);
    switch (outcome.outcome) {
      case 'manual':
        return actor.reply(
          `Follow the instructions of "${escapeMrkdwn(outcome.remediation.title)}" by hand.`,
        );
      case 'escalate':
        return void (await deps.escalate.run({
          incidentId,
          conditions: outcome.remediation.conditions ?? [],
          note: outcome.remediation.title,
          actor: actor.user,
        }));
      case 'ran': {
        const incident = await deps.service.get(incidentId);
        const message = remediationMessage({
          title: outcome.remediation.title,
          ok: outcome.run.ok,
          summary: outcome.run.summary,
          output: outcome.run.output,
          by: actor.user,
          approvedBy: outcome.approvedBy,
        });
        if (incident.channelId) await deps.workflow.post(incident.channelId, message);
        else await actor.reply(message);
      }
    }
  };
}
