import { ARCHIVE_KIND, archivePlan } from '../domain/archive.ts';
import type { Incident } from '../domain/incident.ts';
import type { Policy } from '../domain/policy.ts';
import type { ChatPort } from './ports/chat.ts';
import type { StorePort } from './ports/store.ts';

export interface ArchiveDeps {
  store: Pick<StorePort, 'incidents' | 'timers' | 'timeline'>;
  runbooks: () => { policy: Pick<Policy, 'archive'> };
  /** ARCHIVE_AFTER_DAYS, when set: it wins over policy.yml. */
  afterMs: number | null;
  chat: Pick<ChatPort, 'announceArchive' | 'archiveChannel'>;
}

/**
 * An incident's channel is archived a while after the incident is over (closed; a drill when resolved),
 * announced in the channel first. Both are timers in the database, so a restart loses neither; the
 * archive itself is a durable chat job, so a Slack outage delays it.
 */
export class ArchiveChannels {
  constructor(private readonly deps: ArchiveDeps) {}

  private plan(incident: Incident) {
    return archivePlan(incident, this.deps.runbooks().policy, this.deps.afterMs);
  }

  /** Called once the incident is over: plans the notice and the archive. */
  async schedule(incident: Incident): Promise<void> {
    const plan = this.plan(incident);
    if (!plan) return;
    const { timers, timeline } = this.deps.store;
    const payload = { archiveAt: plan.archiveAt.toISOString() };
    await timers.schedule({
      incidentId: incident.id,
      kind: ARCHIVE_KIND.notice,
      dueAt: plan.noticeAt,
      payload,
    });
    await timers.schedule({
      incidentId: incident.id,
      kind: ARCHIVE_KIND.archive,
      dueAt: plan.archiveAt,
      payload,
    });
    await timeline.append({
      incidentId: incident.id,
      actor: 'bot',
      kind: 'archive_scheduled',
      text: 'Channel archive scheduled',
      data: payload,
    });
  }

  /** The notice timer: says in the channel when it will be archived. */
  async notice(incidentId: number): Promise<void> {
    const incident = await this.stillOver(incidentId);
    const plan = incident && this.plan(incident);
    if (incident && plan) await this.deps.chat.announceArchive(incident, plan.archiveAt);
  }

  /** The archive timer: archives the channel, unless the incident was reopened since. */
  async archive(incidentId: number): Promise<void> {
    const incident = await this.stillOver(incidentId);
    if (incident) await this.deps.chat.archiveChannel(incident);
  }

  private async stillOver(incidentId: number): Promise<Incident | null> {
    const incident = await this.deps.store.incidents.get(incidentId);
    return incident && this.plan(incident) ? incident : null;
  }
}
