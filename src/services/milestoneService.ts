import type { Incident } from '../domain/incident.ts';
import {
  MILESTONE_LABEL,
  MILESTONES,
  type Milestone,
  type MilestoneTimes,
  milestoneProblem,
} from '../domain/milestones.ts';
import type { StorePort } from '../usecases/ports/store.ts';
import type { IncidentService } from './incidentService.ts';
import { UserError } from './outcomes.ts';

export interface TimeChange {
  milestone: Milestone;
  at: string | null;
  was: string | null;
}

/** The bot records these when they happen; a person may correct them, never erase them. */
const RECORDED: ReadonlySet<Milestone> = new Set(['acknowledgedAt', 'resolvedAt']);

/** "2026-12-03 10:20 UTC": the timeline keeps a plain, unambiguous time; Slack shows its own date tokens. */
const plainTime = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'not set');

/** Editing an incident's structured times, in one transaction, each change on the timeline. */
export class MilestoneService {
  constructor(
    private readonly store: StorePort,
    private readonly incidents: Pick<IncidentService, 'get' | 'note'>,
    private readonly now: () => Date,
  ) {}

  set(input: { incidentId: number; times: MilestoneTimes; actor: string }): Promise<{
    incident: Incident;
    changes: TimeChange[];
  }> {
    return this.store.transaction(async (tx) => {
      const current = await this.incidents.get(input.incidentId, tx);
      const changes = MILESTONES.filter((m) => m in input.times)
        .map((m) => ({ milestone: m, at: input.times[m] ?? null, was: current[m] }))
        .filter((c) => c.at !== c.was);
      for (const c of changes) this.refuseIfImpossible(current, c);
      const times = Object.fromEntries(changes.map((c) => [c.milestone, c.at])) as MilestoneTimes;
      const problem = milestoneProblem(current, times, this.now());
      if (problem) throw new UserError(problem);
      if (changes.length === 0) return { incident: current, changes };
      const incident = (await tx.incidents.setTimes(current.id, times)) as Incident;
      for (const c of changes) {
        await this.incidents.note(
          current.id,
          input.actor,
          'time_set',
          `${MILESTONE_LABEL[c.milestone]} set to ${plainTime(c.at)} (was ${plainTime(c.was)})`,
          { milestone: c.milestone, at: c.at, was: c.was },
          tx,
        );
      }
      return { incident, changes };
    });
  }

  private refuseIfImpossible(incident: Incident, change: TimeChange): void {
    const label = MILESTONE_LABEL[change.milestone];
    if (change.at === null && RECORDED.has(change.milestone))
      throw new UserError(`${label} was recorded when it happened: correct the time instead of clearing it.`);
    if (change.milestone === 'resolvedAt' && incident.resolvedAt === null)
      throw new UserError(
        'The incident is not resolved: resolve it first (/incident resolve), then correct the time.',
      );
  }
}
