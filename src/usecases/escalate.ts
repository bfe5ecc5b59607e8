import type { Escalation, IncidentService } from '../services/incidentService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface EscalateInput {
  incidentId: number;
  /** Flagged conditions (data breach, user data, revenue impact) that add their own targets. */
  conditions: readonly string[];
  note: string | null;
  actor: string;
}

export interface EscalateDeps {
  incidents: Pick<IncidentService, 'escalate' | 'steps'>;
  chat: Pick<ChatPort, 'announceDrillEscalation' | 'callIn'>;
  now: () => Date;
}

/**
 * Escalating now (the Escalate modal, a diagnostics remediation): the flags and the escalation are on the
 * timeline, then the targets are called in. A drill names who would be called in and calls nobody.
 */
export class EscalateIncident {
  constructor(private readonly deps: EscalateDeps) {}

  async run(input: EscalateInput): Promise<Escalation> {
    const { incidents, chat, now } = this.deps;
    const escalation = await incidents.escalate({ ...input, note: input.note ?? '' });
    if (escalation.incident.drill) {
      await chat.announceDrillEscalation(escalation);
      return escalation;
    }
    // One reading of the steps and the clock for both briefs, so the two channels see the same picture.
    const steps = await incidents.steps(escalation.incident.id);
    await chat.callIn(escalation, steps, input.actor, now());
    return escalation;
  }
}
