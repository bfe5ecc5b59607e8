import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Actor, ListenerDeps } from '../deps.ts';

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
type Values = ViewSubmitAction['view']['state']['values'];

export function textValue(values: Values, field: { blockId: string; actionId: string }): string | null {
  const value = values[field.blockId]?.[field.actionId]?.value;
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

export function selectedValue(values: Values, field: { blockId: string; actionId: string }): string | null {
  return values[field.blockId]?.[field.actionId]?.selected_option?.value ?? null;
}

/** Checkbox values from a field that may continue over several blocks (`id`, `id:1`, `id:2`, ...). */
export function checkedValues(values: Values, field: { blockId: string; actionId: string }): string[] {
  return Object.entries(values)
    .filter(([blockId]) => blockId === field.blockId || blockId.startsWith(`${field.blockId}:`))
    .flatMap(([, actions]) => (actions[field.actionId]?.selected_options ?? []).map((o) => o.value ?? ''))
    .filter(Boolean);
}

/** The numeric ID a modal carries in private_metadata (incident or step). */
export function metadataId(body: ViewSubmitAction): number | null {
  const id = Number(body.view.private_metadata);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** A modal's submitter, answered privately in the incident's channel. */
export function modalActor(deps: ListenerDeps, body: ViewSubmitAction, channelId: string | null): Actor {
  const where = channelId ?? body.user.id;
  return { user: body.user.id, reply: (message) => deps.workflow.ephemeral(where, body.user.id, message) };
}
