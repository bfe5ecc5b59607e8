import type { AnyMiddlewareArgs, Context, Middleware } from '@slack/bolt';
import type { Incident } from '../../domain/incident.ts';
import type { IncidentService } from '../../services/incidentService.ts';
import { type IncidentAccess, privateRefusal } from '../access.ts';
import type { IncidentWorkflow } from '../workflow.ts';

/**
 * Clicks in a private incident's channel come only from its members. A payload naming the right channel
 * is not proof (it can be forged or replayed by someone removed since): who clicked is checked against the
 * channel's members as Slack has them now. Refused clicks are acked and answered, never acted on.
 */
export function privateGuard(deps: {
  service: IncidentService;
  access: IncidentAccess;
  workflow: IncidentWorkflow;
}): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: unknown; channel?: { id?: unknown }; user?: { id?: unknown } };
    const channel = typeof body.channel?.id === 'string' ? body.channel.id : null;
    const user = typeof body.user?.id === 'string' ? body.user.id : null;
    if (body.type !== 'block_actions' || !channel || !user) return args.next();
    const incident = await deps.service.forChannel(channel);
    args.context[CHANNEL_INCIDENT] = incident;
    if (!incident?.private || (await deps.access.allows(incident, user))) return args.next();
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
    await deps.workflow.ephemeral(channel, user, privateRefusal(incident.id));
  };
}

const CHANNEL_INCIDENT = 'channelIncident';

/**
 * The incident of the channel a click came from, as the guard read it just before the listener (null: no
 * incident has that channel; undefined: not read), so a listener on the ack-competing path need not read it again.
 */
export function channelIncident(context: Context): Incident | null | undefined {
  return context[CHANNEL_INCIDENT] as Incident | null | undefined;
}
