import { alertSeverity } from '../domain/alertPolicy.ts';
import type { AlertSource, Incident } from '../domain/incident.ts';
import type { InboxItem } from '../domain/records.ts';
import type { Logger } from '../log.ts';
import type { RunbookCatalog } from '../runbooks/catalog.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { accepted } from '../services/outcomes.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { PageSink, StormJoin } from '../usecases/ports/pages.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { digest, type NormalizedAlert } from './alert.ts';
import { FLOOD_ENTRIES, floodSummary } from './flood.ts';
import { SOURCES } from './sources.ts';

/** The open storm incident is linked under this key; generic dedup keys may not start with `incident-bot:`. */
export const STORM_KEY = 'incident-bot:alert-storm';
const STORM_SOURCE: AlertSource = 'generic';

export type { PageSink, StormJoin } from '../usecases/ports/pages.ts';

/** What the paging tool reports beyond an acknowledgement, shown in the header. */
const PAGING_UPDATES = new Set(['incident.resolved', 'incident.reassigned']);

export interface ProcessorDeps {
  store: StorePort;
  service: IncidentService;
  runbooks: () => RunbookSet;
  sink: PageSink;
  /** Waits for a conversations.create token (the storm pacing). */
  pace: () => Promise<void>;
  /** The declarer of paged incidents: the bot itself, so it is never invited or pinged. */
  botUserId: string;
  now: () => Date;
  log: Logger;
  /** Told when a page opened nothing new: a repeated delivery, or alerts joining an open incident. */
  onDeduplicated?: (source: AlertSource) => void;
}

const CLOSED = new Set(['resolved', 'closed']);
/** Parsed pages kept for the worker; past this (a flood the worker has not reached) the oldest are parsed again. */
const HANDOVER_LIMIT = 100;
/** The runbook an alert routes to: one the sender named, else one indexed under the alert name; null: RUN-000 alone. */
export function routeRunbook(catalog: RunbookCatalog, alert: NormalizedAlert): string | null {
  if (alert.runbook) {
    const named = catalog.byId(alert.runbook) ?? catalog.forAlert(alert.runbook)[0];
    if (named) return named.id;
  }
  const byName =
    catalog.forAlert(alert.alertname)[0] ??
    (alert.source === 'pagerduty' && alert.labels.service
      ? catalog.forAlert(alert.labels.service)[0]
      : undefined);
  return byName?.id ?? null;
}

/** Thrown inside a declare's transaction to roll it back when the group's incident exists already. */
class JoinInstead extends Error {
  constructor(readonly incidentId: number) {
    super(`alert group already has incident ${incidentId}`);
  }
}

/**
 * Turns one inbox item into incidents, idempotently: each alert (group key, fingerprint, status, start)
 * is acted on once however often it is delivered, and each group key has at most one open incident.
 */
export class AlertProcessor {
  #stormJoins: StormJoin[] = [];
  /** Alerts the webhook route parsed, by inbox id, until the worker takes them (see `handOver`). */
  readonly #parsed = new Map<number, readonly NormalizedAlert[]>();

  constructor(private readonly deps: ProcessorDeps) {}

  /**
   * The route parsed the page before storing it: the worker takes those alerts instead of parsing the stored
   * body again. Memory only and bounded; a page without them (after a restart, on another replica, or a
   * retry) is parsed from the inbox, which stays the record.
   */
  handOver(inboxId: number, alerts: readonly NormalizedAlert[]): void {
    if (this.#parsed.size >= HANDOVER_LIMIT) this.#parsed.delete(this.#parsed.keys().next().value as number);
    this.#parsed.set(inboxId, alerts);
  }

  /** Processes the item; returns the incident it opened or joined (the last one, for several groups). */
  async process(item: InboxItem): Promise<number | null> {
    const groups = new Map<string, NormalizedAlert[]>();
    for (const alert of this.#alertsOf(item)) {
      const group = groups.get(alert.dedupKey) ?? [];
      group.push(alert);
      groups.set(alert.dedupKey, group);
    }
    let incidentId: number | null = null;
    for (const [key, alerts] of groups) {
      incidentId = (await this.#processGroup(item.source, key, alerts)) ?? incidentId;
    }
    return incidentId;
  }

  #alertsOf(item: InboxItem): readonly NormalizedAlert[] {
    const handed = this.#parsed.get(item.id);
    this.#parsed.delete(item.id);
    if (handed) return handed;
    const source = SOURCES[item.source];
    const parsed = source.parse(item.rawBody);
    if (!parsed.ok) throw new Error(`Stored payload no longer parses: ${parsed.reason}`);
    return source.toAlerts(parsed.payload);
  }

  /** Posts the storm summary collected since the last flush; called after each batch of the inbox. */
  async flush(): Promise<void> {
    if (this.#stormJoins.length === 0) return;
    const storm = await this.#openStorm();
    const joined = this.#stormJoins;
    this.#stormJoins = [];
    if (!storm) return;
    const total = (await this.deps.store.alertLinks.listForIncident(storm.id)).length - 1;
    await this.deps.sink.stormJoined(storm, joined, total);
  }

  async #processGroup(source: AlertSource, key: string, alerts: NormalizedAlert[]): Promise<number | null> {
    const { store } = this.deps;
    const fresh: NormalizedAlert[] = [];
    for (const alert of alerts) if (!(await this.#seen(alert))) fresh.push(alert);
    let incident = await this.#openIncidentFor(source, key);
    if (fresh.length === 0 || incident) this.deps.onDeduplicated?.(source);
    if (fresh.length === 0) return incident?.id ?? (await this.#repeatAfterResolve(source, key, alerts));

    const firing = fresh.filter((a) => a.status === 'firing');
    let joinedStorm = false;
    if (!incident) {
      // A resolve or an update for an alert with no open incident needs no channel.
      if (!firing[0]) {
        await this.#markSeen(fresh, null);
        return null;
      }
      ({ incident, joinedStorm } = await this.#openOrJoin(source, key, firing[0]));
    } else if (!incident.channelId) {
      // Declared, but the process stopped before its channel was created: finish opening it.
      incident = await this.#openChannel(incident);
    }

    const storm = await this.#isStorm(incident);
    if (storm) {
      if (firing[0]) this.#recordJoin(firing[0], firing.length, joinedStorm);
    } else {
      await this.deps.sink.alerts(incident, fresh);
      const ack = fresh.find((a) => a.event === 'incident.acknowledged');
      if (ack) await this.deps.sink.acknowledged(incident, ack);
      for (const update of fresh.filter((a) => PAGING_UPDATES.has(a.event ?? '')))
        await this.deps.sink.pagingUpdate(incident, update);
    }
    // Marked after posting: a Slack failure retries the post; a repeat delivery after this changes nothing.
    await this.#markSeen(fresh, incident.id);

    const policy = this.deps.runbooks().policy.alerts;
    if (policy.auto_resolve && !storm && alerts.every((a) => a.status === 'resolved')) {
      const current = await this.deps.service.get(incident.id);
      if (!CLOSED.has(current.status)) await this.deps.sink.allResolved(current);
      if (CLOSED.has((await this.deps.service.get(incident.id)).status))
        await store.alertLinks.closeForIncident(incident.id);
    }
    return incident.id;
  }

  /**
   * Alerts already seen, still firing, for a group whose incident a responder resolved: Alertmanager's
   * repeat notification. Never dropped in silence: recorded on the resolved incident and said in its
   * channel; policy `alerts.after_resolve` may reopen it or open a new incident.
   */
  async #repeatAfterResolve(
    source: AlertSource,
    key: string,
    alerts: NormalizedAlert[],
  ): Promise<number | null> {
    const { store, service, runbooks, sink } = this.deps;
    const firing = alerts.filter((a) => a.status === 'firing');
    const link = await store.alertLinks.latest(source, key);
    if (!firing[0] || !link) return null;
    const resolved = await service.get(link.incidentId);
    if (!CLOSED.has(resolved.status)) return null;
    const policy = runbooks().policy.alerts.after_resolve;
    const text = `${source} still reports ${firing.length} alert${firing.length === 1 ? '' : 's'} firing after the resolve: ${firing[0].title}`;
    await service.note(resolved.id, 'bot', 'alert_repeat', text, {
      source,
      dedupKey: key,
      firing: firing.length,
      policy,
    });
    if (policy === 'new') {
      const { incident } = await this.#openOrJoin(source, key, firing[0]);
      await sink.alerts(incident, firing);
      await sink.stillFiring(resolved, firing, { policy, incidentId: incident.id });
      return incident.id;
    }
    if (policy === 'reopen' && resolved.status === 'resolved') {
      // Refused when reopened meanwhile (by hand or a concurrent page): the alert is not linked again.
      const reopened = await accepted(
        service.setStatus({
          incidentId: resolved.id,
          status: 'investigating',
          note: 'alerts still firing after the resolve (policy alerts.after_resolve: reopen)',
          actor: 'bot',
        }),
      );
      if (reopened) await store.alertLinks.link({ source, dedupKey: key, incidentId: resolved.id });
    }
    await sink.stillFiring(await service.get(resolved.id), firing, { policy, incidentId: resolved.id });
    return resolved.id;
  }

  async #openIncidentFor(source: AlertSource, key: string): Promise<Incident | null> {
    const { store, service } = this.deps;
    const link = await store.alertLinks.findOpen(source, key);
    if (!link) return null;
    const incident = await service.get(link.incidentId);
    if (!CLOSED.has(incident.status)) return incident;
    // Resolved by a responder: the next firing alert of the group is a new incident.
    await store.alertLinks.closeForIncident(incident.id);
    return null;
  }

  async #openOrJoin(
    source: AlertSource,
    key: string,
    alert: NormalizedAlert,
  ): Promise<{ incident: Incident; joinedStorm: boolean }> {
    const { store, service, runbooks, now } = this.deps;
    const set = runbooks();
    const policy = set.policy.alerts;
    const severity = alertSeverity(policy, alert);
    const existingStorm = await this.#openStorm();
    const recent = await store.alertLinks.countIncidentsSince(
      new Date(now().getTime() - policy.storm.window),
      existingStorm?.id ?? null,
    );
    if (recent >= policy.storm.threshold) {
      const storm = existingStorm ?? (await this.#declareStorm(recent));
      await store.transaction(async (tx) => {
        await tx.alertLinks.link({ source, dedupKey: key, incidentId: storm.id });
        const data = { source, dedupKey: key, alertname: alert.alertname, severity };
        await service.note(storm.id, 'bot', 'storm_join', `Joined the storm: ${alert.title}`, data, tx);
      });
      return { incident: storm, joinedStorm: true };
    }

    const runbookId = routeRunbook(set.catalog, alert);
    const declared = await store
      .transaction(async (tx) => {
        const d = await service.declare(
          {
            title: alert.incidentTitle,
            severity,
            runbookId,
            matchTitle: false,
            description: [alert.summary, alert.description].filter(Boolean).join('\n\n'),
            declaredBy: this.deps.botUserId,
            source,
            labels: alert.labels,
            notes: [
              {
                actor: 'bot',
                kind: 'page',
                text: `Opened by ${source} alert ${alert.alertname}`,
                data: { source, dedupKey: key, alertname: alert.alertname, runbook: runbookId },
              },
            ],
          },
          tx,
        );
        const linked = await tx.alertLinks.link({ source, dedupKey: key, incidentId: d.incident.id });
        // Another replica opened this group's incident first (the open-link unique index decided): undo
        // this declare and join theirs.
        if (!linked.created) throw new JoinInstead(linked.link.incidentId);
        return d;
      })
      .catch((error: unknown) => {
        if (error instanceof JoinInstead) return error;
        throw error;
      });
    if (declared instanceof JoinInstead)
      return { incident: await service.get(declared.incidentId), joinedStorm: false };
    await this.deps.pace();
    return { incident: await this.deps.sink.open(declared), joinedStorm: false };
  }

  async #declareStorm(recent: number): Promise<Incident> {
    const { store, service, runbooks } = this.deps;
    const storm = runbooks().policy.alerts.storm;
    const minutes = Math.round(storm.window / 60_000);
    const declared = await store.transaction(async (tx) => {
      const d = await service.declare(
        {
          title: `Alert storm: ${recent} alert incidents in ${minutes} min`,
          severity: storm.severity,
          matchTitle: false,
          description:
            'Pages kept arriving past the storm threshold in policy.yml (alerts.storm). Further alert groups ' +
            'join this incident instead of opening channels; the summary below lists them.',
          declaredBy: this.deps.botUserId,
          source: STORM_SOURCE,
        },
        tx,
      );
      await tx.alertLinks.link({ source: STORM_SOURCE, dedupKey: STORM_KEY, incidentId: d.incident.id });
      return d;
    });
    await this.deps.pace();
    return this.deps.sink.open(declared);
  }

  async #openChannel(incident: Incident): Promise<Incident> {
    const set = this.deps.runbooks();
    await this.deps.pace();
    return this.deps.sink.open({
      incident,
      runbook: incident.runbookId ? (set.catalog.byId(incident.runbookId) ?? null) : null,
      steps: await this.deps.service.steps(incident.id),
    });
  }

  #openStorm(): Promise<Incident | null> {
    return this.#openIncidentFor(STORM_SOURCE, STORM_KEY);
  }

  async #isStorm(incident: Incident): Promise<boolean> {
    return (await this.deps.store.alertLinks.findOpen(STORM_SOURCE, STORM_KEY))?.incidentId === incident.id;
  }

  #recordJoin(alert: NormalizedAlert, alerts: number, newGroup: boolean): void {
    this.#stormJoins.push({
      source: alert.source,
      alertname: alert.alertname,
      title: alert.title,
      severity: alertSeverity(this.deps.runbooks().policy.alerts, alert),
      alerts,
      newGroup,
    });
  }

  #key(alert: NormalizedAlert): string {
    return `alert:${alert.source}:${digest(alert.dedupKey)}:${digest(`${alert.fingerprint}\n${alert.status}\n${alert.startsAt}`)}`;
  }

  #seen(alert: NormalizedAlert): Promise<boolean> {
    return this.deps.store.idempotency.seen(this.#key(alert));
  }

  /**
   * Remembers the alerts as handled and adds them to the incident's timeline, in one transaction: one entry
   * per alert, or for a flood (a 4,000-alert group) one summary entry for the delivery.
   */
  async #markSeen(alerts: readonly NormalizedAlert[], incidentId: number | null): Promise<void> {
    const { store } = this.deps;
    await store.transaction(async (tx) => {
      const fresh: NormalizedAlert[] = [];
      for (const alert of alerts) if (await tx.idempotency.firstTime(this.#key(alert))) fresh.push(alert);
      if (incidentId === null || fresh.length === 0) return;
      await this.#noteAlerts(tx, incidentId, fresh);
    });
  }

  async #noteAlerts(
    tx: StoreRepositories,
    incidentId: number,
    fresh: readonly NormalizedAlert[],
  ): Promise<void> {
    const { service } = this.deps;
    if (fresh.length > FLOOD_ENTRIES) {
      const summary = floodSummary(fresh);
      await service.note(incidentId, 'bot', 'alert', summary.text, summary.data, tx);
      return;
    }
    for (const alert of fresh) {
      const what = alert.status === 'update' ? (alert.event ?? 'update') : alert.status;
      const data = {
        source: alert.source,
        fingerprint: alert.fingerprint,
        status: alert.status,
        labels: alert.labels,
        startsAt: alert.startsAt,
      };
      await service.note(incidentId, 'bot', 'alert', `Alert ${what}: ${alert.title}`, data, tx);
    }
  }
}
