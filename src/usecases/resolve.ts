import type { Incident } from '../domain/incident.ts';
import { isReadOnlyStep } from '../domain/readOnlySteps.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { ArchiveChannels } from './archive.ts';
import type { ChatPort } from './ports/chat.ts';

export interface ResolveInput {
  incidentId: number;
  note: string | null;
  /** A Slack user, or 'bot' when the alert policy or a timer resolves. */
  actor: string;
}

export interface ResolveDeps {
  incidents: Pick<IncidentService, 'resolve' | 'steps'>;
  postmortems: Pick<PostmortemService, 'scheduleFor' | 'drillReport'>;
  chat: ChatPort;
  /** A drill is over once resolved (it has no post-mortem): its channel's archive is planned then. */
  archive?: Pick<ArchiveChannels, 'schedule'>;
}

/**
 * The one way an incident gets resolved, whoever resolves it (a responder's button or command, a page
 * whose alerts all resolved, a status timer): the resolution checklist is posted, and a real incident's
 * post-mortem is scheduled while a drill reports on itself.
 */
export class ResolveIncident {
  constructor(private readonly deps: ResolveDeps) {}

  async run(input: ResolveInput): Promise<Incident> {
    const { incidents, postmortems, chat } = this.deps;
    // A refusal (not the commander, already resolved) is a UserError, for whoever resolved to hear.
    const { incident, added } = await incidents.resolve({
      incidentId: input.incidentId,
      note: input.note ?? '',
      actor: input.actor,
    });
    // Scheduled before anything is posted: a Slack failure below must not lose the post-mortem.
    const postmortem = await postmortems.scheduleFor(incident);
    await chat.refreshHeader(incident.id);
    if (!incident.channelId) return incident;
    await chat.announceResolved(incident, input.note);
    // Steps posted before the resolve must not keep live checkboxes: a tick there would change nothing.
    const worked = (await incidents.steps(incident.id)).filter(
      (s) => s.messageTs && isReadOnlyStep(incident, s),
    );
    await chat.showReadOnly(incident, worked);
    for (const step of added) await chat.postStep(incident, step);
    if (incident.drill) {
      await chat.announceDrillReport(incident, await postmortems.drillReport(incident.id));
      await this.deps.archive?.schedule(incident);
    } else if (postmortem) await chat.announcePostmortemScheduled(incident, postmortem);
    return incident;
  }
}
