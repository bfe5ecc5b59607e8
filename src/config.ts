import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * What to do about each variable. Every error line ends with it, so the operator who reads the
 * start-up failure does not need to open the docs to fix it.
 */
const HELP = {
  SLACK_BOT_TOKEN:
    "set it to the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page",
  SLACK_SIGNING_SECRET: "set it to the Signing Secret from your Slack app's Basic Information page",
  SLACK_APP_TOKEN:
    "set it to an App-Level Token (xapp-...) with the connections:write scope from your Slack app's " +
    'Basic Information page, or leave it unset to receive events over HTTP',
  SLACK_API_URL: 'set it to the Slack Web API base URL, or leave it unset for https://slack.com/api/',
  PORT: 'set it to a TCP port from 0 to 65535, or leave it unset for 3000',
  DATABASE_PATH:
    'set it to the SQLite file to keep incidents in, or leave it unset for ./data/incident-bot.db',
  DATABASE_URL:
    'set it to postgres://user:password@host:5432/dbname to share one PostgreSQL among two or more ' +
    'replicas, or leave it unset to keep incidents in SQLite at DATABASE_PATH',
  REPLICA_ID:
    'set it to a short name for this replica (letters, digits, . _ : -), e.g. the pod name, or leave it ' +
    'unset for hostname-pid',
  RUNBOOKS_DIR: 'set it to the directory holding RUN-*.md and policy.yml, or leave it unset for ./runbooks',
  WEBHOOK_TOKEN:
    'set it to a long random string (e.g. `openssl rand -hex 32`) and send it as the bearer token ' +
    'from Alertmanager and generic webhooks, or leave it unset',
  PAGERDUTY_WEBHOOK_SECRET:
    "set it to the signing secret shown when you add the webhook subscription in PagerDuty's " +
    'Integrations > Generic Webhooks (v3), or leave it unset',
  SCHEDULER_TICK_SECONDS: 'set it to a whole number of seconds, at least 1, or leave it unset for 15',
  LEASE_SECONDS:
    'set it to how many seconds a replica holds a claimed timer, page or side effect before another may ' +
    'take it over (5 to 3600), or leave it unset for 120',
  ARCHIVE_AFTER_DAYS:
    'set it to how many days after an incident is closed its channel is archived (1 to 3650), or leave it unset for policy.yml (default 30)',
  SLACK_READY_WINDOW_SECONDS:
    'set it to how many seconds of failing Slack calls make /readyz answer 503, or leave it unset for 15',
  JOB_BACKOFF_MAX_SECONDS:
    'set it to the longest wait in seconds between retries of a Slack side effect, or leave it unset for 30',
  JOB_TICK_MS:
    'set it to how often in milliseconds due side effects are looked for, or leave it unset for 1000',
  SLACK_RETRY_MIN_MS:
    'set it to the first wait in milliseconds before a failed Slack call is retried (it doubles, up to 8 times ' +
    'this, for 5 retries), or leave it unset for 250',
  SLACK_PROBE_MS:
    'set it to how often in milliseconds the bot asks Slack whether it answers again while side effects ' +
    'wait out a failure, or leave it unset for 5000',
  INBOX_RETENTION_DAYS: 'set it to how many days processed webhook bodies are kept, or leave it unset for 7',
  LOG_LEVEL: 'set it to one of fatal, error, warn, info, debug, trace, silent, or leave it unset for info',
  PROMETHEUS_URL:
    'set it to the base URL of your Prometheus server (e.g. http://prometheus:9090), or leave it unset',
  DIAGNOSTICS_DATABASES:
    'set it to space- or comma-separated name=URL pairs for database_query checks, e.g. ' +
    '"main=postgres://readonly@db:5432/app local=sqlite:/var/lib/app/app.db", or leave it unset',
  PAGERDUTY_API_TOKEN:
    'set it to a PagerDuty REST API key (Integrations > API Access Keys; a user token works too) to ' +
    'acknowledge, resolve and note PagerDuty incidents from Slack, or leave it unset',
  PAGERDUTY_FROM_EMAIL:
    'set it to the email of a PagerDuty user: PagerDuty records incident changes as made by them',
  PAGERDUTY_API_URL: 'leave it unset for https://api.pagerduty.com',
  PAGERDUTY_EVENTS_URL: 'leave it unset for https://events.pagerduty.com',
  STATUSPAGE_API_KEY:
    'set it to an API key from your Statuspage profile (API info) to publish status updates, or leave it unset',
  STATUSPAGE_PAGE_ID: 'set it to the page ID shown on the Statuspage API info page',
  STATUSPAGE_API_URL: 'leave it unset for https://api.statuspage.io/v1',
  GITHUB_TOKEN:
    'set it to a GitHub token with Issues read and write on GITHUB_REPOSITORY to file follow-ups, or leave it unset',
  GITHUB_REPOSITORY: 'set it to owner/name of the repository that holds follow-up issues',
  GITHUB_API_URL: 'leave it unset for https://api.github.com (set it for GitHub Enterprise Server)',
  GITHUB_WEBHOOK_SECRET:
    "set it to the secret of the repository's issues webhook (Settings > Webhooks), or leave it unset",
  JIRA_BASE_URL:
    'set it to your Jira Cloud site, e.g. https://acme.atlassian.net, to file follow-ups in Jira, or leave it unset',
  JIRA_EMAIL: 'set it to the email of the Atlassian account that owns JIRA_API_TOKEN',
  JIRA_API_TOKEN:
    'set it to an API token of that account (https://id.atlassian.com/manage-profile/security/api-tokens)',
  JIRA_PROJECT: 'set it to the key of the Jira project that holds follow-ups, e.g. OPS',
  JIRA_WEBHOOK_SECRET:
    'set it to the secret of the Jira webhook (System > WebHooks) that reports closed follow-ups, or leave it unset',
} as const;

type Variable = keyof typeof HELP;
const VARIABLES = Object.keys(HELP) as Variable[];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

function wholeNumber(min: number, max: number, message: string) {
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must start with "xoxb-"'),
  SLACK_SIGNING_SECRET: z.string(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must start with "xapp-"').optional(),
  SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  PORT: wholeNumber(0, 65_535, 'must be a whole number from 0 to 65535').default(3000),
  DATABASE_PATH: z.string().default('./data/incident-bot.db'),
  // Only the scheme is checked and named in the error: the URL may hold a password.
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  REPLICA_ID: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'must be 1 to 64 letters, digits or . _ : -')
    .optional(),
  RUNBOOKS_DIR: z.string().default('./runbooks'),
  WEBHOOK_TOKEN: z.string().optional(),
  PAGERDUTY_WEBHOOK_SECRET: z.string().optional(),
  SCHEDULER_TICK_SECONDS: wholeNumber(
    1,
    Number.MAX_SAFE_INTEGER,
    'must be a whole number, at least 1',
  ).default(15),
  LEASE_SECONDS: wholeNumber(5, 3600, 'must be a whole number from 5 to 3600').default(120),
  ARCHIVE_AFTER_DAYS: wholeNumber(1, 3650, 'must be a whole number from 1 to 3650').optional(),
  SLACK_READY_WINDOW_SECONDS: wholeNumber(1, 86_400, 'must be a whole number from 1 to 86400').default(15),
  JOB_BACKOFF_MAX_SECONDS: wholeNumber(1, 86_400, 'must be a whole number from 1 to 86400').default(30),
  JOB_TICK_MS: wholeNumber(50, 60_000, 'must be a whole number from 50 to 60000').default(1000),
  SLACK_RETRY_MIN_MS: wholeNumber(10, 60_000, 'must be a whole number from 10 to 60000').default(250),
  SLACK_PROBE_MS: wholeNumber(100, 3_600_000, 'must be a whole number from 100 to 3600000').default(5000),
  INBOX_RETENTION_DAYS: wholeNumber(0, 3650, 'must be a whole number from 0 to 3650').default(7),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PROMETHEUS_URL: httpUrl.optional(),
  PAGERDUTY_API_TOKEN: z.string().optional(),
  PAGERDUTY_FROM_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  PAGERDUTY_API_URL: httpUrl.default('https://api.pagerduty.com'),
  PAGERDUTY_EVENTS_URL: httpUrl.default('https://events.pagerduty.com'),
  STATUSPAGE_API_KEY: z.string().optional(),
  STATUSPAGE_PAGE_ID: z.string().optional(),
  STATUSPAGE_API_URL: httpUrl.default('https://api.statuspage.io/v1'),
  GITHUB_TOKEN: z.string().optional(),
  GITHUB_REPOSITORY: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name')
    .optional(),
  GITHUB_API_URL: httpUrl.default('https://api.github.com'),
  GITHUB_WEBHOOK_SECRET: z.string().optional(),
  JIRA_BASE_URL: httpUrl.optional(),
  JIRA_EMAIL: z.email({ error: 'must be an email address' }).optional(),
  JIRA_API_TOKEN: z.string().optional(),
  JIRA_PROJECT: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]+$/, 'must be a project key such as OPS')
    .optional(),
  JIRA_WEBHOOK_SECRET: z.string().optional(),
  DIAGNOSTICS_DATABASES: z
    .string()
    .transform((text, ctx) => {
      const named: Record<string, string> = {};
      for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
        const match = /^([a-z][a-z0-9_]*)=((?:postgres(?:ql)?:\/\/|sqlite:).+)$/.exec(pair);
        if (!match?.[1] || !match[2]) {
          // Only the name is echoed: the URL may hold a password.
          ctx.addIssue({
            code: 'custom',
            message: `"${pair.split('=')[0]}=..." is not name=postgres://... or name=sqlite:/path`,
          });
          return z.NEVER;
        }
        named[match[1]] = match[2];
      }
      return named;
    })
    .optional(),
});

/**
 * Keeps only our variables, trimmed, and drops empty ones: `FOO=` in a .env file or an empty
 * secret in a deployment template means "not set", and should get the default or the missing error.
 */
function cleanEnv(env: unknown): Partial<Record<Variable, string>> {
  const source = typeof env === 'object' && env !== null ? (env as Record<string, unknown>) : {};
  const clean: Partial<Record<Variable, string>> = {};
  for (const name of VARIABLES) {
    const value = source[name];
    if (typeof value === 'string' && value.trim() !== '') clean[name] = value.trim();
  }
  return clean;
}

export const ConfigSchema = z.preprocess(cleanEnv, EnvSchema).transform((env) => ({
  slackBotToken: env.SLACK_BOT_TOKEN,
  slackSigningSecret: env.SLACK_SIGNING_SECRET,
  slackAppToken: env.SLACK_APP_TOKEN,
  slackApiUrl: env.SLACK_API_URL,
  /** Socket Mode needs no public URL, so an app token is enough to choose it. */
  mode: env.SLACK_APP_TOKEN ? ('socket' as const) : ('http' as const),
  port: env.PORT,
  databasePath: env.DATABASE_PATH,
  /** PostgreSQL for two or more replicas; unset: SQLite at databasePath. */
  databaseUrl: env.DATABASE_URL,
  /**
   * Labels this process's metrics when several share one database; a lone SQLite bot needs no label.
   * hostname-pid tells apart two replicas on one host as well as two hosts.
   */
  replicaId: env.REPLICA_ID ?? (env.DATABASE_URL ? `${hostname()}-${process.pid}` : undefined),
  runbooksDir: env.RUNBOOKS_DIR,
  webhookToken: env.WEBHOOK_TOKEN,
  pagerdutyWebhookSecret: env.PAGERDUTY_WEBHOOK_SECRET,
  schedulerTickSeconds: env.SCHEDULER_TICK_SECONDS,
  /**
   * How long a claim on a timer, an inbox page or a side-effect job holds: a replica that dies holding one
   * leaves it to another this long after the claim. Longer than any one piece of work takes.
   */
  leaseMs: env.LEASE_SECONDS * 1000,
  /** Overrides policy.yml archive.after when set. */
  archiveAfterMs: env.ARCHIVE_AFTER_DAYS === undefined ? null : env.ARCHIVE_AFTER_DAYS * 86_400_000,
  logLevel: env.LOG_LEVEL,
  /** /readyz answers 503 once Slack calls have failed with no success for this long. */
  slackReadyWindowMs: env.SLACK_READY_WINDOW_SECONDS * 1000,
  jobBackoffMaxMs: env.JOB_BACKOFF_MAX_SECONDS * 1000,
  jobTickMs: env.JOB_TICK_MS,
  slackRetryMinMs: env.SLACK_RETRY_MIN_MS,
  slackProbeMs: env.SLACK_PROBE_MS,
  inboxRetentionMs: env.INBOX_RETENTION_DAYS * 86_400_000,
  prometheusUrl: env.PROMETHEUS_URL,
  /** Named connections for database_query checks: PostgreSQL URLs or `sqlite:/path`. */
  diagnosticsDatabases: env.DIAGNOSTICS_DATABASES ?? {},
  ...integrations(env),
}));

/** Each integration is on when its credentials are set; the rest of its settings have defaults. */
function integrations(env: z.infer<typeof EnvSchema>) {
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    pagerduty:
      env.PAGERDUTY_API_TOKEN && env.PAGERDUTY_FROM_EMAIL
        ? {
            token: env.PAGERDUTY_API_TOKEN,
            from: env.PAGERDUTY_FROM_EMAIL,
            apiUrl: trim(env.PAGERDUTY_API_URL),
            eventsUrl: trim(env.PAGERDUTY_EVENTS_URL),
          }
        : null,
    statuspage:
      env.STATUSPAGE_API_KEY && env.STATUSPAGE_PAGE_ID
        ? {
            apiKey: env.STATUSPAGE_API_KEY,
            pageId: env.STATUSPAGE_PAGE_ID,
            apiUrl: trim(env.STATUSPAGE_API_URL),
          }
        : null,
    github:
      env.GITHUB_TOKEN && env.GITHUB_REPOSITORY
        ? { token: env.GITHUB_TOKEN, repository: env.GITHUB_REPOSITORY, apiUrl: trim(env.GITHUB_API_URL) }
        : null,
    githubWebhookSecret: env.GITHUB_WEBHOOK_SECRET,
    jira:
      env.JIRA_BASE_URL && env.JIRA_EMAIL && env.JIRA_API_TOKEN && env.JIRA_PROJECT
        ? {
            baseUrl: trim(env.JIRA_BASE_URL),
            email: env.JIRA_EMAIL,
            apiToken: env.JIRA_API_TOKEN,
            project: env.JIRA_PROJECT,
          }
        : null,
    jiraWebhookSecret: env.JIRA_WEBHOOK_SECRET,
    /** Escalations page through the Events API with the routing keys in policy.yml: no token needed. */
    pagerdutyEventsUrl: trim(env.PAGERDUTY_EVENTS_URL),
  };
}

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly string[]) {
    super(
      [
        `incident-bot cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}`,
        ...problems.map((problem) => `  - ${problem}`),
        'Set them in the environment or in a .env file (see .env.example for every variable).',
      ].join('\n'),
    );
  }
}

function isVariable(name: unknown): name is Variable {
  return typeof name === 'string' && name in HELP;
}

/** Parses the environment once at start-up; throws a ConfigError listing every problem, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;

  const present = cleanEnv(env);
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = issue.path[0];
    if (!isVariable(name)) {
      problems.set(String(name), issue.message);
      continue;
    }
    if (problems.has(name)) continue;
    // Never echo the value: most of these are secrets and error output ends up in logs.
    problems.set(
      name,
      present[name] === undefined
        ? `${name} is missing: ${HELP[name]}`
        : `${name} is invalid (${issue.message}): ${HELP[name]}`,
    );
  }
  throw new ConfigError([...problems.values()]);
}
