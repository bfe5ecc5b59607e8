import type { NormalizedAlert } from '../../domain/alert.ts';
import type { AlertSource, Incident } from '../../domain/incident.ts';
import type { Declared } from '../../services/outcomes.ts';

/** One alert group that joined the storm incident instead of opening its own channel. */
export interface StormJoin {
  source: AlertSource;
  alertname: string;
  title: string;
  severity: string;
  alerts: number;
  /** The group joined now; false: more alerts of a group that joined earlier. */
  newGroup: boolean;
}

/**
 * The Slack side of a page, so the intake never names Slack: bot.ts gives the real one, benchmarks and
 * tests may give their own.
 */
export interface PageSink {
  /** Creates the incident's channel and posts its header and first step. */
  open(declared: Declared): Promise<Incident>;
  /** Posts the alerts (firing, resolved, updates) where the incident runs: its first evidence, then news. */
  alerts(incident: Incident, alerts: readonly NormalizedAlert[]): Promise<void>;
  /** Posts which alert groups joined the storm incident since the last summary. */
  stormJoined(incident: Incident, joined: readonly StormJoin[], total: number): Promise<void>;
  /**
   * A resolved incident's alerts are still firing (a repeat notification): say so in its channel. `policy`
   * says what was done: recorded, reopened, or a new incident (`incidentId`) opened.
   */
  stillFiring(
    incident: Incident,
    alerts: readonly NormalizedAlert[],
    outcome: { policy: 'record' | 'reopen' | 'new'; incidentId: number },
  ): Promise<void>;
  /** Someone acknowledged the page in the paging tool: record it (MTTA) and show it in the header. */
  acknowledged(incident: Incident, alert: NormalizedAlert): Promise<void>;
  /** The paging tool resolved or reassigned its incident: record it and show it in the header. */
  pagingUpdate(incident: Incident, alert: NormalizedAlert): Promise<void>;
  /** All alerts of the incident resolved and policy says auto-resolve: resolve it, or tell the commander. */
  allResolved(incident: Incident): Promise<void>;
}
