import { SeveritySchema } from '../../../runbooks/model.ts';
import { UserError } from '../../../services/incidentService.ts';
import { DECLARE_FIELDS, VISIBILITY } from '../../blocks/modals.ts';
import { errorText } from '../commands/incident.ts';
import type { ListenerDeps } from '../deps.ts';
import { selectedValue, textValue, type ViewArgs } from './context.ts';

/** The declare modal: validate in the ack (errors show on the field), then open the incident. */
export function declareSubmitted(deps: ListenerDeps) {
  return async ({ ack, body, view }: ViewArgs): Promise<void> => {
    const values = view.state.values;
    const title = textValue(values, DECLARE_FIELDS.title);
    const severity = SeveritySchema.safeParse(selectedValue(values, DECLARE_FIELDS.severity));
    if (!title || !severity.success) {
      const errors: Record<string, string> = {};
      if (!title)
        errors[DECLARE_FIELDS.title.blockId] = 'Give the incident a title, e.g. "Payment latency high".';
      if (!severity.success) errors[DECLARE_FIELDS.severity.blockId] = 'Pick a severity.';
      return ack({ response_action: 'errors', errors });
    }
    await ack();
    const origin = view.private_metadata || body.user.id;
    try {
      await deps.declare.run(
        {
          title,
          severity: severity.data,
          runbookId: selectedValue(values, DECLARE_FIELDS.runbook),
          description: textValue(values, DECLARE_FIELDS.description) ?? '',
          private: selectedValue(values, DECLARE_FIELDS.visibility) === VISIBILITY.private,
          declaredBy: body.user.id,
          source: 'modal',
        },
        (id) => ({ via: 'ephemeral', channel: origin, user: body.user.id, lead: `Incident #${id} declared` }),
      );
    } catch (error) {
      const message = error instanceof UserError ? error.message : errorText(error, deps);
      await deps.workflow.ephemeral(origin, body.user.id, message);
    }
  };
}
