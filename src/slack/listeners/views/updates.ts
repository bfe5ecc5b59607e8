import type { ViewSubmitAction } from '@slack/bolt';
import { BRIEF_FIELDS, UPDATE_FIELDS, UPDATE_STATUSES } from '../../blocks/updates.ts';
import type { ListenerDeps } from '../deps.ts';
import { refusalsTo } from '../guard.ts';
import { metadataId, modalActor, selectedValue, textValue, type ViewArgs } from './context.ts';

type Values = ViewSubmitAction['view']['state']['values'];

function dateTimeValue(values: Values, field: { blockId: string; actionId: string }): Date | null {
  const seconds = values[field.blockId]?.[field.actionId]?.selected_date_time;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : null;
}

function isUpdateStatus(value: string | null): value is (typeof UPDATE_STATUSES)[number] {
  return (UPDATE_STATUSES as readonly string[]).includes(value ?? '');
}

/** A next-update time must lie ahead, or the reminder would fire at once and the page would promise the past. */
function futureError(next: Date | null, now: Date): string | null {
  if (!next) return 'Pick when the next update will be.';
  return next.getTime() <= now.getTime() ? 'Pick a time in the future.' : null;
}

export function statusUpdateSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const values = view.state.values;
    const status = selectedValue(values, UPDATE_FIELDS.status);
    const next = dateTimeValue(values, UPDATE_FIELDS.next);
    const errors: Record<string, string> = {};
    if (!isUpdateStatus(status)) errors[UPDATE_FIELDS.status.blockId] = 'Pick a status.';
    const late = futureError(next, deps.now());
    if (late) errors[UPDATE_FIELDS.next.blockId] = late;
    if (Object.keys(errors).length || !isUpdateStatus(status) || !next)
      return ack({ response_action: 'errors', errors });
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const incident = await deps.service.get(incidentId);
    const update = {
      status,
      impact: textValue(values, UPDATE_FIELDS.impact) ?? '',
      action: textValue(values, UPDATE_FIELDS.action) ?? '',
      nextUpdateAt: next,
    };
    // A status change the update carries may be refused: said where the form was opened from.
    const actor = modalActor(deps, body, incident.channelId);
    await refusalsTo(actor, () => deps.updates.post(incidentId, update, actor.user));
  };
}

export function execBriefSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const values = view.state.values;
    const next = dateTimeValue(values, BRIEF_FIELDS.next);
    const late = futureError(next, deps.now());
    if (late || !next)
      return ack({ response_action: 'errors', errors: { [BRIEF_FIELDS.next.blockId]: late ?? '' } });
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const brief = {
      situation: textValue(values, BRIEF_FIELDS.situation) ?? '',
      cause: textValue(values, BRIEF_FIELDS.cause) ?? '',
      action: textValue(values, BRIEF_FIELDS.action) ?? '',
      eta: textValue(values, BRIEF_FIELDS.eta) ?? '',
      impact: textValue(values, BRIEF_FIELDS.impact) ?? '',
      nextUpdateAt: next,
    };
    await deps.updates.postBrief(incidentId, brief, body.user.id);
  };
}
