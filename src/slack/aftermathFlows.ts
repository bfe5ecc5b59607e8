import { followupAdded, postmortemDone } from './blocks/aftermath.ts';
import type { Actor, ListenerDeps } from './incidentFlows.ts';

/** `/incident postmortem`: the document from the timeline, uploaded to the incident's channel as a file. */
export async function uploadPostmortem(deps: ListenerDeps, incidentId: number, actor: Actor): Promise<void> {
  const incident = await deps.service.get(incidentId);
  const document = await deps.postmortems.documentInSlices(incidentId);
  if (!incident.channelId || incident.inFallback) {
    // No channel of its own to attach a file to: the draft goes to the person who asked.
    await actor.reply(document.slice(0, 39_000));
    return;
  }
  await deps.workflow.uploadFile(incident.channelId, {
    filename: `postmortem-incident-${incident.id}.md`,
    title: `Post-mortem draft: incident #${incident.id}`,
    content: document,
    comment: `Post-mortem draft from the timeline, requested by <@${actor.user}>. Fill in the root cause, impact and prevention.`,
  });
  await deps.service.note(incident.id, actor.user, 'postmortem_draft', 'Post-mortem draft posted');
}

export async function closePostmortem(
  deps: ListenerDeps,
  incidentId: number,
  link: string,
  actor: Actor,
): Promise<void> {
  const incident = await deps.postmortems.markDone({ incidentId, link, actor: actor.user });
  // Planned before anything is posted: a Slack failure below must not leave the channel open for ever.
  await deps.archive.schedule(incident);
  await deps.workflow.refreshHeader(incident.id);
  if (incident.channelId) await deps.workflow.post(incident.channelId, postmortemDone(incident, link));
}

export async function addFollowup(
  deps: ListenerDeps,
  incidentId: number,
  input: { text: string; ownerId: string; dueDate: string },
  actor: Actor,
): Promise<void> {
  const followup = await deps.postmortems.addFollowup({ incidentId, ...input, actor: actor.user });
  const incident = await deps.service.get(incidentId);
  if (incident.channelId) await deps.workflow.post(incident.channelId, followupAdded(followup));
  else await actor.reply(followupAdded(followup));
}
