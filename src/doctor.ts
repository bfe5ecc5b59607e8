import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { parse } from 'yaml';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { placeholderCheck, policySummary } from './doctor/policyIds.ts';
import { channelChecks, groupChecks, userChecks } from './doctor/slackChecks.ts';
import type { DoctorCheck } from './doctor/types.ts';
import { formatDuration } from './domain/duration.ts';
import type { Policy } from './domain/policy.ts';
import { SCHEDULER_HEARTBEAT } from './domain/timer.ts';
import { integrationChecks } from './integrations/doctor.ts';
import { loadRunbooks } from './runbooks/loader.ts';
import type { RunbookIssue } from './runbooks/model.ts';
import { slackErrorCode } from './slack/errors.ts';
import { type DatabaseHealth, inspectDatabase, readHeartbeat } from './store/inspect.ts';
import { inspectPostgres, type PostgresHealth } from './store/sql/inspectPostgres.ts';

export type { DoctorCheck };

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** The configuration already loaded (the running bot's, for `/incident doctor`); else read from `env`. */
  config?: Config;
  /** The manifest whose bot scopes the token must have. */
  manifestPath?: string;
  now?: Date;
  /** Check only what needs no Slack: configuration (Slack variables may be unset), runbooks, policy, database. */
  offline?: boolean;
}

const MANIFEST = new URL('../manifest.yml', import.meta.url);

function manifestScopes(path: string | URL): string[] {
  const manifest = parse(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: string[] } } };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

/**
 * Checks everything the bot needs, in one run, each with a pass/fail line and what to do: the
 * configuration, the runbooks and policy (placeholder IDs included), the database, the scheduler, the
 * webhook secrets and, unless offline, the Slack token and its scopes and every channel, user group and
 * user the policy names. For deploy pipelines: any failure is a non-zero exit.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const { config, check } = configCheck(options);
  const checks: DoctorCheck[] = [check];
  if (!config) return checks;
  if (!existsSync(config.runbooksDir)) {
    checks.push({
      name: 'runbooks',
      ok: false,
      detail: `${config.runbooksDir} does not exist`,
      fix: 'set RUNBOOKS_DIR to the folder holding the RUN-*.md files and policy.yml',
    });
    return checks;
  }
  const loaded = loadRunbooks(config.runbooksDir, { today: options.now ?? new Date(), maxAgeDays: 90 });
  checks.push(runbooksCheck(loaded.issues, config.runbooksDir));
  const policyPath = join(config.runbooksDir, 'policy.yml');
  const policy = loaded.policy.policy;
  const policySource = policy ? readFileSync(policyPath, 'utf8') : '';
  checks.push(
    policy
      ? { name: 'policy', ok: true, detail: `${policyPath}: ${policySummary(policy)}` }
      : {
          name: 'policy',
          ok: false,
          detail: loaded.policy.issues.map((i) => `${i.file}:${i.line}: ${i.message}`).join('; '),
          fix: `run: npx incident-bot lint ${policyPath}`,
        },
  );
  if (policy) checks.push(placeholderCheck(policy, policySource, policyPath));
  checks.push(...(await storageChecks(config, options.now ?? new Date())));
  checks.push(...secretChecks(config));
  if (options.offline) return checks;
  checks.push(...(await slackChecks(config, options, policy, policySource)));
  // Integrations are reached over the network, so offline runs leave them out like Slack.
  checks.push(...(await integrationChecks(config, options.env ?? process.env)));
  return checks;
}

function configCheck(options: DoctorOptions): { config: Config | null; check: DoctorCheck } {
  const env = options.env ?? process.env;
  // Offline, the Slack variables may be unset: stand-ins let the rest of the configuration be checked.
  const filled = options.offline
    ? {
        ...env,
        SLACK_BOT_TOKEN: env.SLACK_BOT_TOKEN?.trim() || 'xoxb-offline',
        SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET?.trim() || 'offline',
      }
    : env;
  try {
    const config = options.config ?? loadConfig(filled);
    const detail = options.offline
      ? 'parses (Slack tokens not checked: --offline)'
      : `parses (${config.mode} mode)`;
    return { config, check: { name: 'configuration', ok: true, detail } };
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    const fix = options.offline
      ? 'set the variables named above (see .env.example)'
      : 'set the variables named above (see .env.example); to check runbooks, policy and database without Slack, run: incident-bot doctor --offline';
    return { config: null, check: { name: 'configuration', ok: false, detail, fix } };
  }
}

function runbooksCheck(issues: readonly RunbookIssue[], dir: string): DoctorCheck {
  const errors = issues.filter((i) => i.level === 'error');
  if (errors.length === 0)
    return { name: 'runbooks', ok: true, detail: `${dir}: the runbooks lint without errors` };
  return {
    name: 'runbooks',
    ok: false,
    detail: errors
      .slice(0, 5)
      .map((i) => `${i.file}:${i.line}: ${i.message}`)
      .join('; '),
    fix: `run: npx incident-bot lint ${dir}`,
  };
}

/** The database the configuration names (SQLite or PostgreSQL) and the scheduler's last tick in it. */
async function storageChecks(config: Config, now: Date): Promise<DoctorCheck[]> {
  if (!config.databaseUrl) {
    const db = inspectDatabase(config.databasePath);
    const last = db.exists ? readHeartbeat(config.databasePath, SCHEDULER_HEARTBEAT) : null;
    return [databaseCheck(config, db), schedulerCheck(config, db.exists, last, now)];
  }
  const pg = await inspectPostgres(config.databaseUrl, SCHEDULER_HEARTBEAT);
  return [postgresCheck(pg), schedulerCheck(config, pg.version > 0, pg.heartbeat, now)];
}

function postgresCheck(db: PostgresHealth): DoctorCheck {
  const name = 'database';
  if (!db.reachable)
    return {
      name,
      ok: false,
      detail: `PostgreSQL (DATABASE_URL) is not reachable: ${db.error}`,
      fix: 'check the server is up, reachable from this host, and that the URL names an existing database and user',
    };
  if (db.standby)
    return {
      name,
      ok: false,
      detail: 'PostgreSQL (DATABASE_URL) is a read-only standby',
      fix: 'point DATABASE_URL at the primary (or the failover address that always names it)',
    };
  if (db.version > db.latest)
    return {
      name,
      ok: false,
      detail: `PostgreSQL schema version ${db.version} is newer than this code (${db.latest})`,
      fix: 'run the newer incident-bot, or point DATABASE_URL at another database',
    };
  const pending = db.latest - db.version;
  return {
    name,
    ok: true,
    detail: `PostgreSQL (DATABASE_URL): reachable, writable, schema ${db.version} of ${db.latest}${pending ? ` (${pending} migration(s) run at next start)` : ''}; replicas share it`,
  };
}

function databaseCheck(config: Config, db: DatabaseHealth): DoctorCheck {
  if (!db.exists)
    return {
      name: 'database',
      ok: true,
      detail: `${config.databasePath} does not exist yet; the bot creates it at start`,
    };
  if (!db.writable)
    return {
      name: 'database',
      ok: false,
      detail: `${config.databasePath}: ${db.error}`,
      fix: 'check the file and its folder are writable by the bot and the disk is not full',
    };
  if (db.version > db.latest)
    return {
      name: 'database',
      ok: false,
      detail: `schema version ${db.version} is newer than this code (${db.latest})`,
      fix: 'run the newer incident-bot, or point DATABASE_PATH at another file',
    };
  const pending = db.latest - db.version;
  return {
    name: 'database',
    ok: true,
    detail: `SQLite at ${config.databasePath}: writable, schema ${db.version} of ${db.latest}${pending ? ` (${pending} migration(s) run at next start)` : ''}`,
  };
}

function secretChecks(config: Config): DoctorCheck[] {
  return [
    config.webhookToken
      ? {
          name: 'webhook token',
          ok: true,
          detail: 'WEBHOOK_TOKEN is set for /webhooks/alertmanager and /webhooks/generic',
        }
      : {
          name: 'webhook token',
          ok: false,
          detail: 'WEBHOOK_TOKEN is not set: the Alertmanager and generic webhooks refuse every page',
          fix: 'set WEBHOOK_TOKEN to a long random string and give it to Alertmanager (bearer token)',
        },
    config.pagerdutyWebhookSecret
      ? { name: 'PagerDuty secret', ok: true, detail: 'PAGERDUTY_WEBHOOK_SECRET is set' }
      : {
          name: 'PagerDuty secret',
          ok: false,
          detail: 'PAGERDUTY_WEBHOOK_SECRET is not set: /webhooks/pagerduty refuses every page',
          fix: 'copy the signing secret of the PagerDuty webhook subscription into PAGERDUTY_WEBHOOK_SECRET',
        },
  ];
}

/** The token and its scopes; then, with a token that works and a policy, its channels, groups and users. */
async function slackChecks(
  config: Config,
  options: DoctorOptions,
  policy: Policy | null,
  policySource: string,
): Promise<DoctorCheck[]> {
  const client = new WebClient(config.slackBotToken, {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 1 },
  });
  const checks: DoctorCheck[] = [];
  try {
    const auth = await client.auth.test();
    const granted = new Set(auth.response_metadata?.scopes ?? []);
    const wanted = manifestScopes(options.manifestPath ?? MANIFEST);
    const missing = wanted.filter((s) => !granted.has(s));
    checks.push({
      name: 'Slack token',
      ok: true,
      detail: `valid for ${auth.team ?? 'the workspace'} as @${auth.user ?? auth.user_id ?? ''}`,
    });
    checks.push(
      missing.length
        ? {
            name: 'Slack scopes',
            ok: false,
            detail: `missing ${missing.join(', ')}`,
            fix: 'add them to the app (manifest.yml has the full list) and reinstall it to the workspace',
          }
        : { name: 'Slack scopes', ok: true, detail: `all ${wanted.length} scopes of manifest.yml granted` },
    );
  } catch (error) {
    checks.push({
      name: 'Slack token',
      ok: false,
      detail: `auth.test failed: ${slackErrorCode(error)}`,
      fix: "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    });
    return checks;
  }
  if (!policy) return checks;
  checks.push(...(await channelChecks(client, policy)));
  checks.push(...(await groupChecks(client, policy, policySource)));
  checks.push(...(await userChecks(client, policy, policySource)));
  return checks;
}

/** A tick older than this many intervals means the scheduler has stopped (or the bot is not running). */
export const STALE_TICKS = 3;

function schedulerCheck(config: Config, dbExists: boolean, last: Date | null, now: Date): DoctorCheck {
  if (!dbExists)
    return {
      name: 'scheduler',
      ok: true,
      detail: 'no database yet, so the bot has not run: nothing to check',
    };
  const tickMs = config.schedulerTickSeconds * 1000;
  if (!last)
    return {
      name: 'scheduler',
      ok: false,
      detail: 'has never recorded a tick: the bot is not running, or runs a version older than this one',
      fix: 'start the bot (npm start) and check its log for errors',
    };
  const ageMs = now.getTime() - last.getTime();
  const ago = formatDuration(Math.max(0, ageMs));
  if (ageMs > STALE_TICKS * tickMs)
    return {
      name: 'scheduler',
      ok: false,
      detail: `last tick ${ago} ago (${last.toISOString()}), more than ${STALE_TICKS} ticks of ${config.schedulerTickSeconds}s: escalations and reminders are not firing`,
      fix: 'check the bot is running and its log; restart it (timers due meanwhile fire once, late)',
    };
  return { name: 'scheduler', ok: true, detail: `last tick ${ago} ago` };
}

export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const lines = checks.map((c) =>
    c.ok ? `✔ ${c.name}: ${c.detail}` : `✘ ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`,
  );
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed ? `${failed} of ${checks.length} checks failed` : `all ${checks.length} checks passed`);
  return `${lines.join('\n')}\n`;
}
