import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain/incident.ts';
import { HOME_BLOCKS, HOME_CARDS, type HomeIncident, homeView } from '../../src/slack/blocks/home.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { validateView } from '../support/blockLimits.ts';
import { allStrings, DECLARED_AT, makeIncident } from './fixtures.ts';

const NOW = new Date(Date.parse(DECLARED_AT) + 65 * 60_000);

function entry(incident: Incident, patch: Partial<HomeIncident> = {}): HomeIncident {
  return {
    incident,
    visible: true,
    currentStep: '2. Restart the connection pool',
    progress: { done: 1, total: 4 },
    nextEscalation: '2026-11-22T12:00:00.000Z',
    nextUpdate: '2026-11-22T11:30:00.000Z',
    roles: [],
    overdue: [],
    ...patch,
  };
}

function many(n: number): HomeIncident[] {
  const severities = ['P0', 'P1', 'P2', 'P3'] as const;
  return Array.from({ length: n }, (_, i) =>
    entry(
      makeIncident({
        id: i + 1,
        // Long titles with markup: the worst case for the limits and for escaping.
        title: `Incident ${i + 1} <!channel> ${'very long title '.repeat(20)}`,
        severity: severities[i % 4],
        channelId: `C0INC${String(i).padStart(5, '0')}`,
        private: i % 10 === 3,
      }),
      { visible: i % 10 !== 3, roles: i % 7 === 0 ? ['incident commander'] : [] },
    ),
  );
}

function text(view: ReturnType<typeof homeView>): string {
  return allStrings(view.blocks).join('\n');
}

describe('App Home', () => {
  it('with no open incident: a Declare button and a clear empty state, valid', () => {
    const view = homeView({ incidents: [], now: NOW });
    expect(validateView(view, 'home')).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(ACTIONS.openDeclare);
    expect(text(view)).toContain('No open incidents');
    expect(text(view)).toContain('Nothing for you right now');
  });

  it('with one incident: severity, status, commander, elapsed, step, next escalation and update, channel link', () => {
    const view = homeView({ incidents: [entry(makeIncident())], now: NOW });
    expect(validateView(view, 'home')).toEqual([]);
    const all = text(view);
    expect(all).toContain('P1 · #7 Payment latency high');
    expect(all).toContain('Investigating');
    expect(all).toContain('<@U0COMMAND>');
    expect(all).toContain('open 1 h 5 min');
    expect(all).toContain('Step 2. Restart the connection pool (1/4 done)');
    expect(all).toContain(`Next escalation <!date^${Date.parse('2026-11-22T12:00:00.000Z') / 1000}`);
    expect(all).toContain('Next update due <!date^');
    expect(all).toContain('<#C0INCIDENT>');
  });

  it('with 60 incidents: within 100 blocks, most severe first, every incident accounted for', () => {
    const incidents = many(60);
    const view = homeView({ incidents, now: NOW });
    expect(validateView(view, 'home')).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCKS);
    const all = text(view);
    expect(all).toContain('Open incidents (60)');
    expect(all).toContain(`${60 - HOME_CARDS} more open incidents`);
    // Every visible incident appears (cards or one-liners), and none leaks `<!channel>` unescaped.
    for (const h of incidents.filter((i) => i.visible)) expect(all).toContain(`#${h.incident.id} Incident`);
    expect(all).not.toContain('<!channel>');
    const firstCard = allStrings(view.blocks.find((b) => JSON.stringify(b).includes('#'))).join('');
    expect(firstCard).toContain('P0');
  });

  it('with 10,000 open of which the 60 most urgent were read: the total counted, the unread said in one line', () => {
    const incidents = many(60);
    const view = homeView({ incidents, total: 10_000, now: NOW });
    expect(validateView(view, 'home')).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCKS);
    const all = text(view);
    expect(all).toContain('10000 open · as of');
    expect(all).toContain('Open incidents (10000)');
    expect(all).toContain(`${10_000 - HOME_CARDS} more open incidents, one line each:`);
    for (const h of incidents.filter((i) => i.visible)) expect(all).toContain(`#${h.incident.id} Incident`);
    expect(view.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '… and 9940 less urgent incidents more: see `/incident list`.' }],
    });
  });

  it('shows a private incident to a non-member as "a private incident" with its severity only', () => {
    const secret = makeIncident({ id: 9, title: 'Leaked AWS keys', private: true, severity: 'P0' });
    const view = homeView({ incidents: [entry(secret, { visible: false })], now: NOW });
    const all = text(view);
    expect(all).toContain('P0* · a private incident');
    expect(all).not.toContain('Leaked AWS keys');
    expect(all).not.toContain('#9');
    expect(all).not.toContain('C0INCIDENT');
    expect(all).not.toContain('Restart the connection pool');
    expect(all).not.toContain('U0COMMAND');
  });

  it('lists my tasks: incidents where I hold a role, with overdue follow-ups', () => {
    const mine = entry(makeIncident({ id: 3, title: 'Queue backlog' }), {
      roles: ['incident commander'],
      overdue: [{ what: 'status update', since: '2026-11-22T10:30:00.000Z' }],
    });
    const view = homeView({ incidents: [mine, entry(makeIncident({ id: 4 }))], now: NOW });
    expect(validateView(view, 'home')).toEqual([]);
    const all = text(view);
    expect(all).toContain('you are incident commander · next: step 2. Restart the connection pool');
    expect(all).toContain('⏰ status update overdue since <!date^');
  });
});
