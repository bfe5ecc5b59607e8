import { readFileSync } from 'node:fs';
import { WebClient } from '@slack/web-api';
import { parse } from 'yaml';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { formatDuration } from './domain/duration.ts';
import type { Policy } from './domain/policy.ts';
import { integrationChecks } from './integrations/doctor.ts';
import { loadRunbooks } from './runbooks/loader.ts';
import { slackErrorCode } from './slack/errors.ts';
import { SCHEDULER_HEARTBEAT } from './store/heartbeats.ts';
import { inspectDatabase, readHeartbeat } from './store/inspect.ts';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
}

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** The configuration already loaded (the running bot's, for `/incident doctor`); else read from `env`. */
  config?: Config;
  /** The manifest whose bot scopes the token must have. */
  manifestPath?: string;
  now?: Date;
}

const MANIFEST = new URL('../manifest.yml', import.meta.url);

function manifestScopes(path: string | URL): string[] {
  const manifest = parse(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: string[] } } };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

/**
 * Checks everything the bot needs, in one run, each with a pass/fail line and what to do: the
 * configuration, the Slack token and its scopes, the policy's channels and user groups, the database,
 * the runbooks, and the webhook secrets. For deploy pipelines: any failure is a non-zero exit.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (check: DoctorCheck) => checks.push(check);
  let config: Config;
  try {
    config = options.config ?? loadConfig(options.env ?? process.env);
    add({ name: 'configuration', ok: true, detail: `parses (${config.mode} mode)` });
    for (const check of await integrationChecks(config, options.env ?? process.env)) add(check);
  } catch (error) {
    const detail = error instanceof ConfigError ? error.problems.join('; ') : String(error);
    add({
      name: 'configuration',
      ok: false,
      detail,
      fix: 'set the variables named above (see .env.example)',
    });
    return checks;
  }

  const loaded = loadRunbooks(config.runbooksDir, { today: options.now ?? new Date(), maxAgeDays: 90 });
  const errors = loaded.issues.filter((i) => i.level === 'error');
  add(
    errors.length
      ? {
          name: 'runbooks',
          ok: false,
          detail: errors
            .slice(0, 5)
            .map((i) => `${i.file}:${i.line}: ${i.message}`)
            .join('; '),
          fix: `run: npx incident-bot lint ${config.runbooksDir}`,
        }
      : { name: 'runbooks', ok: true, detail: `${loaded.files.length} files lint without errors` },
  );

  const db = inspectDatabase(config.databasePath);
  if (!db.exists) {
    add({
      name: 'database',
      ok: true,
      detail: `${config.databasePath} does not exist yet; the bot creates it at start`,
    });
  } else if (!db.writable) {
    add({
      name: 'database',
      ok: false,
      detail: `${config.databasePath}: ${db.error}`,
      fix: 'check the file and its folder are writable by the bot and the disk is not full',
    });
  } else if (db.version > db.latest) {
    add({
      name: 'database',
      ok: false,
      detail: `schema version ${db.version} is newer than this code (${db.latest})`,
      fix: 'run the newer incident-bot, or point DATABASE_PATH at another file',
    });
  } else {
    const pending = db.latest - db.version;
    add({
      name: 'database',
      ok: true,
      detail: `writable, schema ${db.version} of ${db.latest}${pending ? ` (${pending} migration(s) run at next start)` : ''}`,
    });
  }

  add(schedulerCheck(config, db.exists, options.now ?? new Date()));

  add(
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
  );
  add(
    config.pagerdutyWebhookSecret
      ? { name: 'PagerDuty secret', ok: true, detail: 'PAGERDUTY_WEBHOOK_SECRET is set' }
      : {
          name: 'PagerDuty secret',
          ok: false,
          detail: 'PAGERDUTY_WEBHOOK_SECRET is not set: /webhooks/pagerduty refuses every page',
          fix: 'copy the signing secret of the PagerDuty webhook subscription into PAGERDUTY_WEBHOOK_SECRET',
        },
  );

  const client = new WebClient(config.slackBotToken, {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 1 },
  });
  let botUserId: string;
  try {
    const auth = await client.auth.test();
    botUserId = auth.user_id ?? '';
    const granted = new Set(auth.response_metadata?.scopes ?? []);
    const wanted = manifestScopes(options.manifestPath ?? MANIFEST);
    const missing = wanted.filter((s) => !granted.has(s));
    add({
      name: 'Slack token',
      ok: true,
      detail: `valid for ${auth.team ?? 'the workspace'} as @${auth.user ?? botUserId}`,
    });
    add(
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
    add({
      name: 'Slack token',
      ok: false,
      detail: `auth.test failed: ${slackErrorCode(error)}`,
      fix: "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    });
    return checks;
  }

  const policy = loaded.policy.policy;
  if (!policy) {
    add({
      name: 'policy',
      ok: false,
      detail: loaded.policy.issues.map((i) => i.message).join('; '),
      fix: `run: npx incident-bot lint ${config.runbooksDir}`,
    });
    return checks;
  }
  for (const check of await channelChecks(client, policy)) add(check);
  for (const check of await groupChecks(client, policy)) add(check);
  return checks;
}

/** A tick older than this many intervals means the scheduler has stopped (or the bot is not running). */
export const STALE_TICKS = 3;

function schedulerCheck(config: Config, dbExists: boolean, now: Date): DoctorCheck {
  if (!dbExists)
    return {
      name: 'scheduler',
      ok: true,
      detail: 'no database yet, so the bot has not run: nothing to check',
    };
  const last = readHeartbeat(config.databasePath, SCHEDULER_HEARTBEAT);
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

async function channelChecks(client: WebClient, policy: Policy): Promise<DoctorCheck[]> {
  const byName = new Map<string, { id: string; isMember: boolean }>();
  // The weekly review's channel (policy review.channel), when it is not one of the four already checked.
  const review = policy.review?.channel;
  const channels: Record<string, string> =
    review && !Object.values(policy.channels).includes(review)
      ? { ...policy.channels, review }
      : { ...policy.channels };
  const needsList = Object.values(channels).some((c) => c.startsWith('#'));
  if (needsList) {
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const ch of page.channels ?? [])
        if (ch.name && ch.id) byName.set(ch.name, { id: ch.id, isMember: ch.is_member === true });
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
  }
  const checks: DoctorCheck[] = [];
  for (const [role, ref] of Object.entries(channels)) {
    const key = role === 'review' ? 'review.channel' : `channels.${role}`;
    const name = `${role} channel`;
    let found: { id: string; isMember: boolean } | undefined;
    if (ref.startsWith('#')) found = byName.get(ref.slice(1));
    else {
      try {
        const info = await client.conversations.info({ channel: ref });
        if (info.channel?.id) found = { id: info.channel.id, isMember: info.channel.is_member === true };
      } catch {
        found = undefined;
      }
    }
    if (!found)
      checks.push({
        name,
        ok: false,
        detail: `${ref} not found`,
        fix: `create ${ref}, or fix ${key} in policy.yml`,
      });
    else if (!found.isMember)
      checks.push({
        name,
        ok: false,
        detail: `${ref} exists but the bot is not in it`,
        fix: `invite the bot: /invite @Incident Bot in ${ref}`,
      });
    else checks.push({ name, ok: true, detail: `${ref} exists and the bot is in it` });
  }
  return checks;
}

async function groupChecks(client: WebClient, policy: Policy): Promise<DoctorCheck[]> {
  const groups = new Set<string>();
  for (const severity of Object.values(policy.severities)) {
    for (const audience of Object.values(severity.team))
      for (const g of audience?.groups ?? []) groups.add(g);
  }
  for (const target of Object.values(policy.targets)) for (const g of target.groups) groups.add(g);
  // Runbook owners that are user groups: the weekly review mentions them.
  for (const owner of Object.values(policy.owners ?? {})) if (owner.startsWith('S')) groups.add(owner);
  const checks: DoctorCheck[] = [];
  for (const group of [...groups].sort()) {
    try {
      const members = await client.usergroups.users.list({ usergroup: group });
      const count = members.users?.length ?? 0;
      checks.push(
        count
          ? { name: `user group ${group}`, ok: true, detail: `${count} member(s)` }
          : {
              name: `user group ${group}`,
              ok: false,
              detail: 'has no members: inviting it invites nobody',
              fix: `add people to ${group}, or remove it from policy.yml`,
            },
      );
    } catch (error) {
      checks.push({
        name: `user group ${group}`,
        ok: false,
        detail: `does not resolve (${slackErrorCode(error)})`,
        fix: `check the ID ${group} in policy.yml (usergroups.list shows the real ones)`,
      });
    }
  }
  return checks;
}

export function formatDoctor(checks: readonly DoctorCheck[]): string {
  const lines = checks.map((c) =>
    c.ok ? `✔ ${c.name}: ${c.detail}` : `✘ ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`,
  );
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed ? `${failed} of ${checks.length} checks failed` : `all ${checks.length} checks passed`);
  return `${lines.join('\n')}\n`;
}
