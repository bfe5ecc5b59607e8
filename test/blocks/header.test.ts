import type { Button } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { announcement, fallbackNotice } from '../../src/slack/blocks/announce.ts';
import { incidentHeader } from '../../src/slack/blocks/header.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { allStrings, DECLARED_UNIX, expectValidMessage, makeIncident } from './fixtures.ts';

const NOW = new Date('2026-11-22T11:05:00.000Z');
const RUNBOOK = { id: 'RUN-001', title: 'Database Connection Pool Exhaustion' };
const CTX = { runbook: RUNBOOK, now: NOW, progress: { done: 1, total: 5 } };

function buttons(incident: Incident): Button[] {
  return incidentHeader(incident, CTX).blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.filter((e): e is Button => e.type === 'button') : [],
  );
}

describe('incidentHeader', () => {
  it('shows severity, title, status, commander, start, runbook, elapsed and progress, with all buttons', () => {
    const resolveConfirm = {
      title: { type: 'plain_text', text: 'Resolve this incident?' },
      text: {
        type: 'plain_text',
        text: 'This marks it resolved and posts the resolution verification and post-incident checklists. Only the commander can resolve, or anyone while there is none.',
      },
      confirm: { type: 'plain_text', text: 'Resolve' },
      deny: { type: 'plain_text', text: 'Not yet' },
    };
    expect(incidentHeader(makeIncident({ commanderId: null }), CTX)).toEqual({
      text: '🟠 P1 · Payment latency high · Investigating · commander unassigned — claim it',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '🟠 *P1* · *Payment latency high*' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Status*\nInvestigating' },
            { type: 'mrkdwn', text: '*Commander*\nunassigned — claim it' },
            {
              type: 'mrkdwn',
              text: `*Started*\n<!date^${DECLARED_UNIX}^{date_short_pretty} {time}|2026-11-22 10:00 UTC>`,
            },
            { type: 'mrkdwn', text: `*Elapsed*\n<!date^${DECLARED_UNIX}^started {ago}|1 h 5 min so far>` },
            { type: 'mrkdwn', text: '*Runbook*\nRUN-001: Database Connection Pool Exhaustion' },
            { type: 'mrkdwn', text: '*Steps*\n1 of 5 runbook steps done' },
          ],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: ACTIONS.claimCommander,
              text: { type: 'plain_text', text: 'Claim commander' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.changeStatus,
              text: { type: 'plain_text', text: 'Change status' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.changeSeverity,
              text: { type: 'plain_text', text: 'Change severity' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.escalate,
              text: { type: 'plain_text', text: 'Escalate' },
              value: '7',
              style: 'danger',
            },
            {
              type: 'button',
              action_id: ACTIONS.switchRunbook,
              text: { type: 'plain_text', text: 'Switch runbook' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.addStep,
              text: { type: 'plain_text', text: 'Add step' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.editTimes,
              text: { type: 'plain_text', text: 'Edit times' },
              value: '7',
            },
            {
              type: 'button',
              action_id: ACTIONS.resolve,
              text: { type: 'plain_text', text: 'Resolve' },
              value: '7',
              style: 'primary',
              confirm: resolveConfirm,
            },
          ],
        },
      ],
    });
  });

  it('mentions the commander and asks before a take-over', () => {
    const header = incidentHeader(makeIncident(), CTX);
    expect(JSON.stringify(header.blocks)).toContain('*Commander*\\n<@U0COMMAND>');
    const claim = buttons(makeIncident()).find((b) => b.action_id === ACTIONS.claimCommander);
    expect(claim?.confirm?.text.text).toContain('<@U0COMMAND> is the commander');
    expectValidMessage(header);
  });

  it('uses one emoji per severity', () => {
    const lines = (['P0', 'P1', 'P2', 'P3'] as const).map((severity) => {
      const first = incidentHeader(makeIncident({ severity }), CTX).blocks[0];
      return first?.type === 'section' ? first.text?.text : undefined;
    });
    expect(lines).toEqual([
      '🔴 *P0* · *Payment latency high*',
      '🟠 *P1* · *Payment latency high*',
      '🟡 *P2* · *Payment latency high*',
      '🔵 *P3* · *Payment latency high*',
    ]);
  });

  it('drops Claim and Resolve once resolved, and every button once closed', () => {
    const resolved = makeIncident({ status: 'resolved', resolvedAt: '2026-11-22T12:00:00.000Z' });
    expect(buttons(resolved).map((b) => b.action_id)).toEqual([
      ACTIONS.changeStatus,
      ACTIONS.changeSeverity,
      ACTIONS.editTimes,
    ]);
    expect(JSON.stringify(incidentHeader(resolved, CTX).blocks)).toContain('*Duration*\\n2 h');
    const closed = makeIncident({ status: 'closed', resolvedAt: '2026-11-22T12:00:00.000Z' });
    expect(buttons(closed)).toEqual([]);
    expect(incidentHeader(closed, CTX).blocks.some((b) => b.type === 'actions')).toBe(false);
    expectValidMessage(incidentHeader(closed, CTX));
  });

  it('marks drills, private incidents and the fallback channel', () => {
    const header = incidentHeader(makeIncident({ drill: true, private: true, inFallback: true }), {
      ...CTX,
      runbook: null,
      progress: { done: 0, total: 0 },
    });
    const json = JSON.stringify(header.blocks);
    expect(json).toContain('🧪 *DRILL* · 🔒 🟠 *P1*');
    expect(json).toContain('a dedicated incident channel could not be created');
    expect(json).toContain('*Runbook*\\nnone');
    expect(json).toContain('*Steps*\\nno runbook steps');
  });

  it('escapes the title and stays within limits for a 500-character title', () => {
    const header = incidentHeader(makeIncident({ title: '<!channel> test' }), CTX);
    expect(allStrings(header).join('\n')).not.toContain('<!channel>');
    expect(JSON.stringify(header)).toContain('&lt;!channel&gt; test');
    const long = incidentHeader(makeIncident({ title: '&<>'.repeat(167) }), {
      ...CTX,
      runbook: { id: 'RUN-999', title: 'r'.repeat(5000) },
    });
    expectValidMessage(long);
    expect(long.text.length).toBeLessThanOrEqual(300);
  });
});

describe('announcement', () => {
  it('announces a public incident with a link to its channel and the declarer', () => {
    expect(announcement(makeIncident(), { channelId: 'C0INCIDENT', fallback: false })).toEqual({
      text: '🟠 P1 incident declared: Payment latency high',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '🟠 *P1 incident declared:* Payment latency high' },
        },
        { type: 'section', text: { type: 'mrkdwn', text: 'Join <#C0INCIDENT> to help.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Declared by <@U0DECLARE>' }] },
      ],
    });
  });

  it('says the incident runs here in fallback mode', () => {
    const message = announcement(makeIncident(), { channelId: 'C0ANNOUNCE', fallback: true });
    expect(JSON.stringify(message.blocks)).toContain('Responding *here in this channel*');
    expect(JSON.stringify(message.blocks)).not.toContain('<#C0ANNOUNCE>');
    expectValidMessage(message);
  });

  it('announces a private incident by its severity alone', () => {
    const incident = makeIncident({
      private: true,
      title: 'Acquisition of Initech leaked',
      description: 'secret',
      channelName: 'inc-20261122-1-acquisition-of-initech-leaked',
    });
    for (const fallback of [false, true]) {
      const message = announcement(incident, { channelId: 'C0SECRET', fallback });
      expect(message).toEqual({
        text: 'A private P1 incident was declared',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'A private P1 incident was declared' } }],
      });
      const everything = allStrings(message).join('\n').toLowerCase();
      for (const word of [
        'acquisition',
        'initech',
        'leaked',
        'c0secret',
        'u0declare',
        'u0command',
        'secret',
      ]) {
        expect(everything).not.toContain(word);
      }
    }
  });

  it('escapes the title and stays within limits for a 500-character title', () => {
    const message = announcement(makeIncident({ title: '<!channel> test' }), {
      channelId: 'C1',
      fallback: false,
    });
    expect(allStrings(message).join('\n')).not.toContain('<!channel>');
    expect(JSON.stringify(message)).toContain('&lt;!channel&gt; test');
    expectValidMessage(
      announcement(makeIncident({ title: '<'.repeat(500) }), { channelId: 'C1', fallback: false }),
    );
  });
});

describe('fallbackNotice', () => {
  it('says why, that the incident runs here, and what an admin should fix', () => {
    const message = fallbackNotice('restricted_action');
    expect(message.text).toBe(
      '⚠️ No incident channel could be created (restricted_action): the incident runs in this channel.',
    );
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('(`restricted_action`)');
    expect(json).toContain('runs *here in this channel*');
    expect(json).toContain('Workspace settings restrict who may create channels');
    expectValidMessage(message);
  });

  it('gives general advice for an unknown reason and escapes it', () => {
    const message = fallbackNotice('<!channel> weird');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(JSON.stringify(message.blocks)).toContain('Check the bot’s logs');
    expectValidMessage(message);
    expectValidMessage(fallbackNotice('x'.repeat(10_000)));
    expectValidMessage(fallbackNotice(''));
  });
});

describe('incidentHeader: live and safe to read', () => {
  it('keeps the bold whole when the title has a `*` in it, and escapes what Slack would parse', () => {
    const first = incidentHeader(makeIncident({ title: 'p99 *really* high <!here> & 5*5' }), CTX).blocks[0];
    expect(first).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '🟠 *P1* · *p99 \u2217really\u2217 high &lt;!here&gt; &amp; 5\u22175*' },
    });
  });

  it('shows a resolved incident its fixed duration instead of a live token', () => {
    const resolved = makeIncident({ status: 'resolved', resolvedAt: '2026-11-22T10:30:00.000Z' });
    const fields = (incidentHeader(resolved, CTX).blocks[1] as { fields: { text: string }[] }).fields;
    expect(fields.map((f) => f.text)).toContain('*Duration*\n30 min');
    expect(JSON.stringify(fields)).not.toContain('{ago}');
  });
});
