import type { Incident } from './incident.ts';
import type { Policy } from './policy.ts';
import type { TimerKind } from './timer.ts';

/** The timers that close an incident's channel: a notice in the channel first, then the archive. */
export const ARCHIVE_KIND = {
  notice: 'channel_archive_notice',
  archive: 'channel_archive',
} as const satisfies Record<string, TimerKind>;

export const DEFAULT_ARCHIVE_AFTER = 30 * 86_400_000;
export const DEFAULT_ARCHIVE_NOTICE = 86_400_000;

/**
 * When the incident's channel is announced for archiving and archived: `after` the incident is over
 * (closed; a drill has no post-mortem, so resolved), the notice `notice_before` that. `after` comes from
 * the ARCHIVE_AFTER environment variable when set, else policy.yml. Null: nothing to archive.
 */
export function archivePlan(
  incident: Pick<Incident, 'channelId' | 'inFallback' | 'drill' | 'status' | 'closedAt' | 'resolvedAt'>,
  policy: Pick<Policy, 'archive'>,
  override: number | 'never' | null = null,
): { noticeAt: Date; archiveAt: Date } | null {
  if (!incident.channelId || incident.inFallback) return null;
  const over = incident.status === 'closed' || (incident.drill && incident.status === 'resolved');
  const anchor = incident.status === 'closed' ? incident.closedAt : incident.resolvedAt;
  if (!over || !anchor) return null;
  const after = override ?? policy.archive?.after ?? DEFAULT_ARCHIVE_AFTER;
  if (after === 'never') return null;
  const notice = Math.min(policy.archive?.notice_before ?? DEFAULT_ARCHIVE_NOTICE, after);
  const archiveAt = Date.parse(anchor) + after;
  return { noticeAt: new Date(archiveAt - notice), archiveAt: new Date(archiveAt) };
}
