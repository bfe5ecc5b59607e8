import type { Incident } from '../domain/incident.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { type DeclareInput, UserError } from '../services/outcomes.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { ChatPort, DeclarerReply } from './ports/chat.ts';

export interface DeclareDeps {
  incidents: Pick<IncidentService, 'declare'>;
  runbooks: () => RunbookSet;
  chat: Pick<ChatPort, 'open'>;
}

/**
 * Declaring by hand (the command, the modal, a drill): the incident, its checklist, timeline and timers in
 * one transaction, then its channel opened durably and the declarer told where it is. Pages declare
 * through the alert processor, which links the alert in the same transaction.
 */
export class DeclareIncident {
  constructor(private readonly deps: DeclareDeps) {}

  async run(input: DeclareInput, reply: (incidentId: number) => DeclarerReply | null): Promise<Incident> {
    const declared = await this.deps.incidents.declare(input);
    return this.deps.chat.open(declared, reply(declared.incident.id));
  }

  /**
   * A drill of a runbook: a drill incident at the runbook's severity (P3 when it names none) that pages
   * nobody. `/incident drill RUN-x` and the weekly review's "Start a drill" button both come here.
   */
  async drill(runbookId: string, declaredBy: string): Promise<Incident> {
    const runbook = this.deps.runbooks().catalog.byId(runbookId);
    if (!runbook) throw new UserError(`There is no runbook ${runbookId}. /incident runbooks lists them.`);
    const declared = await this.deps.incidents.declare({
      title: `DRILL ${runbook.id}: ${runbook.title}`,
      severity: runbook.severity ?? 'P3',
      runbookId: runbook.id,
      drill: true,
      declaredBy,
      source: 'slash',
    });
    return this.deps.chat.open(declared, null);
  }
}
