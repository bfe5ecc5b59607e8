import type { SectionBlock, StaticSelect } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  incidentList,
  parsePickBlockId,
  pickedCommand,
  pickIncident,
  refusal,
  resolvedMessage,
  runbookSearch,
  timelineMessage,
  usage,
} from '../../src/slack/blocks/replies.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { LIMITS } from '../support/blockLimits.ts';
import {
  allStrings,
  DECLARED_UNIX,
  expectValidMessage,
  makeEntry,
  makeIncident,
  makeRunbook,
} from './fixtures.ts';

const NOW = new Date('2026-11-22T11:05:00.000Z');

function sectionTexts(blocks: readonly { type: string }[]): string[] {
  return blocks.filter((b): b is SectionBlock => b.type === 'section').map((b) => b.text?.text ?? '');
}

describe('usage', () => {
  it('lists every subcommand with an example', () => {
    const message = usage();
    expectValidMessage(message);
    const text = allStrings(message.blocks).join('\n');
    for (const example of [
      '`/incident declare P1 &lt;title&gt; [--runbook RUN-004]`',
      '`/incident declare P1 Payment latency high --runbook RUN-004`',
      '`/incident declare`',
      '`/incident status investigating|identified|monitoring [note]`',
      '`/incident status identified Bad deploy of payments-api`',
      '`/incident severity P0`',
      '`/incident commander @alice`',
      '`/incident resolve Rolled back to v1.4.2`',
      '`/incident timeline`',
      '`/incident list`',
      '`/incident runbooks connection pool`',
      '`/incident help`',
    ]) {
      expect(text).toContain(example);
    }
  });

  it('puts the error first, escaped', () => {
    const message = usage('Unknown subcommand <!channel>');
    expect(message.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '⚠️ Unknown subcommand &lt;!channel&gt;' },
    });
    expect(message.text).toBe('⚠️ Unknown subcommand &lt;!channel&gt;');
    expectValidMessage(usage('e'.repeat(10_000)));
  });
});

describe('refusal', () => {
  it('is polite and names the commander', () => {
    expect(refusal('resolve', 'U0COMMAND')).toEqual({
      text: 'Only the incident commander <@U0COMMAND> can resolve this incident. Ask them, or have them hand over with /incident commander @you.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Only the incident commander <@U0COMMAND> can resolve this incident. Ask them, or have them hand over with /incident commander @you.',
          },
        },
      ],
    });
    expect(refusal('severity', 'U0COMMAND').text).toContain('can change the severity of this incident');
  });
});

describe('incidentList', () => {
  it('lists open incidents one per line', () => {
    const message = incidentList(
      [
        makeIncident(),
        makeIncident({
          id: 8,
          severity: 'P3',
          title: 'Typo',
          commanderId: null,
          channelId: 'C0ANNOUNCE',
          inFallback: true,
        }),
      ],
      NOW,
    );
    expect(message).toEqual({
      text: '2 open incidents',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Open incidents (2)*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '🟠 *P1* #7 Payment latency high · Investigating · <#C0INCIDENT> · commander <@U0COMMAND> · 1 h 5 min',
              '🔵 *P3* #8 Typo · Investigating · in <#C0ANNOUNCE> (fallback) · no commander · 1 h 5 min',
            ].join('\n'),
          },
        },
      ],
    });
  });

  it('hides what a viewer may not see of a private incident', () => {
    const secret = makeIncident({
      private: true,
      title: 'Initech acquisition leaked',
      channelId: 'C0SECRET',
    });
    const hidden = allStrings(incidentList([secret], NOW)).join('\n');
    expect(hidden).toContain('🔒 private incident');
    expect(hidden).not.toMatch(/Initech|C0SECRET|U0COMMAND/);
    const shown = allStrings(incidentList([secret], NOW, { canSee: () => true })).join('\n');
    expect(shown).toContain('Initech acquisition leaked');
  });

  it('says when nothing is open, and fits hundreds of incidents', () => {
    expect(sectionTexts(incidentList([], NOW).blocks)).toEqual([
      'No open incidents. Declare one with `/incident declare P1 &lt;title&gt;`.',
    ]);
    const many = Array.from({ length: 400 }, (_, i) =>
      makeIncident({ id: i, title: `<!channel> ${'t'.repeat(500)}` }),
    );
    const message = incidentList(many, NOW);
    expectValidMessage(message);
    expect(allStrings(message).join('\n')).not.toContain('<!channel>');
  });

  it('counts every open incident when it shows only the oldest of them', () => {
    const shown = Array.from({ length: 50 }, (_, i) =>
      makeIncident({ id: i + 1, title: `Incident ${i + 1}` }),
    );
    const message = incidentList(shown, NOW, undefined, 10_000);
    expectValidMessage(message);
    expect(message.text).toBe('10000 open incidents');
    const texts = sectionTexts(message.blocks);
    expect(texts[0]).toBe('*Open incidents (10000)*');
    expect(texts.at(-1)).toBe(
      '… and 9950 more, newer than these. Each has its own channel; App Home shows yours.',
    );
    expect(texts.join('\n').match(/ #\d+ Incident /g)).toHaveLength(50);
  });
});

describe('timelineMessage', () => {
  it('shows each entry with its time, actor and escaped text', () => {
    const entries = [
      makeEntry(0, { actor: 'U0ALICE', text: 'Declared P1 <!channel> test' }),
      makeEntry(1, { actor: 'bot', text: 'Escalated to Project lead' }),
      makeEntry(2, { actor: 'system', text: 'Alert resolved\nin Alertmanager' }),
    ];
    const date = (i: number, clock: string) =>
      `<!date^${DECLARED_UNIX + i * 60}^{date_short_pretty} {time_secs}|2026-11-22 ${clock} UTC>`;
    expect(timelineMessage(makeIncident(), entries)).toEqual({
      text: 'Timeline of P1 Payment latency high: 3 entries',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Timeline* · 🟠 *P1* · *Payment latency high*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              `${date(0, '10:00:00')} · <@U0ALICE> · Declared P1 &lt;!channel&gt; test`,
              `${date(1, '10:01:00')} · Incident Bot · Escalated to Project lead`,
              `${date(2, '10:02:00')} · system · Alert resolved in Alertmanager`,
            ].join('\n'),
          },
        },
      ],
    });
  });

  it('fits 400 entries in one message without dropping any', () => {
    const entries = Array.from({ length: 400 }, (_, i) =>
      makeEntry(i, { text: `Ticked “Pool usage below 90%” on step ${i} <!here>` }),
    );
    const message = timelineMessage(makeIncident(), entries);
    expectValidMessage(message);
    const text = sectionTexts(message.blocks).join('\n');
    for (let i = 0; i < 400; i += 1) expect(text).toContain(`on step ${i} &lt;!here&gt;`);
    expect(text).not.toContain('earlier entries');
    expect(allStrings(message).join('\n')).not.toContain('<!here>');
  });

  it('keeps a very long entry whole across sections', () => {
    const long = 'w'.repeat(7000);
    const message = timelineMessage(makeIncident(), [
      makeEntry(0),
      makeEntry(1, { text: long }),
      makeEntry(2),
    ]);
    expectValidMessage(message);
    expect(sectionTexts(message.blocks).join('')).toContain(long);
  });

  it('only if it truly must, leaves out the earliest entries and says how many', () => {
    const entries = Array.from({ length: 3000 }, (_, i) =>
      makeEntry(i, { text: `entry ${i} ${'e'.repeat(120)}` }),
    );
    const message = timelineMessage(makeIncident(), entries);
    expectValidMessage(message);
    expect(message.blocks).toHaveLength(LIMITS.blocks.message);
    const note = JSON.stringify(message.blocks[1]);
    const left = Number(/… and (\d+) earlier entries/.exec(note)?.[1]);
    expect(left).toBeGreaterThan(0);
    const text = sectionTexts(message.blocks).join('\n');
    expect(text).toContain(`entry ${left} `);
    expect(text).not.toContain(`entry ${left - 1} `);
    expect(text).toContain('entry 2999 ');
  });

  it('says when the timeline is empty', () => {
    const message = timelineMessage(makeIncident(), []);
    expect(JSON.stringify(message.blocks)).toContain('Nothing on the timeline yet.');
    expectValidMessage(message);
  });
});

describe('runbookSearch', () => {
  it('lists the best hits with why they matched', () => {
    const message = runbookSearch('connection pool', [
      { runbook: makeRunbook(), score: 9, matched: ['symptom', 'title'] },
      {
        runbook: makeRunbook({ id: 'RUN-010', title: 'Replica lag', severity: null, owner: null }),
        score: 2,
        matched: ['component'],
      },
    ]);
    expect(sectionTexts(message.blocks)).toEqual([
      '*Runbooks matching “connection pool”* (2)',
      '*RUN-001* · Database Connection Pool Exhaustion\n_matched on symptom, title · severity P1 · owner Backend Team_',
      '*RUN-010* · Replica lag\n_matched on component_',
    ]);
    const buttons = message.blocks.flatMap((b) =>
      b.type === 'section' && b.accessory?.type === 'button'
        ? [[b.accessory.action_id, b.accessory.value]]
        : [],
    );
    expect(buttons).toEqual([
      [ACTIONS.openDeclare, 'RUN-001'],
      [ACTIONS.openDeclare, 'RUN-010'],
    ]);
    expect(JSON.stringify(message.blocks)).toContain('--runbook RUN-001');
    expectValidMessage(message);
  });

  it('says when nothing matches, with the query escaped', () => {
    const message = runbookSearch('<!channel> test', []);
    expect(sectionTexts(message.blocks)[0]).toMatch(/^No runbook matches “&lt;!channel&gt; test”/);
    expect(allStrings(message).join('\n')).not.toContain('<!channel>');
  });

  it('shows at most 10 hits and counts the rest', () => {
    const hits = Array.from({ length: 40 }, (_, i) => ({
      runbook: makeRunbook({ id: `RUN-${i}`, title: 'x'.repeat(1000) }),
      score: 40 - i,
      matched: ['title'],
    }));
    const message = runbookSearch('q'.repeat(5000), hits);
    expectValidMessage(message);
    expect(JSON.stringify(message.blocks)).toContain('… and 30 more');
  });
});

describe('pickIncident', () => {
  const incidents = [makeIncident(), makeIncident({ id: 8, severity: 'P2', title: '<!channel> test' })];

  it('asks which incident, with incident IDs as values and the command in the block_id', () => {
    const message = pickIncident(incidents, 'status identified bad deploy');
    expect(message).toEqual({
      text: 'Which incident?',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Which incident?* `/incident status identified bad deploy` applies to one incident; pick it and it runs there.',
          },
        },
        {
          type: 'actions',
          block_id: 'pick:status identified bad deploy',
          elements: [
            {
              type: 'static_select',
              action_id: ACTIONS.pickIncident,
              placeholder: { type: 'plain_text', text: 'Choose an incident' },
              options: [
                { text: { type: 'plain_text', text: '#7 · P1 · Payment latency high' }, value: '7' },
                { text: { type: 'plain_text', text: '#8 · P2 · &lt;!channel&gt; test' }, value: '8' },
              ],
            },
          ],
        },
      ],
    });
    expect(parsePickBlockId('pick:status identified bad deploy')).toBe('status identified bad deploy');
    expect(parsePickBlockId('checks:1:0')).toBeNull();
    expect(pickedCommand({ block_id: 'pick:resolve' })).toBe('resolve');
  });

  it('does not carry a command too long for a block_id, and says so', () => {
    const message = pickIncident(incidents, `resolve ${'n'.repeat(400)}`);
    expectValidMessage(message);
    const actions = message.blocks[1];
    expect(actions?.type === 'actions' && actions.block_id).toBe('pick:');
    expect(pickedCommand({ block_id: 'pick:' })).toBeNull();
    expect(sectionTexts(message.blocks)[0]).toContain('too long to carry over');
  });

  it('hides private titles unless the viewer may see them, and caps the options at 100', () => {
    const secret = makeIncident({ id: 9, private: true, title: 'Initech acquisition leaked' });
    expect(allStrings(pickIncident([secret], 'resolve')).join('\n')).not.toContain('Initech');
    const many = Array.from({ length: 130 }, (_, i) => makeIncident({ id: i, title: 't'.repeat(300) }));
    const message = pickIncident(many, 'timeline');
    expectValidMessage(message);
    const select =
      message.blocks[1]?.type === 'actions' ? (message.blocks[1].elements[0] as StaticSelect) : null;
    expect(select?.options).toHaveLength(100);
  });

  it('says when there is nothing to pick', () => {
    const message = pickIncident([], 'timeline');
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    expectValidMessage(message);
  });
});

describe('resolvedMessage', () => {
  it('shows who, when, how long and the escaped note', () => {
    const incident = makeIncident({ status: 'resolved', resolvedAt: '2026-11-22T12:30:00.000Z' });
    const message = resolvedMessage(incident, 'Rolled back <!channel>');
    expect(message.text).toBe('✅ Resolved: P1 Payment latency high');
    expect(sectionTexts(message.blocks)).toEqual([
      '✅ *Resolved:* 🟠 *P1* · *Payment latency high*',
      '',
      '*Resolution note*',
      'Rolled back &lt;!channel&gt;',
    ]);
    expect(JSON.stringify(message.blocks[1])).toContain('*Duration*\\n2 h 30 min');
    expect(allStrings(message).join('\n')).not.toContain('<!channel>');
    expectValidMessage(message);
  });

  it('works without a note and with a huge one', () => {
    const incident = makeIncident({ status: 'resolved', resolvedAt: null });
    expect(sectionTexts(resolvedMessage(incident, null).blocks)).not.toContain('*Resolution note*');
    expectValidMessage(resolvedMessage(incident, null));
    expectValidMessage(resolvedMessage(makeIncident({ title: '<'.repeat(500) }), '&'.repeat(200_000)));
  });
});
