import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Metrics } from './metrics.ts';
import type { RunbookSet } from './services/runbookSet.ts';
import type { SlackHealth } from './slack/instrumentation.ts';

export interface ReadinessDeps {
  metrics: Metrics;
  runbooks: () => RunbookSet;
  slack: SlackHealth;
  /** Failing Slack calls for this long make the bot unready (default 15 s). */
  slackWindowMs?: number;
  /** Side effects waiting in the job queue, named in the Slack problem. */
  jobs?: () => Promise<{ queued: number; failed: number }>;
  /** Which database this replica uses and its name, reported by /readyz so a probe shows which one answered. */
  identity?: { database: 'sqlite' | 'postgres'; replica: string | null };
  /** Null when the database in use (SQLite or PostgreSQL) takes writes, else what is wrong. */
  databaseProblem: () => Promise<string | null>;
}

/** Each check: null when fine, else what is wrong and what to do, as an operator reads it in a probe's output. */
export async function readiness(
  deps: ReadinessDeps,
): Promise<Record<'database' | 'runbooks' | 'slack', string | null>> {
  const db = await deps.databaseProblem();
  const where =
    deps.identity?.database === 'postgres'
      ? 'check DATABASE_URL and the PostgreSQL server'
      : 'check DATABASE_PATH and the disk';
  const count = deps.runbooks().catalog.runbooks.length;
  const { slack } = deps;
  let slackProblem: string | null = null;
  if (slack.authError)
    slackProblem = `Slack rejects the bot token (${slack.authError}): reinstall the app and update SLACK_BOT_TOKEN`;
  else if (slack.socketConnected === false)
    slackProblem = 'the Socket Mode connection is down; the client is reconnecting';
  else if (slack.lastOkAt === null) slackProblem = 'no successful Slack API call yet';
  else {
    const outage = slack.outage(deps.slackWindowMs ?? 15_000);
    if (outage) {
      // A database that does not answer is reported by its own check; the count is then unknown.
      const queued = (await deps.jobs?.().catch(() => null))?.queued ?? 0;
      slackProblem = `${outage}; ${queued} Slack side effect${queued === 1 ? ' waits' : 's wait'} and will run when Slack answers`;
    }
  }
  return {
    database: db ? `the database is not writable (${db}): ${where}` : null,
    runbooks: count > 0 ? null : 'no runbook is loaded: check RUNBOOKS_DIR, then run npx incident-bot lint',
    slack: slackProblem,
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

/** GET /metrics (Prometheus text format) and GET /readyz (200 when every check passes, else 503). */
export function operabilityRoutes(deps: ReadinessDeps): CustomRoute[] {
  return [
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        deps.metrics.registry.metrics().then(
          (text) => send(res, 200, deps.metrics.registry.contentType, text),
          (error: unknown) =>
            send(
              res,
              500,
              'text/plain',
              `metrics failed: ${error instanceof Error ? error.message : 'unknown'}`,
            ),
        );
      },
    },
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        const identity = deps.identity ?? { database: 'sqlite', replica: null };
        readiness(deps).then(
          (checks) => {
            const ok = Object.values(checks).every((c) => c === null);
            send(res, ok ? 200 : 503, 'application/json', JSON.stringify({ ok, ...identity, checks }));
          },
          (error: unknown) =>
            send(
              res,
              503,
              'application/json',
              JSON.stringify({ ok: false, ...identity, error: String(error) }),
            ),
        );
      },
    },
  ];
}
