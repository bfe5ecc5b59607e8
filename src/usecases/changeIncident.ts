import type { WorkingStatus } from '../domain/incidentState.ts';
import { isReadOnlyStep } from '../domain/readOnlySteps.ts';
import type { Severity } from '../domain/severity.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { type RunbookSet, responseTeam } from '../services/runbookSet.ts';
import type { ChatPort } from './ports/chat.ts';

export interface ChangeIncidentDeps {
  incidents: Pick<IncidentService, 'get' | 'steps' | 'setStatus' | 'setSeverity' | 'setCommander'>;
  runbooks: () => Pick<RunbookSet, 'policy'>;
  chat: Pick<ChatPort, 'invite' | 'showLive' | 'announceStatus' | 'announceSeverity' | 'announceCommander'>;
  now: () => Date;
}

/**
 * Status, severity and commander, changed by a responder (a button, a form, a command, a status update):
 * each is stored first, then the channel is brought in line (the header, who is invited, which steps are
 * live) and told who changed what. A refusal is a UserError, thrown before anything is said.
 */
export class ChangeIncident {
  constructor(private readonly deps: ChangeIncidentDeps) {}

  async status(input: {
    incidentId: number;
    status: WorkingStatus;
    note: string | null;
    actor: string;
  }): Promise<void> {
    const { incidents, chat } = this.deps;
    const before = await incidents.get(input.incidentId);
    const incident = await incidents.setStatus({ ...input, note: input.note ?? '' });
    // Reopened: the steps made read-only by the resolve get their checkboxes and buttons back.
    const frozen = (await incidents.steps(input.incidentId)).filter(
      (s) => s.messageTs && isReadOnlyStep(before, s),
    );
    await chat.showLive(incident, frozen, `reopened:${this.deps.now().toISOString()}`);
    await chat.announceStatus(incident, { status: input.status, by: input.actor, note: input.note });
  }

  async severity(input: { incidentId: number; severity: Severity; actor: string }): Promise<void> {
    const { incident, raised } = await this.deps.incidents.setSeverity(input);
    // A raised severity brings in that severity's (larger) response team.
    if (raised && incident.channelId && !incident.inFallback) {
      const team = responseTeam(this.deps.runbooks().policy, input.severity);
      await this.deps.chat.invite(incident, team.users, team.groups);
    }
    await this.deps.chat.announceSeverity(incident, { severity: input.severity, by: input.actor });
  }

  async commander(input: { incidentId: number; userId: string; actor: string }): Promise<void> {
    const incident = await this.deps.incidents.setCommander(input);
    if (incident.channelId && !incident.inFallback) await this.deps.chat.invite(incident, [input.userId], []);
    await this.deps.chat.announceCommander(incident, { userId: input.userId, by: input.actor });
  }
}
