import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The part of GitHub's `issues` event this bot reads; GitHub sends much more. */
const IssuesEventSchema = z.looseObject({
  action: z.string(),
  issue: z.looseObject({ number: z.number().int(), state: z.string().optional() }),
  repository: z.looseObject({ full_name: z.string() }),
  sender: z.looseObject({ login: z.string() }).optional(),
});
export type IssuesEvent = z.infer<typeof IssuesEventSchema>;

/** X-Hub-Signature-256: `sha256=` + hex HMAC-SHA256 of the raw body with the webhook secret. */
export function validGitHubSignature(
  rawBody: Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature?.startsWith('sha256=')) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * POST /webhooks/github: a closed follow-up issue marks its follow-up done. Signed with GITHUB_WEBHOOK_SECRET;
 * other events and actions are accepted and ignored, so GitHub's delivery log stays green.
 */
export function githubWebhookRoute(deps: {
  secret: string | undefined;
  closed: (event: IssuesEvent) => Promise<{ followupId: number } | null>;
}): CustomRoute {
  return {
    path: '/webhooks/github',
    method: ['POST'],
    handler: async (req, res) => {
      if (!deps.secret)
        return reply(res, 403, {
          error:
            'This webhook is disabled: set GITHUB_WEBHOOK_SECRET on the bot and the same secret on the webhook.',
        });
      const raw = await readBody(req);
      if (!raw) return reply(res, 413, { error: 'The body is over 5 MiB; send only the issues event.' });
      const signature = req.headers['x-hub-signature-256'];
      if (!validGitHubSignature(raw, Array.isArray(signature) ? signature[0] : signature, deps.secret))
        return reply(res, 401, {
          error: 'X-Hub-Signature-256 does not match: set the webhook secret to GITHUB_WEBHOOK_SECRET.',
        });
      if (req.headers['x-github-event'] !== 'issues')
        return reply(res, 202, { ignored: 'not an issues event' });
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, {
          error: 'The body is not JSON: set the webhook content type to application/json.',
        });
      }
      const event = IssuesEventSchema.safeParse(json);
      if (!event.success) return reply(res, 400, { error: 'The body is not a GitHub issues event.' });
      if (event.data.action !== 'closed') return reply(res, 202, { ignored: `action ${event.data.action}` });
      const done = await deps.closed(event.data);
      return reply(res, 200, done ? { followupDone: done.followupId } : { ignored: 'not a follow-up issue' });
    },
  };
}
