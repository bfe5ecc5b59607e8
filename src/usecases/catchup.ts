import { type Catchup, catchupOf } from '../domain/catchup.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { UPDATE_KIND } from '../services/timekeeper.ts';

export interface CatchupDeps {
  incidents: Pick<IncidentService, 'get' | 'steps' | 'lastOfKind' | 'openTimers'>;
  now: () => Date;
}

/** `/incident catchup`, and the welcome of someone joining the channel: where the incident stands now. */
export class CatchUp {
  constructor(private readonly deps: CatchupDeps) {}

  async of(incidentId: number): Promise<Catchup> {
    const { incidents } = this.deps;
    return catchupOf({
      incident: await incidents.get(incidentId),
      steps: await incidents.steps(incidentId),
      lastUpdate: await incidents.lastOfKind(incidentId, UPDATE_KIND.status),
      timers: await incidents.openTimers(incidentId),
      now: this.deps.now(),
    });
  }
}
