import { declareModal, escalateModal, severityModal, statusModal } from '../../blocks/modals.ts';
import type { ListenerDeps } from '../deps.ts';
import { type ActionArgs, idFromValue, incidentModalButton } from './context.ts';

export function claimCommander(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    await deps.changes.commander({ incidentId, userId: body.user.id, actor: body.user.id });
  };
}

export function resolve(deps: ListenerDeps) {
  return async ({ ack, body, action }: ActionArgs): Promise<void> => {
    await ack();
    const incidentId = idFromValue(action);
    if (incidentId === null) return;
    await deps.resolve.run({ incidentId, note: null, actor: body.user.id });
  };
}

/** Buttons that open a modal prefilled from the incident. */
export function openModal(deps: ListenerDeps, which: 'status' | 'severity' | 'escalate') {
  return incidentModalButton(deps, (incident) =>
    which === 'status'
      ? statusModal(incident)
      : which === 'severity'
        ? severityModal(incident)
        : escalateModal(incident, deps.runbooks().policy),
  );
}

export function openDeclare(deps: ListenerDeps) {
  return async ({ ack, body, action, client }: ActionArgs): Promise<void> => {
    await ack();
    const { catalog } = deps.runbooks();
    const runbooks = catalog.runbooks.map((r) => ({ id: r.id, title: r.title }));
    // "Declare with this runbook" carries the runbook's ID; the App Home button carries none.
    const value = 'value' in action ? action.value : undefined;
    const chosen = value && catalog.byId(value) ? { runbookId: value } : undefined;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: declareModal({
        runbooks,
        channelId: body.channel?.id ?? body.user.id,
        ...(chosen ? { initial: chosen } : {}),
      }),
    });
  };
}
