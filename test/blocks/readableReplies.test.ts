import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { incidentList, timelineMessage, usageError } from '../../src/slack/blocks/replies.ts';
import { allStrings, expectValidMessage, makeEntry, makeIncident } from './fixtures.ts';

const NOW = new Date('2026-11-22T11:05:00.000Z');

function sectionTexts(blocks: readonly { type: string }[]): string[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
}

describe('usageError', () => {
  it('shows the error and only the usage line of the subcommand it was meant for', () => {
    const message = usageError(
      'severity needs a level: P0, P1, P2 or P3. Example: /incident severity P0',
      'severity',
    );
    expectValidMessage(message);
    expect(message.text).toBe('⚠️ severity needs a level: P0, P1, P2 or P3. Example: /incident severity P0');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '⚠️ severity needs a level: P0, P1, P2 or P3. Example: /incident severity P0',
        },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '`/incident severity P0..P3`, e.g. `/incident severity P0`' },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Every command, with examples: `/incident help`' }],
      },
    ]);
  });

  it('keeps both forms of a subcommand that has two, and never the other subcommands', () => {
    const text = allStrings(usageError('bad link', 'postmortem').blocks).join('\n');
    expect(text).toContain('`/incident postmortem`');
    expect(text).toContain('`/incident postmortem done &lt;link&gt;`');
    expect(text).not.toContain('/incident declare');
    expect(text).not.toContain('/incident followup');
  });

  it('offers declaring for an unknown subcommand, whose error already lists them all', () => {
    const message = usageError('Unknown subcommand "frobnicate". Use one of: declare, status', null);
    expect(message.blocks.slice(1)).toEqual([
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Declare an incident: `/incident declare P1 &lt;title&gt;` · every command, with examples: `/incident help`',
          },
        ],
      },
    ]);
  });
});

describe('timelineMessage: names and dates, never escaped mentions or ISO strings', () => {
  const DUE_UNIX = Math.floor(Date.parse('2026-12-05T08:22:19.486Z') / 1000);

  it('shows the mentions the bot recorded and the instants as dates, and still escapes broadcasts', () => {
    const message = timelineMessage(makeIncident(), [
      makeEntry(0, { actor: 'bot', text: '<@U0BOB0001> is the incident commander' }),
      makeEntry(1, { actor: 'bot', text: 'Post-mortem due 2026-12-05T08:22:19.486Z' }),
      makeEntry(2, {
        actor: 'U0ALICE',
        text: 'ping <!channel> and <!subteam^S0OPS|ops> see <#C0INC0001|inc>',
      }),
    ]);
    const lines = sectionTexts(message.blocks).slice(1).join('\n').split('\n');
    expect(lines.map((line) => line.split(' · ').slice(1).join(' · '))).toEqual([
      'Incident Bot · <@U0BOB0001> is the incident commander',
      `Incident Bot · Post-mortem due <!date^${DUE_UNIX}^{date_short_pretty} {time}|2026-12-05 08:22 UTC>`,
      '<@U0ALICE> · ping &lt;!channel&gt; and &lt;!subteam^S0OPS|ops&gt; see <#C0INC0001>',
    ]);
    expect(JSON.stringify(message.blocks)).not.toContain('&lt;@');
  });

  it('counts in words a person reads: one entry, one open incident', () => {
    expect(timelineMessage(makeIncident(), [makeEntry(0, { text: 'Declared' })]).text).toBe(
      'Timeline of P1 Payment latency high: 1 entry',
    );
    expect(incidentList([makeIncident()], NOW).text).toBe('1 open incident');
    expect(incidentList([makeIncident(), makeIncident({ id: 8 })], NOW).text).toBe('2 open incidents');
  });
});
