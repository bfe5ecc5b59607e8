import { WORKING_STATUSES, type WorkingStatus } from '../../../domain/incidentState.ts';
import { SeveritySchema } from '../../../runbooks/model.ts';
import { ESCALATE_FIELDS, SEVERITY_FIELDS, SKIP_FIELDS, STATUS_FIELDS } from '../../blocks/modals.ts';
import type { ListenerDeps } from '../deps.ts';
import { refusalsTo } from '../guard.ts';
import { checkedValues, metadataId, modalActor, selectedValue, textValue, type ViewArgs } from './context.ts';

function isWorkingStatus(value: string | null): value is WorkingStatus {
  return (WORKING_STATUSES as readonly string[]).includes(value ?? '');
}

export function skipSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const reason = textValue(view.state.values, SKIP_FIELDS.reason);
    if (!reason) {
      return ack({
        response_action: 'errors',
        errors: { [SKIP_FIELDS.reason.blockId]: 'Say why: it goes into the post-mortem.' },
      });
    }
    await ack();
    const stepId = metadataId(body);
    if (stepId === null) return;
    await deps.stepUseCases.skip({ stepId, reason, actor: body.user.id });
  };
}

export function statusSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const status = selectedValue(view.state.values, STATUS_FIELDS.status);
    if (!isWorkingStatus(status)) {
      return ack({ response_action: 'errors', errors: { [STATUS_FIELDS.status.blockId]: 'Pick a status.' } });
    }
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const incident = await deps.service.get(incidentId);
    const note = textValue(view.state.values, STATUS_FIELDS.note);
    const actor = modalActor(deps, body, incident.channelId);
    await refusalsTo(actor, () => deps.changes.status({ incidentId, status, note, actor: actor.user }));
  };
}

export function severitySubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const severity = SeveritySchema.safeParse(selectedValue(view.state.values, SEVERITY_FIELDS.severity));
    if (!severity.success) {
      return ack({
        response_action: 'errors',
        errors: { [SEVERITY_FIELDS.severity.blockId]: 'Pick a severity.' },
      });
    }
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const incident = await deps.service.get(incidentId);
    const actor = modalActor(deps, body, incident.channelId);
    await refusalsTo(actor, () =>
      deps.changes.severity({ incidentId, severity: severity.data, actor: actor.user }),
    );
  };
}

export function escalateSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    await ack();
    const incidentId = metadataId(body);
    if (incidentId === null) return;
    const conditions = checkedValues(view.state.values, ESCALATE_FIELDS.conditions);
    const note = textValue(view.state.values, ESCALATE_FIELDS.note);
    // The one who escalated hears nothing more: the channel shows the call-in.
    await deps.escalate.run({ incidentId, conditions, note, actor: body.user.id });
  };
}
