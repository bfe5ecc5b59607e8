import { describe, expect, it } from 'vitest';
import { HOME_BLOCKS, type HomeIncident, homeView } from '../../src/slack/blocks/home.ts';
import { validateView } from '../support/blockLimits.ts';
import { DECLARED_AT, makeIncident } from './fixtures.ts';

const NOW = new Date(Date.parse(DECLARED_AT) + 65 * 60_000);

const aftermath = {
  postmortems: [{ incidentId: 7, channelId: 'C0INC00007', dueAt: '2020-01-01T00:00:00.000Z' }],
  followups: [{ incidentId: 7, text: 'Page <!channel> on *pool* usage', dueDate: '2020-01-01' }],
  stats: {
    days: 30,
    rows: [
      {
        severity: 'P1',
        incidents: 2,
        acknowledged: 2,
        resolved: 1,
        mttdMs: null,
        mttaMs: 90_000,
        mttmMs: null,
        mttrMs: 3_600_000,
      },
      {
        severity: 'P2',
        incidents: 0,
        acknowledged: 0,
        resolved: 0,
        mttdMs: null,
        mttaMs: null,
        mttmMs: null,
        mttrMs: null,
      },
    ],
  },
};

function incidents(n: number): HomeIncident[] {
  return Array.from({ length: n }, (_, i) => ({
    incident: makeIncident({ id: i + 1, title: `Incident ${i + 1} ${'long '.repeat(40)}` }),
    visible: true,
    currentStep: null,
    progress: { done: 0, total: 0 },
    nextEscalation: null,
    nextUpdate: null,
    roles: [],
    overdue: [],
  }));
}

describe('App Home: post-mortems, follow-ups and response times', () => {
  it("lists the viewer's post-mortems and overdue follow-ups as tasks, escaped, and MTTA/MTTR at the end", () => {
    const view = homeView({ incidents: [], now: NOW, aftermath });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Post-mortem of incident #7 · <#C0INC00007> overdue since');
    expect(text).toContain('Follow-up from incident #7, due 2020-01-01');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('Nothing for you right now');
    expect(text).toContain('*P1* · 2 · MTTD — · MTTA 1 min 30 s · MTTM — · MTTR 1 h');
    expect(text).not.toContain('*P2*');
    expect(JSON.stringify(view.blocks.at(-1))).toContain('Response times, last 30 days');
  });

  it('stays within Slack limits with many incidents', () => {
    const view = homeView({ incidents: incidents(200), now: NOW, aftermath });
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCKS);
    expect(validateView(view, 'home')).toEqual([]);
    expect(JSON.stringify(view.blocks.at(-1))).toContain('Response times');
  });
});
