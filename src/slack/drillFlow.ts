import { UserError } from '../services/incidentService.ts';
import { channel as channelLink } from './blocks/mrkdwn.ts';
import type { Actor, ListenerDeps } from './incidentFlows.ts';

/**
 * Starts a drill of a runbook: a drill incident (own channel, the runbook's steps, no pages to real
 * teams' escalation paths beyond what a drill does). `/incident drill RUN-x` and the weekly review's
 * "Start a drill" button both come here.
 */
export async function startDrill(deps: ListenerDeps, runbookId: string, actor: Actor): Promise<void> {
  const runbook = deps.runbooks().catalog.byId(runbookId);
  if (!runbook) throw new UserError(`There is no runbook ${runbookId}. /incident runbooks lists them.`);
  const declared = await deps.service.declare({
    title: `DRILL ${runbook.id}: ${runbook.title}`,
    severity: runbook.severity ?? 'P3',
    runbookId: runbook.id,
    drill: true,
    declaredBy: actor.user,
    source: 'slash',
  });
  const incident = await deps.workflow.open(declared);
  await actor.reply(
    `Drill #${incident.id} of ${runbook.id} started: ${incident.channelId ? channelLink(incident.channelId) : 'your DM'}`,
  );
}
