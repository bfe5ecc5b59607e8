import type { Incident } from './incident.ts';

// The structured times of an incident (impact started, detected, acknowledged, mitigated, resolved), in
// the order they happen. Response figures come from them: MTTD, MTTA, MTTM and MTTR.

export const MILESTONES = [
  'impactStartedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
] as const;
export type Milestone = (typeof MILESTONES)[number];
export type MilestoneTimes = Partial<Record<Milestone, string | null>>;

export const MILESTONE_LABEL: Record<Milestone, string> = {
  impactStartedAt: 'Impact started',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

type Timed = Pick<Incident, 'declaredAt' | Milestone>;

/**
 * The times as they count: detection defaults to the declaration (the bot knows of nothing earlier), and
 * impact to detection, so an incident whose times nobody edited still has an MTTA and an MTTR.
 */
export function effectiveTimes(incident: Timed): Record<Milestone, number | null> {
  const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const detected = ms(incident.detectedAt) ?? Date.parse(incident.declaredAt);
  return {
    impactStartedAt: ms(incident.impactStartedAt) ?? detected,
    detectedAt: detected,
    acknowledgedAt: ms(incident.acknowledgedAt),
    mitigatedAt: ms(incident.mitigatedAt),
    resolvedAt: ms(incident.resolvedAt),
  };
}

export interface ResponseDurations {
  /** Impact started → detected. */
  ttdMs: number | null;
  /** Detected → acknowledged. */
  ttaMs: number | null;
  /** Impact started → mitigated. */
  ttmMs: number | null;
  /** Impact started → resolved. */
  ttrMs: number | null;
}

export function responseDurations(incident: Timed): ResponseDurations {
  const t = effectiveTimes(incident);
  const between = (from: number | null, to: number | null) =>
    from === null || to === null ? null : to - from;
  return {
    // Without an edited impact start the bot cannot know how long detection took.
    ttdMs: incident.impactStartedAt === null ? null : between(t.impactStartedAt, t.detectedAt),
    ttaMs: between(t.detectedAt, t.acknowledgedAt),
    ttmMs: between(t.impactStartedAt, t.mitigatedAt),
    ttrMs: between(t.impactStartedAt, t.resolvedAt),
  };
}

/**
 * Why these times cannot all be true, or null: each must not come before the ones listed before it, and
 * none may be in the future. The message names both times, so the person knows which one to fix.
 */
export function milestoneProblem(incident: Timed, change: MilestoneTimes, now: Date): string | null {
  const merged: Timed = { ...incident, ...change };
  const set = MILESTONES.flatMap((m) =>
    merged[m] === null ? [] : [{ m, at: Date.parse(merged[m] as string) }],
  );
  for (const { m, at } of set) {
    if (Number.isNaN(at)) return `${MILESTONE_LABEL[m]} is not a date and time: pick one with the picker.`;
    if (at > now.getTime()) return `${MILESTONE_LABEL[m]} is in the future: pick a time that has passed.`;
  }
  for (let i = 1; i < set.length; i++) {
    const earlier = set.slice(0, i).find((e) => e.at > (set[i]?.at ?? 0));
    const later = set[i];
    if (earlier && later) {
      return `${MILESTONE_LABEL[later.m]} cannot come before ${MILESTONE_LABEL[earlier.m].toLowerCase()}: change one of the two.`;
    }
  }
  return null;
}
