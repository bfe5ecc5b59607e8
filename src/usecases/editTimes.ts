import type { Incident } from '../domain/incident.ts';
import type { MilestoneTimes } from '../domain/milestones.ts';
import type { MilestoneService, TimeChange } from '../services/milestoneService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface EditTimesDeps {
  milestones: Pick<MilestoneService, 'set'>;
  chat: Pick<ChatPort, 'refreshHeader' | 'announceTimesChanged'>;
}

export interface SavedTimes {
  incident: Incident;
  changes: TimeChange[];
  actor: string;
}

/**
 * Impact started, detected, acknowledged, mitigated, resolved: corrected by hand, said in the channel.
 * Saving is separate from announcing so a modal can show a refusal next to its pickers before it closes.
 */
export class EditTimes {
  constructor(private readonly deps: EditTimesDeps) {}

  async save(input: { incidentId: number; times: MilestoneTimes; actor: string }): Promise<SavedTimes> {
    return { ...(await this.deps.milestones.set(input)), actor: input.actor };
  }

  async announce(saved: SavedTimes): Promise<void> {
    if (saved.changes.length === 0) return;
    await this.deps.chat.announceTimesChanged(saved.incident, saved.changes, saved.actor);
    await this.deps.chat.refreshHeader(saved.incident.id);
  }
}
