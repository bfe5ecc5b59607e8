import { describe, expect, it } from 'vitest';
import { pagerduty, pagerdutyAlertName } from '../../src/intake/pagerduty.ts';
import { fixture } from '../support/webhooks.ts';

describe('PagerDuty alert names for routing', () => {
  it('takes the alert name from an Alertmanager-style title, custom details first', () => {
    const title = '[FIRING:1] PostgresConnectionPoolHigh (prod payments-db)';
    expect(pagerdutyAlertName(title, undefined)).toBe('PostgresConnectionPoolHigh');
    expect(pagerdutyAlertName('[RESOLVED] DiskFull prod', null)).toBe('DiskFull');
    expect(pagerdutyAlertName(title, { alertname: 'PgPoolSaturated', severity: 'critical' })).toBe(
      'PgPoolSaturated',
    );
    expect(pagerdutyAlertName('Checkout API error rate above 5%', {})).toBe(
      'Checkout API error rate above 5%',
    );
  });

  it('routes a PagerDuty page titled by Alertmanager by its alert name, keeping the whole title', () => {
    const event = JSON.parse(fixture('pagerduty-incident-triggered.json')) as {
      event: { data: Record<string, unknown> };
    };
    event.event.data.title = '[FIRING:1] PostgresConnectionPoolHigh (prod payments-db)';
    const [alert] = pagerduty.toAlerts(event as never);
    expect(alert).toMatchObject({
      alertname: 'PostgresConnectionPoolHigh',
      title: '[FIRING:1] PostgresConnectionPoolHigh (prod payments-db)',
    });
  });
});
