import { pino } from 'pino';

/**
 * Structured JSON logs. Tokens and secrets never reach the output, whatever object is logged: the
 * paths below cover config objects, HTTP headers and Slack client options.
 */
export function createLogger(
  level = 'info',
  destination?: pino.DestinationStream,
  secrets: readonly string[] = [],
) {
  const scrub = secretScrubber(secrets);
  return pino(
    {
      level,
      // Redaction covers known paths; this covers a secret quoted inside a message string (Bolt's debug lines).
      ...(scrub ? { hooks: { streamWrite: scrub } } : {}),
      base: { app: 'incident-bot' },
      redact: {
        paths: [
          'slackBotToken',
          'slackSigningSecret',
          'slackAppToken',
          'webhookToken',
          'pagerdutyWebhookSecret',
          '*.slackBotToken',
          '*.slackSigningSecret',
          '*.slackAppToken',
          '*.webhookToken',
          '*.pagerdutyWebhookSecret',
          'token',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'headers["x-slack-signature"]',
          'headers["x-pagerduty-signature"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;

/**
 * Replaces every occurrence of the given secret values (and their JSON-escaped forms) in a log line.
 * Values shorter than 8 characters are ignored: they would match ordinary words, and no real token is that short.
 */
export function secretScrubber(secrets: readonly string[]): ((line: string) => string) | null {
  const values = [...new Set(secrets.filter((s) => s.length >= 8))];
  const forms = [
    ...new Set(values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)])),
  ];
  if (forms.length === 0) return null;
  // Longest first, so a secret that contains another is replaced whole.
  forms.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (line) => line.replace(pattern, '[redacted]');
}

/** Every secret value in the configuration, for `secretScrubber`. */
export function configSecrets(config: {
  slackBotToken: string;
  slackSigningSecret: string;
  slackAppToken?: string | undefined;
  webhookToken?: string | undefined;
  pagerdutyWebhookSecret?: string | undefined;
}): string[] {
  return [
    config.slackBotToken,
    config.slackSigningSecret,
    config.slackAppToken,
    config.webhookToken,
    config.pagerdutyWebhookSecret,
  ].filter((s): s is string => typeof s === 'string');
}
