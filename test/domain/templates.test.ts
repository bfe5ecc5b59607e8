import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../src/domain/policy.ts';
import { DEFAULT_TEMPLATES, renderTemplate, TemplatesSchema } from '../../src/domain/templates.ts';
import { execBriefText, statusUpdateText } from '../../src/slack/blocks/updates.ts';

const AT = new Date('2026-11-22T20:30:00Z'); // 1795379400
const NEXT = new Date('2026-11-22T20:45:00Z'); // 1795380300

describe('status-page update', () => {
  it('renders the seed layout exactly, with Slack date tokens and UTC fallbacks', () => {
    const text = statusUpdateText(DEFAULT_TEMPLATES, {
      at: AT,
      service: 'api-db',
      status: 'identified',
      impact: 'Checkout fails for 30% of users',
      action: 'Step 3: Kill idle transactions',
      nextUpdateAt: NEXT,
    });
    expect(text).toBe(
      [
        '<!date^1795379400^{date_short_pretty} {time}|2026-11-22 20:30 UTC> — api-db Incident',
        'Status: Identified',
        'Impact: Checkout fails for 30% of users',
        'Current action: Step 3: Kill idle transactions',
        'Next update: <!date^1795380300^{date_short_pretty} {time}|2026-11-22 20:45 UTC>',
      ].join('\n'),
    );
  });

  it('escapes user text and keeps it on its line', () => {
    const text = statusUpdateText(DEFAULT_TEMPLATES, {
      at: AT,
      service: '<!channel> payments',
      status: 'investigating',
      impact: 'errors\n\n<@U123> & more',
      action: '',
      nextUpdateAt: NEXT,
    });
    expect(text.split('\n').slice(0, 4)).toEqual([
      '<!date^1795379400^{date_short_pretty} {time}|2026-11-22 20:30 UTC> — &lt;!channel&gt; payments Incident',
      'Status: Investigating',
      'Impact: errors &lt;@U123&gt; &amp; more',
      'Current action: Investigating',
    ]);
  });
});

describe('executive brief', () => {
  it('renders the seed layout exactly', () => {
    const text = execBriefText(DEFAULT_TEMPLATES, {
      at: AT,
      situation: 'Checkout is down for all users',
      cause: 'A connection pool misconfiguration in release 1.4.3',
      action: 'Rolling back to 1.4.2',
      eta: '20 min',
      impact: 'About $12,000 of orders per hour',
      nextUpdateAt: NEXT,
    });
    expect(text).toBe(
      [
        'INCIDENT BRIEF — <!date^1795379400^{date_short_pretty} {time}|2026-11-22 20:30 UTC>',
        'SITUATION: Checkout is down for all users',
        'CAUSE: A connection pool misconfiguration in release 1.4.3',
        'ACTION: Rolling back to 1.4.2 — ETA 20 min',
        'IMPACT: About $12,000 of orders per hour',
        'NEXT UPDATE: <!date^1795380300^{date_short_pretty} {time}|2026-11-22 20:45 UTC>',
      ].join('\n'),
    );
  });

  it('says what is not known yet instead of leaving a field empty', () => {
    const text = execBriefText(DEFAULT_TEMPLATES, {
      at: AT,
      situation: 'Checkout is down',
      cause: '',
      action: 'Rolling back',
      eta: '',
      impact: 'All orders',
      nextUpdateAt: NEXT,
    });
    expect(text).toContain('\nCAUSE: Under investigation\nACTION: Rolling back — ETA unknown\n');
  });
});

describe('templates in policy.yml', () => {
  it('lets the team change the wording, and refuses unknown placeholders', () => {
    const custom = TemplatesSchema.parse({ status_update: '*{service}* is {status}. Next: {next_update}\n' });
    expect(custom.executive_brief).toBe(DEFAULT_TEMPLATES.executive_brief);
    expect(
      renderTemplate(custom.status_update, { service: 'api', status: 'Monitoring', next_update: 'soon' }),
    ).toBe('*api* is Monitoring. Next: soon');
    const bad = TemplatesSchema.safeParse({ executive_brief: 'BRIEF {when}' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe(
      'uses {when}, which is not a field; use {timestamp}, {situation}, {cause}, {action}, {eta}, {impact}, {next_update}',
    );
  });

  it('the shipped policy.yml renders the same layouts as the defaults', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const policy = PolicySchema.parse(parse(readFileSync('runbooks/policy.yml', 'utf8')));
    expect(policy.templates).toEqual(DEFAULT_TEMPLATES);
  });
});
