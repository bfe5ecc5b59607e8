import type { TimelineEntry, TimelineKind } from '../domain/timeline.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';

/** Timeline kind of an acknowledgement made in the paging tool. */
export const EXTERNAL_ACK = 'external_ack';
/** Timeline kinds of what else the paging tool reports: resolved or reassigned there. */
export const EXTERNAL_UPDATE = { resolved: 'external_resolve', reassigned: 'external_reassign' } as const;
export interface ExternalUpdate {
  by: string;
  via: string;
  at: string;
  /** Who the paging tool now assigns the incident to (reassigned only). */
  to: string | null;
}

/** The paging tool's side of an incident (PagerDuty acknowledged, resolved or reassigned it), on the timeline. */
export class PagingRecords {
  constructor(private readonly store: StorePort) {}

  /**
   * Someone acknowledged the page in the paging tool (PagerDuty): the first acknowledgement counts for MTTA,
   * each one is on the timeline and the latest shows in the header.
   */
  acknowledgeExternally(input: {
    incidentId: number;
    by: string;
    via: string;
    url: string | null;
  }): Promise<TimelineEntry> {
    return this.store.transaction(async (tx) => {
      await tx.incidents.acknowledge(input.incidentId);
      return this.note(tx, input.incidentId, EXTERNAL_ACK, `Acknowledged in ${input.via} by ${input.by}`, {
        by: input.by,
        via: input.via,
        url: input.url,
      });
    });
  }

  /** The paging tool resolved or reassigned the incident: on the timeline, and (the latest of each) in the header. */
  recordExternalUpdate(input: {
    incidentId: number;
    kind: keyof typeof EXTERNAL_UPDATE;
    by: string;
    via: string;
    to: string | null;
    url: string | null;
    /** When the paging tool says it happened. */
    at: string;
  }): Promise<TimelineEntry> {
    const { incidentId, kind, by, via, to, url, at } = input;
    const text =
      kind === 'resolved'
        ? `Resolved in ${via} by ${by}`
        : `Reassigned in ${via} to ${to ?? 'nobody'} by ${by}`;
    return this.note(this.store, incidentId, EXTERNAL_UPDATE[kind], text, { by, via, to, url, at });
  }

  /** The latest resolve and reassignment reported by the paging tool, for the header. */
  async externalUpdates(
    incidentId: number,
  ): Promise<Record<keyof typeof EXTERNAL_UPDATE, ExternalUpdate | null>> {
    const read = async (kind: TimelineKind): Promise<ExternalUpdate | null> => {
      const entry = await this.store.timeline.last(incidentId, kind);
      const data = entry?.data as
        | { by?: unknown; via?: unknown; to?: unknown; at?: unknown }
        | null
        | undefined;
      if (!entry || typeof data?.by !== 'string' || typeof data.via !== 'string') return null;
      const at = typeof data.at === 'string' && !Number.isNaN(Date.parse(data.at)) ? data.at : entry.at;
      return { by: data.by, via: data.via, at, to: typeof data.to === 'string' ? data.to : null };
    };
    return {
      resolved: await read(EXTERNAL_UPDATE.resolved),
      reassigned: await read(EXTERNAL_UPDATE.reassigned),
    };
  }

  /** The latest acknowledgement made in the paging tool, for the header. */
  async externalAcknowledgement(incidentId: number): Promise<{ by: string; via: string; at: string } | null> {
    const entry = await this.store.timeline.last(incidentId, EXTERNAL_ACK);
    const data = entry?.data as { by?: unknown; via?: unknown } | null | undefined;
    if (!entry || typeof data?.by !== 'string' || typeof data.via !== 'string') return null;
    return { by: data.by, via: data.via, at: entry.at };
  }

  private note(
    repos: StoreRepositories,
    incidentId: number,
    kind: TimelineKind,
    text: string,
    data: Record<string, unknown>,
  ): Promise<TimelineEntry> {
    return repos.timeline.append({ incidentId, actor: 'bot', kind, text, data });
  }
}
