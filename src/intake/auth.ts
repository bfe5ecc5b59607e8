import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AuthResult, type Headers, header } from './alert.ts';

/** Equal-length digests, so the comparison takes the same time whatever the token's length or content. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHmac('sha256', 'incident-bot-token-compare').update(given).digest();
  const b = createHmac('sha256', 'incident-bot-token-compare').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `Authorization: Bearer <WEBHOOK_TOKEN>`, or HTTP basic auth with the token as the password (any user
 * name), since Alertmanager's http_config offers both.
 */
export function checkToken(headers: Headers, token: string | undefined): AuthResult {
  if (!token) {
    return {
      ok: false,
      status: 403,
      reason: 'This webhook is disabled: set WEBHOOK_TOKEN on the bot and send it as the bearer token.',
    };
  }
  const authorization = header(headers, 'authorization')?.trim() ?? '';
  const [scheme = '', value = ''] = authorization.split(/\s+/, 2);
  let given: string | null = null;
  if (scheme.toLowerCase() === 'bearer') given = value;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon === -1 ? null : decoded.slice(colon + 1);
  }
  if (given === null || given === '') {
    return {
      ok: false,
      status: 401,
      reason:
        'Missing credentials: send "Authorization: Bearer <WEBHOOK_TOKEN>" (or basic auth with the token as password).',
    };
  }
  if (!sameSecret(given, token)) {
    return { ok: false, status: 401, reason: 'Wrong token: send the WEBHOOK_TOKEN configured on the bot.' };
  }
  return { ok: true };
}

/**
 * PagerDuty v3: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>...]`, an HMAC-SHA256 of the raw body with
 * the subscription's secret. During a secret rotation PagerDuty sends one signature per secret, so any
 * match passes; each is compared in constant time.
 */
export function checkPagerDutySignature(
  headers: Headers,
  rawBody: Buffer,
  secret: string | undefined,
): AuthResult {
  if (!secret) {
    return {
      ok: false,
      status: 403,
      reason: 'This webhook is disabled: set PAGERDUTY_WEBHOOK_SECRET on the bot to the subscription secret.',
    };
  }
  const signatures = (header(headers, 'x-pagerduty-signature') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .map((s) => s.slice(3));
  if (signatures.length === 0) {
    return {
      ok: false,
      status: 401,
      reason: 'Missing X-PagerDuty-Signature (v1=<hex>): send the webhook from a PagerDuty v3 subscription.',
    };
  }
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  // Every signature is checked (no early exit), so timing does not reveal which one matched.
  let match = false;
  for (const hex of signatures) {
    const given = /^[0-9a-f]+$/i.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(0);
    if (given.length === expected.length && timingSafeEqual(given, expected)) match = true;
  }
  if (!match) {
    return {
      ok: false,
      status: 401,
      reason:
        'Wrong X-PagerDuty-Signature: check that PAGERDUTY_WEBHOOK_SECRET matches the subscription secret.',
    };
  }
  return { ok: true };
}
