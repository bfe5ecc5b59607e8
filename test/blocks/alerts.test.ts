import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/intake/alert.ts';
import { ALERTS_IN_DETAIL, alertEvidence, link, stormSummary } from '../../src/slack/blocks/alerts.ts';
import { expectValidMessage } from './fixtures.ts';

function alert(i: number, patch: Partial<NormalizedAlert> = {}): NormalizedAlert {
  return {
    source: 'alertmanager',
    dedupKey: 'g',
    fingerprint: `f${i}`,
    status: 'firing',
    alertname: 'ApiLatencyHigh',
    title: `ApiLatencyHigh: p99 above 2s on pod-${i}`,
    incidentTitle: 'ApiLatencyHigh (cluster=prod)',
    summary: `p99 above 2s on pod-${i}`,
    description: 'Latency is 10x the baseline.',
    severity: null,
    runbook: null,
    labels: { alertname: 'ApiLatencyHigh', pod: `pod-${i}`, severity: 'critical' },
    annotations: { summary: `p99 above 2s on pod-${i}`, team: 'payments' },
    links: [{ text: 'Source', url: 'http://prometheus/graph?g0.expr=a&b=c' }],
    startsAt: '2026-11-22T03:00:00Z',
    truncated: 0,
    event: null,
    ...patch,
  };
}

describe('alertEvidence', () => {
  it('shows labels, annotations, summary, links and the start as a date token', () => {
    const message = alertEvidence([alert(1)]);
    expectValidMessage(message);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('pod=pod-1');
    expect(text).toContain('*team:* payments');
    expect(text).toContain('<http://prometheus/graph?g0.expr=a&amp;b=c|Source>');
    expect(text).toContain('<!date^');
  });

  it('stays one valid message for a 500-alert group, counting the rest by name', () => {
    const message = alertEvidence(
      Array.from({ length: 500 }, (_, i) => alert(i, { labels: { big: 'x'.repeat(5000) } })),
    );
    expectValidMessage(message);
    expect(message.blocks).toHaveLength(ALERTS_IN_DETAIL + 2);
    expect(JSON.stringify(message.blocks)).toContain('495 more: ApiLatencyHigh (firing) ×495');
  });

  it('says how many alerts the sender left out', () => {
    const message = alertEvidence([alert(1, { truncated: 120 })]);
    expect(JSON.stringify(message.blocks)).toContain('120 more alerts of this group were not sent');
  });

  it('escapes user text and refuses non-http links', () => {
    const message = alertEvidence([
      alert(1, {
        title: '<!channel> hi',
        labels: { who: '<@U1>' },
        links: [{ text: 'x', url: 'javascript:alert(1)|<!here>' }],
      }),
    ]);
    const text = JSON.stringify(message);
    expect(text).not.toMatch(/<!channel>|<!here>|<@U1>|<javascript/);
    expect(link('https://ok.example.com/a', 'ok')).toBe('<https://ok.example.com/a|ok>');
  });
});

describe('stormSummary', () => {
  it('counts joined groups and alerts by name', () => {
    const message = stormSummary(
      [
        {
          source: 'alertmanager',
          alertname: 'DiskFull',
          title: 'DiskFull',
          severity: 'P2',
          alerts: 5,
          newGroup: true,
        },
        {
          source: 'alertmanager',
          alertname: 'DiskFull',
          title: 'DiskFull',
          severity: 'P1',
          alerts: 2,
          newGroup: false,
        },
        {
          source: 'generic',
          alertname: 'Cron <b>',
          title: 'Cron',
          severity: 'P3',
          alerts: 1,
          newGroup: true,
        },
      ],
      2,
    );
    expectValidMessage(message);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('*P1* DiskFull — 7 alerts, 1 new group');
    expect(text).toContain('Cron &lt;b&gt;');
  });
});
