/** Per-severity response figures over a window of incidents. */
export interface SeverityStats {
  severity: string;
  incidents: number;
  acknowledged: number;
  resolved: number;
  /** Mean time to acknowledge (declared -> the first acknowledgement: a commander took it, or the page was acknowledged in PagerDuty), ms; null when none was acknowledged. */
  mttaMs: number | null;
  /** Mean time to resolve (declared -> resolved), ms; null when none was resolved. */
  mttrMs: number | null;
}

interface Timed {
  severity: string;
  declaredAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

function mean(values: number[]): number | null {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : null;
}

/** MTTA and MTTR per severity, P0 first; severities without incidents are listed with zeros. */
export function responseStats(
  incidents: readonly Timed[],
  severities: readonly string[] = ['P0', 'P1', 'P2', 'P3'],
): SeverityStats[] {
  return severities.map((severity) => {
    const mine = incidents.filter((i) => i.severity === severity);
    const ack = mine.flatMap((i) =>
      i.acknowledgedAt ? [Date.parse(i.acknowledgedAt) - Date.parse(i.declaredAt)] : [],
    );
    const res = mine.flatMap((i) =>
      i.resolvedAt ? [Date.parse(i.resolvedAt) - Date.parse(i.declaredAt)] : [],
    );
    return {
      severity,
      incidents: mine.length,
      acknowledged: ack.length,
      resolved: res.length,
      mttaMs: mean(ack),
      mttrMs: mean(res),
    };
  });
}
