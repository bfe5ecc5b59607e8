import { channel as channelLink } from './blocks/mrkdwn.ts';
import type { Actor, ListenerDeps } from './incidentFlows.ts';

/** Starts a drill of a runbook (the use case) and tells the one who asked where it runs. */
export async function startDrill(deps: ListenerDeps, runbookId: string, actor: Actor): Promise<void> {
  const incident = await deps.declare.drill(runbookId, actor.user);
  await actor.reply(
    `Drill #${incident.id} of ${runbookId} started: ${incident.channelId ? channelLink(incident.channelId) : 'your DM'}`,
  );
}
