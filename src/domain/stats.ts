import { type ResponseDurations, responseDurations } from './milestones.ts';

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
  const stats = new ResponseStats();
  stats.add(incidents);
  return stats.result(severities);
}

/**
 * The same figures gathered a batch at a time, so a caller can read thousands of incidents page by page
 * and keep only their durations.
 */
export class ResponseStats {
  private readonly bySeverity = new Map<string, ResponseDurations[]>();

  add(incidents: readonly Timed[]): void {
    for (const i of incidents) {
      const list = this.bySeverity.get(i.severity) ?? [];
      list.push(
        responseDurations({
          ...i,
          impactStartedAt: i.impactStartedAt ?? null,
          detectedAt: i.detectedAt ?? null,
          mitigatedAt: i.mitigatedAt ?? null,
        }),
      );
      this.bySeverity.set(i.severity, list);
    }
  }

  result(severities: readonly string[] = ['P0', 'P1', 'P2', 'P3']): SeverityStats[] {
    return severities.map((severity) => {
      const durations = this.bySeverity.get(severity) ?? [];
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
}
