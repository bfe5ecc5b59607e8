import { responseDurations } from './milestones.ts';

/** Per-severity response figures over a window of incidents. */
export interface SeverityStats {
  severity: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  /** Mean time to detect (impact started -> detected), ms; null when no impact start was recorded. */
  mttdMs: number | null;
  /** Mean time to acknowledge (detected, else declared -> the first acknowledgement: a commander took it, or the page was acknowledged in PagerDuty), ms; null when none was acknowledged. */
  mttaMs: number | null;
  /** Mean time to mitigate (impact started, else detected or declared -> mitigated), ms; null when none was. */
  mttmMs: number | null;
  /** Mean time to resolve (impact started, else detected or declared -> resolved), ms; null when none was resolved. */
  mttrMs: number | null;
}

interface Timed {
  severity: string;
  declaredAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  impactStartedAt?: string | null;
  detectedAt?: string | null;
  mitigatedAt?: string | null;
}

function mean(values: number[]): number | null {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

const present = (values: (number | null)[]): number[] => values.filter((v): v is number => v !== null);

/** MTTD, MTTA, MTTM and MTTR per severity, P0 first; severities without incidents are listed with zeros. */
export function responseStats(
  incidents: readonly Timed[],
  severities: readonly string[] = ['P0', 'P1', 'P2', 'P3'],
): SeverityStats[] {
  return severities.map((severity) => {
    const durations = incidents
      .filter((i) => i.severity === severity)
      .map((i) =>
        responseDurations({
          ...i,
          impactStartedAt: i.impactStartedAt ?? null,
          detectedAt: i.detectedAt ?? null,
          mitigatedAt: i.mitigatedAt ?? null,
        }),
      );
    const ack = present(durations.map((d) => d.ttaMs));
    const res = present(durations.map((d) => d.ttrMs));
    return {
      severity,
      incidents: durations.length,
      acknowledged: ack.length,
      resolved: res.length,
      mttdMs: mean(present(durations.map((d) => d.ttdMs))),
      mttaMs: mean(ack),
      mttmMs: mean(present(durations.map((d) => d.ttmMs))),
      mttrMs: mean(res),
    };
  });
}
