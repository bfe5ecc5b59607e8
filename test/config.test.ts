import { hostname } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig } from '../src/config.ts';

const required = { SLACK_BOT_TOKEN: 'xoxb-123-456-abc', SLACK_SIGNING_SECRET: 'shh' };

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('applies every default when only the required tokens are set', () => {
    expect(loadConfig(required)).toEqual({
      slackBotToken: 'xoxb-123-456-abc',
      slackSigningSecret: 'shh',
      slackAppToken: undefined,
      slackApiUrl: 'https://slack.com/api/',
      mode: 'http',
      port: 3000,
      databasePath: './data/incident-bot.db',
      runbooksDir: './runbooks',
      webhookToken: undefined,
      pagerdutyWebhookSecret: undefined,
      schedulerTickSeconds: 15,
      leaseMs: 120_000,
      archiveAfterMs: null,
      logLevel: 'info',
      slackReadyWindowMs: 15_000,
      jobBackoffMaxMs: 30_000,
      jobTickMs: 1_000,
      slackRetryMinMs: 250,
      slackProbeMs: 5_000,
      inboxRetentionMs: 7 * 86_400_000,
      prometheusUrl: undefined,
      diagnosticsDatabases: {},
      pagerduty: null,
      statuspage: null,
      github: null,
      githubWebhookSecret: undefined,
      pagerdutyEventsUrl: 'https://events.pagerduty.com',
      jira: null,
      jiraWebhookSecret: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        ...required,
        SLACK_APP_TOKEN: 'xapp-1-A1-xyz',
        SLACK_API_URL: 'http://127.0.0.1:4321/api/',
        PORT: '0',
        DATABASE_PATH: '/var/lib/incident-bot/db.sqlite',
        DATABASE_URL: 'postgres://bot:secret@db.internal:5432/incidents',
        REPLICA_ID: 'bot-a',
        RUNBOOKS_DIR: '/etc/runbooks',
        WEBHOOK_TOKEN: 'bearer-me',
        PAGERDUTY_WEBHOOK_SECRET: 'pd-secret',
        SCHEDULER_TICK_SECONDS: '1',
        LEASE_SECONDS: '30',
        ARCHIVE_AFTER_DAYS: '7',
        LOG_LEVEL: 'debug',
        SLACK_READY_WINDOW_SECONDS: '5',
        JOB_BACKOFF_MAX_SECONDS: '8',
        JOB_TICK_MS: '250',
        SLACK_RETRY_MIN_MS: '50',
        SLACK_PROBE_MS: '1000',
        INBOX_RETENTION_DAYS: '2',
        PROMETHEUS_URL: 'http://prometheus:9090',
        PAGERDUTY_API_TOKEN: 'pd-token',
        PAGERDUTY_FROM_EMAIL: 'oncall@example.com',
        PAGERDUTY_API_URL: 'http://127.0.0.1:4001/',
        PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:4002',
        STATUSPAGE_API_KEY: 'sp-key',
        STATUSPAGE_PAGE_ID: 'page1',
        STATUSPAGE_API_URL: 'http://127.0.0.1:4003/v1',
        GITHUB_TOKEN: 'gh-token',
        GITHUB_REPOSITORY: 'acme/platform',
        GITHUB_API_URL: 'http://127.0.0.1:4004',
        GITHUB_WEBHOOK_SECRET: 'gh-secret',
        JIRA_BASE_URL: 'http://127.0.0.1:4005/',
        JIRA_EMAIL: 'bot@example.com',
        JIRA_API_TOKEN: 'jira-token',
        JIRA_PROJECT: 'OPS',
        JIRA_WEBHOOK_SECRET: 'jira-secret',
        UNRELATED: 'ignored',
      }),
    ).toEqual({
      slackBotToken: 'xoxb-123-456-abc',
      slackSigningSecret: 'shh',
      slackAppToken: 'xapp-1-A1-xyz',
      slackApiUrl: 'http://127.0.0.1:4321/api/',
      mode: 'socket',
      port: 0,
      databasePath: '/var/lib/incident-bot/db.sqlite',
      databaseUrl: 'postgres://bot:secret@db.internal:5432/incidents',
      replicaId: 'bot-a',
      runbooksDir: '/etc/runbooks',
      webhookToken: 'bearer-me',
      pagerdutyWebhookSecret: 'pd-secret',
      schedulerTickSeconds: 1,
      leaseMs: 30_000,
      archiveAfterMs: 7 * 86_400_000,
      logLevel: 'debug',
      slackReadyWindowMs: 5_000,
      jobBackoffMaxMs: 8_000,
      jobTickMs: 250,
      slackRetryMinMs: 50,
      slackProbeMs: 1_000,
      inboxRetentionMs: 2 * 86_400_000,
      prometheusUrl: 'http://prometheus:9090',
      diagnosticsDatabases: {},
      pagerduty: {
        token: 'pd-token',
        from: 'oncall@example.com',
        apiUrl: 'http://127.0.0.1:4001',
        eventsUrl: 'http://127.0.0.1:4002',
      },
      statuspage: { apiKey: 'sp-key', pageId: 'page1', apiUrl: 'http://127.0.0.1:4003/v1' },
      github: { token: 'gh-token', repository: 'acme/platform', apiUrl: 'http://127.0.0.1:4004' },
      githubWebhookSecret: 'gh-secret',
      pagerdutyEventsUrl: 'http://127.0.0.1:4002',
      jira: {
        baseUrl: 'http://127.0.0.1:4005',
        email: 'bot@example.com',
        apiToken: 'jira-token',
        project: 'OPS',
      },
      jiraWebhookSecret: 'jira-secret',
    });
  });

  it('keeps SQLite when DATABASE_URL is unset, and refuses a URL of another database without echoing it', () => {
    expect(loadConfig(required).databaseUrl).toBeUndefined();
    const problems = problemsOf({ ...required, DATABASE_URL: 'mysql://root:hunter2@db/incidents' });
    expect(problems).toEqual([
      'DATABASE_URL is invalid (must be a postgres:// or postgresql:// URL): set it to postgres://user:password@host:5432/dbname ' +
        'to share one PostgreSQL among two or more replicas, or leave it unset to keep incidents in SQLite at DATABASE_PATH',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('names the replica hostname-pid on PostgreSQL unless REPLICA_ID says otherwise; none on SQLite', () => {
    const url = 'postgres://bot@127.0.0.1:5432/incidents';
    expect(loadConfig(required).replicaId).toBeUndefined();
    expect(loadConfig({ ...required, DATABASE_URL: url }).replicaId).toBe(`${hostname()}-${process.pid}`);
    expect(loadConfig({ ...required, REPLICA_ID: 'pod-7' }).replicaId).toBe('pod-7');
    expect(problemsOf({ ...required, REPLICA_ID: 'pod 7' })).toEqual([
      'REPLICA_ID is invalid (must be 1 to 64 letters, digits or . _ : -): set it to a short name for this ' +
        'replica (letters, digits, . _ : -), e.g. the pod name, or leave it unset for hostname-pid',
    ]);
  });

  it('treats empty and blank values as unset', () => {
    const config = loadConfig({
      ...required,
      SLACK_APP_TOKEN: '',
      PORT: '',
      LOG_LEVEL: '  ',
      SLACK_API_URL: '',
    });
    expect(config.mode).toBe('http');
    expect(config.slackAppToken).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.slackApiUrl).toBe('https://slack.com/api/');
    expect(problemsOf({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: ' ' })).toHaveLength(2);
  });

  it('names every missing variable at once and says where to get it', () => {
    expect(problemsOf({})).toEqual([
      "SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
      "SLACK_SIGNING_SECRET is missing: set it to the Signing Secret from your Slack app's Basic Information page",
    ]);
    let message = '';
    try {
      loadConfig({});
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = error instanceof Error ? error.message : '';
    }
    expect(message.split('\n')).toEqual([
      'incident-bot cannot start: 2 configuration problems',
      "  - SLACK_BOT_TOKEN is missing: set it to the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
      "  - SLACK_SIGNING_SECRET is missing: set it to the Signing Secret from your Slack app's Basic Information page",
      'Set them in the environment or in a .env file (see .env.example for every variable).',
    ]);
  });

  it('reports every invalid value at once without echoing it', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_APP_TOKEN: 'xoxb-wrong-kind',
      SLACK_API_URL: 'slack.com/api',
      PORT: '70000',
      SCHEDULER_TICK_SECONDS: '0',
      LOG_LEVEL: 'verbose',
      PROMETHEUS_URL: 'ftp://prometheus',
    });
    expect(problems.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'PORT',
      'SCHEDULER_TICK_SECONDS',
      'LOG_LEVEL',
      'PROMETHEUS_URL',
    ]);
    expect(problems).toContain(
      'SLACK_BOT_TOKEN is invalid (must start with "xoxb-"): ' +
        "set it to the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
    );
    expect(problems).toContain(
      'PORT is invalid (must be a whole number from 0 to 65535): set it to a TCP port from 0 to 65535, or leave it unset for 3000',
    );
    expect(problems).toContain(
      'SCHEDULER_TICK_SECONDS is invalid (must be a whole number, at least 1): ' +
        'set it to a whole number of seconds, at least 1, or leave it unset for 15',
    );
    expect(problems.find((line) => line.startsWith('LOG_LEVEL'))).toContain(
      'must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(problems.find((line) => line.startsWith('PROMETHEUS_URL'))).toContain(
      'must be an http:// or https:// URL',
    );
    expect(problems.join('\n')).not.toContain('xoxp-user-token-secret');
  });

  it.each(['abc', '-1', '3.5', '1e3'])('rejects PORT=%s', (port) => {
    expect(problemsOf({ ...required, PORT: port })).toEqual([
      'PORT is invalid (must be a whole number from 0 to 65535): set it to a TCP port from 0 to 65535, or leave it unset for 3000',
    ]);
  });

  it('reads process.env by default', () => {
    vi.stubEnv('SLACK_BOT_TOKEN', required.SLACK_BOT_TOKEN);
    vi.stubEnv('SLACK_SIGNING_SECRET', required.SLACK_SIGNING_SECRET);
    vi.stubEnv('PORT', '8080');
    try {
      expect(loadConfig().port).toBe(8080);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('ConfigSchema', () => {
  it('parses an environment on its own, for callers that want a zod result', () => {
    const result = ConfigSchema.safeParse({ ...required, SLACK_APP_TOKEN: 'xapp-1' });
    expect(result.success && result.data.mode).toBe('socket');
  });
});
