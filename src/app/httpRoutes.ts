import type { CustomRoute } from '@slack/bolt';
import type { Config } from '../config.ts';
import { type Intake, webhookRoutes } from '../intake/index.ts';
import { githubWebhookRoute } from '../integrations/githubWebhook.ts';
import { jiraWebhookRoute } from '../integrations/jiraWebhook.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { operabilityRoutes } from '../routes.ts';
import type { PostmortemService } from '../services/postmortemService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { SlackHealth } from '../slack/instrumentation.ts';
import type { AsyncStore } from '../store/sql/index.ts';
import { healthRoute } from './healthRoute.ts';
import type { IntegrationWiring } from './integrations.ts';

export interface HttpRouteDeps {
  config: Config;
  /** SQLite or PostgreSQL: /readyz checks the one in use and names it. */
  store: AsyncStore;
  metrics: Metrics;
  slackHealth: SlackHealth;
  runbooks: () => RunbookSet;
  postmortems: PostmortemService;
  log: Logger;
  /** Wired after the app exists: the routes only read them when a request arrives. */
  integrations: () => IntegrationWiring | null;
  intake: () => Intake | null;
}

/** The bot's own HTTP routes beside /slack/events: health, readiness, metrics, and the webhooks in. */
export function httpRoutes(deps: HttpRouteDeps): CustomRoute[] {
  const { config, store, metrics, postmortems } = deps;
  const complete = async (found: Promise<number | null> | null) => {
    const followupId = await found;
    if (followupId === null) return null;
    await postmortems.completeFollowup({ followupId, actor: 'bot' });
    return { followupId };
  };
  return [
    healthRoute(),
    ...operabilityRoutes({
      metrics,
      databaseProblem: () => store.problem(),
      runbooks: deps.runbooks,
      slack: deps.slackHealth,
      slackWindowMs: config.slackReadyWindowMs,
      jobs: () => store.jobs.counts(),
      identity: { database: store.kind, replica: config.replicaId ?? null },
    }),
    githubWebhookRoute({
      secret: config.githubWebhookSecret,
      closed: (event) => complete(deps.integrations()?.followupForIssue(event) ?? null),
    }),
    jiraWebhookRoute({
      secret: config.jiraWebhookSecret,
      done: (event) => complete(deps.integrations()?.followupForJiraIssue(event.issue.key) ?? null),
    }),
    ...webhookRoutes({
      config,
      inbox: store.inbox,
      log: deps.log,
      stored: (page) => deps.intake()?.accepted(page),
      observe: ({ source, outcome, reason }) => {
        if (outcome === 'stored') metrics.pagesReceived.inc({ source });
        else if (outcome === 'duplicate') metrics.pagesDeduplicated.inc({ source });
        else metrics.pagesFailed.inc({ source, reason: reason ?? 'refused' });
      },
    }),
  ];
}
