import { pino } from 'pino';

/**
 * Structured JSON logs. Tokens and secrets never reach the output, whatever object is logged: the
 * paths below cover config objects, HTTP headers and Slack client options.
 */
export function createLogger(level = 'info', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
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
