import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import { readBody, reply, validGitHubSignature } from './githubWebhook.ts';

/** The part of Jira's `jira:issue_updated` event this bot reads; Jira sends much more. */
const IssueUpdatedSchema = z.looseObject({
  webhookEvent: z.string(),
  user: z.looseObject({ displayName: z.string().optional() }).optional(),
  issue: z.looseObject({
    key: z.string(),
    fields: z.looseObject({
      status: z
        .looseObject({
          name: z.string(),
          statusCategory: z.looseObject({ key: z.string() }),
        })
        .optional(),
    }),
  }),
});
export type JiraIssueUpdated = z.infer<typeof IssueUpdatedSchema>;

/** An issue is finished in Jira when its status is in the Done category, whatever the workflow calls it. */
export function isDone(event: JiraIssueUpdated): boolean {
  return event.issue.fields.status?.statusCategory.key === 'done';
}

/**
 * POST /webhooks/jira: a follow-up issue moved to a Done status marks its follow-up done. Jira Cloud signs an
 * admin webhook that has a secret like GitHub does (X-Hub-Signature: sha256=<hex HMAC of the raw body>).
 * Other events and statuses are accepted and ignored, so Jira keeps the webhook enabled.
 */
export function jiraWebhookRoute(deps: {
  secret: string | undefined;
  done: (event: JiraIssueUpdated) => Promise<{ followupId: number } | null>;
}): CustomRoute {
  return {
    path: '/webhooks/jira',
    method: ['POST'],
    handler: async (req, res) => {
      if (!deps.secret)
        return reply(res, 403, {
          error:
            'This webhook is disabled: set JIRA_WEBHOOK_SECRET on the bot and the same secret on the Jira webhook.',
        });
      const raw = await readBody(req);
      if (!raw) return reply(res, 413, { error: 'The body is over 5 MiB; send only issue events.' });
      const signature = req.headers['x-hub-signature'];
      if (!validGitHubSignature(raw, Array.isArray(signature) ? signature[0] : signature, deps.secret))
        return reply(res, 401, {
          error: 'X-Hub-Signature does not match: set the Jira webhook secret to JIRA_WEBHOOK_SECRET.',
        });
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'The body is not JSON: send the webhook as Jira does.' });
      }
      const event = IssueUpdatedSchema.safeParse(json);
      if (!event.success) return reply(res, 202, { ignored: 'not an issue event' });
      if (event.data.webhookEvent !== 'jira:issue_updated')
        return reply(res, 202, { ignored: `event ${event.data.webhookEvent}` });
      if (!isDone(event.data)) return reply(res, 202, { ignored: 'status is not done' });
      const done = await deps.done(event.data);
      return reply(res, 200, done ? { followupDone: done.followupId } : { ignored: 'not a follow-up issue' });
    },
  };
}
