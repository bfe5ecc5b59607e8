import { describe, expect, it } from 'vitest';
import { bridgeUrl } from '../../src/domain/bridge.ts';
import { incidentHeader } from '../../src/slack/blocks/header.ts';
import { expectValidMessage, makeIncident } from './fixtures.ts';

const CTX = { runbook: null, now: new Date('2026-11-22T11:05:00.000Z'), progress: { done: 0, total: 0 } };

describe('header: acknowledgement in the paging tool and the meeting bridge', () => {
  it('shows who acknowledged in PagerDuty while nobody commands, escaped', () => {
    const message = incidentHeader(makeIncident({ commanderId: null }), {
      ...CTX,
      acknowledged: { by: 'Ada <!channel>', via: 'PagerDuty', at: '2026-11-22T10:03:00.000Z' },
    });
    expectValidMessage(message);
    expect(message.text).toContain(
      'commander unassigned — acknowledged in PagerDuty by Ada &lt;!channel&gt;; claim it',
    );
    expect(JSON.stringify(message.blocks)).toContain('✅ Acknowledged in PagerDuty by Ada &lt;!channel&gt;');
  });

  it('fills the bridge template per incident and shows it until the incident is over', () => {
    const url = bridgeUrl('https://meet.example.com/{severity}-{incident}?room={channel}', {
      id: 42,
      severity: 'P1',
      channelName: 'inc-20261122-pool exhausted',
    });
    expect(url).toBe('https://meet.example.com/P1-42?room=inc-20261122-pool%20exhausted');
    expect(bridgeUrl(undefined, { id: 1, severity: 'P2', channelName: null })).toBeNull();
    const open = incidentHeader(makeIncident(), { ...CTX, bridge: url });
    expect(JSON.stringify(open.blocks)).toContain(`📞 Bridge: <${url}|join the call>`);
    const over = incidentHeader(
      makeIncident({ status: 'resolved', resolvedAt: '2026-11-22T11:00:00.000Z' }),
      {
        ...CTX,
        bridge: url,
      },
    );
    expect(JSON.stringify(over.blocks)).not.toContain('Bridge');
  });
});
