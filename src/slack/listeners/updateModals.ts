import type { WebClient } from '@slack/web-api';
import { execBriefModal, statusUpdateModal } from '../blocks/updates.ts';
import type { ListenerDeps } from './deps.ts';

/** The status-update form, prefilled by the use case (last update, the step being worked, the page's preview). */
export async function openStatusUpdate(
  deps: ListenerDeps,
  client: WebClient,
  triggerId: string,
  incidentId: number,
): Promise<void> {
  const { incident, prefill, preview } = await deps.updates.statusDraft(incidentId);
  await client.views.open({ trigger_id: triggerId, view: statusUpdateModal(incident, prefill, preview) });
}

/** The executive-brief form, prefilled by the use case. */
export async function openExecBrief(
  deps: ListenerDeps,
  client: WebClient,
  triggerId: string,
  incidentId: number,
): Promise<void> {
  const { incident, prefill } = await deps.updates.briefDraft(incidentId);
  const view = execBriefModal(incident, prefill, deps.runbooks().policy.channels.executive);
  await client.views.open({ trigger_id: triggerId, view });
}
