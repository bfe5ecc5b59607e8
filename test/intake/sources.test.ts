import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { alertSeverity, DEFAULT_ALERT_POLICY } from '../../src/domain/alertPolicy.ts';
import { PolicySchema } from '../../src/domain/policy.ts';
import { alertmanager } from '../../src/intake/alertmanager.ts';
import { checkPagerDutySignature, checkToken } from '../../src/intake/auth.ts';
import { generic } from '../../src/intake/generic.ts';
import { pagerduty } from '../../src/intake/pagerduty.ts';
import { fixture, PD_OLD_SECRET, PD_SECRET, pdSignature } from '../support/webhooks.ts';

function parsed<T>(result: { ok: true; payload: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.payload;
}

describe('Alertmanager source', () => {
  it('normalizes a v4 payload: group key, fingerprints, links, summary', () => {
    const alerts = alertmanager.toAlerts(parsed(alertmanager.parse(fixture('alertmanager-firing.json'))));
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      dedupKey: expect.stringContaining('PostgresConnectionPoolHigh'),
      fingerprint: 'a3f1c2b4d5e6f708',
      status: 'firing',
      alertname: 'PostgresConnectionPoolHigh',
      title: 'PostgresConnectionPoolHigh: Connection pool above 90% on pgbouncer-0',
      severity: null,
    });
    expect(alerts[0]?.links.map((l) => l.text)).toEqual(['Source', 'Runbook', 'Alertmanager']);
  });

  it('keys an ungrouped alert by its fingerprint and accepts unknown fields', () => {
    const payload = JSON.parse(fixture('alertmanager-firing.json')) as Record<string, unknown>;
    payload.groupKey = '';
    payload.somethingNew = { nested: true };
    const alerts = alertmanager.toAlerts(parsed(alertmanager.parse(JSON.stringify(payload))));
    expect(alerts.map((a) => a.dedupKey)).toEqual([
      'fingerprint:a3f1c2b4d5e6f708',
      'fingerprint:b7e2d9a1c3f40516',
    ]);
  });

  it('refuses other versions with the reason', () => {
    const payload = JSON.parse(fixture('alertmanager-firing.json')) as Record<string, unknown>;
    payload.version = '3';
    const result = alertmanager.parse(JSON.stringify(payload));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/version: must be "4"/);
  });
});

describe('PagerDuty source', () => {
  it('normalizes an incident.triggered event, keyed by the PagerDuty incident id', () => {
    const [alert] = pagerduty.toAlerts(parsed(pagerduty.parse(fixture('pagerduty-incident-triggered.json'))));
    expect(alert).toMatchObject({
      dedupKey: 'Q1R2DLCB21K7ZY',
      status: 'firing',
      severity: 'P1',
      title: 'Checkout API error rate above 5%',
      links: [
        { text: 'PagerDuty incident', url: 'https://acme.pagerduty.com/incidents/Q1R2DLCB21K7ZY' },
        { text: 'Service', url: 'https://acme.pagerduty.com/services/PF9KMXH' },
      ],
    });
    expect(
      pagerduty.deliveryId(
        { 'x-webhook-id': 'abc' },
        parsed(pagerduty.parse(fixture('pagerduty-incident-triggered.json'))),
      ),
    ).toBe('abc');
  });

  it('verifies any of several v1 signatures in constant time, and refuses a wrong or missing one', () => {
    const body = Buffer.from(fixture('pagerduty-incident-triggered.json'));
    const sig = (value: string) => ({ 'x-pagerduty-signature': value });
    expect(checkPagerDutySignature(sig(pdSignature(body.toString(), PD_SECRET)), body, PD_SECRET).ok).toBe(
      true,
    );
    expect(
      checkPagerDutySignature(sig(pdSignature(body.toString(), PD_OLD_SECRET, PD_SECRET)), body, PD_SECRET)
        .ok,
    ).toBe(true);
    expect(
      checkPagerDutySignature(sig(pdSignature(body.toString(), PD_OLD_SECRET)), body, PD_SECRET),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkPagerDutySignature(sig('v1=zz,v1=00'), body, PD_SECRET)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkPagerDutySignature({}, body, PD_SECRET)).toMatchObject({ ok: false, status: 401 });
    expect(checkPagerDutySignature(sig('v1=00'), body, undefined)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('generic source and tokens', () => {
  it('normalizes the documented format; the same content has the same fingerprint', () => {
    const a = generic.toAlerts(parsed(generic.parse(fixture('generic.json'))));
    const b = generic.toAlerts(parsed(generic.parse(fixture('generic.json'))));
    expect(a[0]).toMatchObject({
      dedupKey: 'billing-export-nightly',
      severity: 'warning',
      labels: { exit_code: '2' },
    });
    expect(a[0]?.fingerprint).toBe(b[0]?.fingerprint);
  });

  it('checks the bearer token, basic auth password, and refuses when no token is configured', () => {
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    expect(checkToken({ authorization: 'Bearer s3cret' }, 's3cret').ok).toBe(true);
    expect(checkToken({ authorization: basic('am', 's3cret') }, 's3cret').ok).toBe(true);
    expect(checkToken({ authorization: basic('am', 'nope') }, 's3cret')).toMatchObject({ status: 401 });
    expect(checkToken({ authorization: 'Bearer s3cre' }, 's3cret')).toMatchObject({ status: 401 });
    expect(checkToken({}, 's3cret')).toMatchObject({ status: 401 });
    expect(checkToken({ authorization: 'Bearer x' }, undefined)).toMatchObject({ status: 403 });
  });
});

describe('alert severity policy', () => {
  it('maps labels through the default map, never to P0', () => {
    const sev = (word: string | null, labels: Record<string, string> = {}) =>
      alertSeverity(DEFAULT_ALERT_POLICY, { severity: word, labels });
    expect(sev(null, { severity: 'critical' })).toBe('P1');
    expect(sev(null, { severity: 'Warning' })).toBe('P2');
    expect(sev(null, { severity: 'info' })).toBe('P3');
    expect(sev('P0')).toBe('P1');
    expect(sev(null)).toBe('P2');
    expect(sev('unheard-of')).toBe('P2');
  });

  it('loads the shipped policy and a policy without an alerts section', () => {
    const shipped = PolicySchema.parse(parseYaml(readFileSync('runbooks/policy.yml', 'utf8')));
    expect(shipped.alerts.storm.threshold).toBeGreaterThan(0);
    const custom = PolicySchema.parse({
      ...parseYaml(readFileSync('runbooks/policy.yml', 'utf8')),
      alerts: {
        severity_label: 'priority',
        severity_map: { Page: 'P0' },
        storm: { threshold: 5, window: '15m' },
      },
    });
    expect(alertSeverity(custom.alerts, { severity: null, labels: { priority: 'page' } })).toBe('P0');
    expect(custom.alerts.storm).toEqual({ threshold: 5, window: 15 * 60_000, severity: 'P1' });
  });
});
