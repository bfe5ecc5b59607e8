import { describe, expect, it } from 'vitest';
import { type IncidentCommand, parseIncidentCommand, subcommandOf } from '../../src/domain/command.ts';

const DECLARE_EXAMPLE = 'Example: /incident declare P1 Payment latency high';
const RUNBOOK_EXAMPLE = 'Example: /incident declare P1 Payment latency high --runbook RUN-004';
const STATUS_EXAMPLE = 'Example: /incident status identified bad deploy';
const invalid = (error: string): IncidentCommand => ({ kind: 'invalid', error });

const CASES: [string, IncidentCommand][] = [
  // declare
  [
    'declare P1 Payment latency high',
    { kind: 'declare', severity: 'P1', title: 'Payment latency high', runbookId: null },
  ],
  [
    'declare P1 Payment latency high --runbook RUN-004',
    { kind: 'declare', severity: 'P1', title: 'Payment latency high', runbookId: 'RUN-004' },
  ],
  [
    'declare p0 --runbook run-004 Payment latency high',
    { kind: 'declare', severity: 'P0', title: 'Payment latency high', runbookId: 'RUN-004' },
  ],
  [
    'declare P2 Payment --runbook=RUN-12 latency',
    { kind: 'declare', severity: 'P2', title: 'Payment latency', runbookId: 'RUN-12' },
  ],
  [
    // macOS smart punctuation turns -- into an em dash.
    'declare P1 DB down —runbook RUN-001',
    { kind: 'declare', severity: 'P1', title: 'DB down', runbookId: 'RUN-001' },
  ],
  [
    '  \t DECLARE \u00a0 P3\tTypo   on\u3000the  pricing page \n',
    { kind: 'declare', severity: 'P3', title: 'Typo on the pricing page', runbookId: null },
  ],
  [
    'Declare P1 <!channel> test',
    { kind: 'declare', severity: 'P1', title: '<!channel> test', runbookId: null },
  ],
  [
    'declare P1 Paiement échoué 💥 数据库',
    { kind: 'declare', severity: 'P1', title: 'Paiement échoué 💥 数据库', runbookId: null },
  ],
  [
    'declare P1 API -- 5xx on checkout',
    { kind: 'declare', severity: 'P1', title: 'API -- 5xx on checkout', runbookId: null },
  ],
  ['declare', { kind: 'declare-modal' }],
  ['', { kind: 'declare-modal' }],
  ['   \n ', { kind: 'declare-modal' }],
  [
    'declare P9 Payment latency high',
    invalid(`Severity must be P0, P1, P2 or P3 (got "P9"). ${DECLARE_EXAMPLE}`),
  ],
  [
    'declare Payment latency high',
    invalid(`Severity must be P0, P1, P2 or P3 (got "Payment"). ${DECLARE_EXAMPLE}`),
  ],
  ['declare P1', invalid(`declare needs a title after the severity. ${DECLARE_EXAMPLE}`)],
  ['declare P1 --runbook RUN-004', invalid(`declare needs a title after the severity. ${DECLARE_EXAMPLE}`)],
  [
    'declare P1 DB down --runbook',
    invalid(`--runbook needs a runbook ID such as RUN-004. ${RUNBOOK_EXAMPLE}`),
  ],
  [
    'declare P1 DB down --runbook db-pool',
    invalid(
      'Runbook IDs look like RUN-004 (got "db-pool"). Find one with /incident runbooks <keyword>, or leave --runbook out to match one from the title.',
    ),
  ],
  [
    'declare P1 DB down --runbook RUN-1 --runbook RUN-2',
    invalid(`Give --runbook only once. ${RUNBOOK_EXAMPLE}`),
  ],
  [
    'declare --runbook RUN-004 P1 DB down',
    invalid(
      `Put the severity first, then the title; --runbook can go anywhere after the severity. ${RUNBOOK_EXAMPLE}`,
    ),
  ],
  [
    'declare #12 P1 DB down',
    invalid(
      `declare opens a new incident, so it takes no incident reference (got "#12"). ${DECLARE_EXAMPLE}`,
    ),
  ],
  [
    `declare P1 ${'a'.repeat(151)}`,
    invalid(
      'The title is 151 characters long; the limit is 150. Shorten it and put the details in the incident channel.',
    ),
  ],
  // status
  [
    'status identified bad deploy',
    { kind: 'status', incidentId: null, status: 'identified', note: 'bad deploy' },
  ],
  ['STATUS Monitoring', { kind: 'status', incidentId: null, status: 'monitoring', note: null }],
  ['status #12 identified', { kind: 'status', incidentId: 12, status: 'identified', note: null }],
  [
    'status #7 investigating  errors back\n  after rollback ',
    { kind: 'status', incidentId: 7, status: 'investigating', note: 'errors back\n  after rollback' },
  ],
  ['status', invalid(`status needs one of investigating, identified, monitoring. ${STATUS_EXAMPLE}`)],
  ['status #12', invalid(`status needs one of investigating, identified, monitoring. ${STATUS_EXAMPLE}`)],
  [
    'status fixed',
    invalid(`status needs one of investigating, identified, monitoring (got "fixed"). ${STATUS_EXAMPLE}`),
  ],
  [
    'status resolved',
    invalid(
      'To resolve the incident, use /incident resolve with an optional note. Example: /incident resolve rolled back the deploy',
    ),
  ],
  [
    'status closed',
    invalid(
      'An incident closes by itself when its post-mortem is marked done; there is no command to close it.',
    ),
  ],
  [
    'status #abc identified',
    invalid(
      `Incident references are numbers like #12 (got "#abc"). Use the number from /incident list, or run the command in the incident's channel.`,
    ),
  ],
  [
    'status #0 identified',
    invalid(
      `Incident references are numbers like #12 (got "#0"). Use the number from /incident list, or run the command in the incident's channel.`,
    ),
  ],
  [
    'status <#C012AB3CD|inc-20261122-3-db> identified',
    invalid(
      `Incident references are numbers like #12 (got "<#C012AB3CD|inc-20261122-3-db>"). Use the number from /incident list, or run the command in the incident's channel.`,
    ),
  ],
  // severity
  ['severity P0', { kind: 'severity', incidentId: null, severity: 'P0' }],
  ['severity #3 p2', { kind: 'severity', incidentId: 3, severity: 'P2' }],
  ['severity', invalid('severity needs a level: P0, P1, P2 or P3. Example: /incident severity P0')],
  ['severity P9', invalid('Severity must be P0, P1, P2 or P3 (got "P9"). Example: /incident severity P0')],
  [
    'severity critical',
    invalid('Severity must be P0, P1, P2 or P3 (got "critical"). Example: /incident severity P0'),
  ],
  [
    'severity P0 db is worse',
    invalid(
      'severity takes only the level (got extra "db is worse"). Post the reason in the channel, then run: /incident severity P0',
    ),
  ],
  // commander
  ['commander <@U012AB3CD|alice>', { kind: 'commander', incidentId: null, userId: 'U012AB3CD' }],
  ['commander #4 <@W012AB3CD>', { kind: 'commander', incidentId: 4, userId: 'W012AB3CD' }],
  [
    'commander @alice',
    invalid(
      'Pick the person from the autocomplete list when you type @, so Slack sends who they are (got "@alice"). Example: /incident commander @alice',
    ),
  ],
  [
    'commander alice',
    invalid(
      'Pick the person from the autocomplete list when you type @, so Slack sends who they are (got "alice"). Example: /incident commander @alice',
    ),
  ],
  [
    'commander',
    invalid(
      'commander needs a person: type @ and pick them from the list. Example: /incident commander @alice',
    ),
  ],
  [
    'commander <@U1AAAA|a> <@U2BBBB|b>',
    invalid('commander takes one person (got extra "<@U2BBBB|b>"). Example: /incident commander @alice'),
  ],
  // resolve, timeline, update
  ['resolve', { kind: 'resolve', incidentId: null, note: null }],
  ['Resolve #9 rolled back <!here>', { kind: 'resolve', incidentId: 9, note: 'rolled back <!here>' }],
  ['timeline', { kind: 'timeline', incidentId: null }],
  ['TIMELINE #21', { kind: 'timeline', incidentId: 21 }],
  ['timeline all', invalid('timeline takes no other arguments (got "all"). Example: /incident timeline')],
  ['update', { kind: 'update', incidentId: null }],
  ['update #5', { kind: 'update', incidentId: 5 }],
  ['exec', { kind: 'exec', incidentId: null }],
  ['EXEC #7', { kind: 'exec', incidentId: 7 }],
  [
    'update db is back',
    invalid('update takes no other arguments (got "db is back"). Example: /incident update'),
  ],
  // list, runbooks, help
  ['list', { kind: 'list' }],
  ['  LIST  ', { kind: 'list' }],
  ['list mine', invalid('list takes no other arguments (got "mine"). Example: /incident list')],
  [
    'list #3',
    invalid(
      'list shows every open incident, so it takes no incident reference (got "#3"). Example: /incident list',
    ),
  ],
  ['runbooks database  pool', { kind: 'runbooks', query: 'database pool' }],
  ['runbooks', { kind: 'runbooks', query: '' }],
  ['runbooks reload', { kind: 'runbooks-reload' }],
  ['Runbooks RELOAD', { kind: 'runbooks-reload' }],
  ['runbooks reload cache', { kind: 'runbooks', query: 'reload cache' }],
  [
    'runbooks #12',
    invalid(
      'runbooks searches all runbooks, so it takes no incident reference (got "#12"). Example: /incident runbooks database',
    ),
  ],
  ['help', { kind: 'help' }],
  ['HELP declare', { kind: 'help' }],
  // unknown
  [
    'frobnicate',
    invalid(
      'Unknown subcommand "frobnicate". Use one of: declare, status, severity, commander, resolve, update, exec, timeline, list, runbooks, help, postmortem, followup, stats, drill, runbook, step, assign, catchup, doctor. Example: /incident help',
    ),
  ],
  [
    'p1 DB down',
    invalid(`Unknown subcommand "p1". To declare an incident, start with declare. ${DECLARE_EXAMPLE}`),
  ],
  [
    `${'x'.repeat(100)} now`,
    invalid(
      `Unknown subcommand "${'x'.repeat(59)}…". Use one of: declare, status, severity, commander, resolve, update, exec, timeline, list, runbooks, help, postmortem, followup, stats, drill, runbook, step, assign, catchup, doctor. Example: /incident help`,
    ),
  ],
];

describe('parseIncidentCommand', () => {
  it('has a table of at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES)('%j', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it('accepts a title of exactly 150 characters, counted as characters, not UTF-16 units', () => {
    const title = '🔥'.repeat(150);
    expect(parseIncidentCommand(`declare P1 ${title}`)).toEqual({
      kind: 'declare',
      severity: 'P1',
      title,
      runbookId: null,
    });
  });
});

describe('aftermath subcommands', () => {
  it.each([
    ['postmortem', { kind: 'postmortem', incidentId: null }],
    ['postmortem #7', { kind: 'postmortem', incidentId: 7 }],
    [
      'postmortem done <https://wiki.example.com/pm/42|pm>',
      { kind: 'postmortem-done', incidentId: null, link: 'https://wiki.example.com/pm/42' },
    ],
    [
      'postmortem done https://wiki.example.com/pm/42',
      { kind: 'postmortem-done', incidentId: null, link: 'https://wiki.example.com/pm/42' },
    ],
    [
      'followup Add an alert on pool usage <@U0ALICE1|alice> 2026-12-01',
      {
        kind: 'followup',
        incidentId: null,
        text: 'Add an alert on pool usage',
        ownerId: 'U0ALICE1',
        dueDate: '2026-12-01',
      },
    ],
    [
      'followup #3 Load test <@U0BOB0001> 2026-12-24',
      { kind: 'followup', incidentId: 3, text: 'Load test', ownerId: 'U0BOB0001', dueDate: '2026-12-24' },
    ],
    ['stats', { kind: 'stats', days: 30 }],
    ['stats 7d', { kind: 'stats', days: 7 }],
    ['drill run-004', { kind: 'drill', runbookId: 'RUN-004' }],
  ])('%s', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    [
      'postmortem done',
      'postmortem done needs the link to the finished document. Example: /incident postmortem done https://wiki.example.com/pm/42',
    ],
    [
      'postmortem later',
      'postmortem takes nothing, or done and the document\'s link (got "later"). Example: /incident postmortem done https://wiki.example.com/pm/42',
    ],
    [
      'followup Fix it @alice 2026-12-01',
      'Name the owner by picking them from the list when you type @, just before the date (got "@alice"). Example: /incident followup Add an alert on pool usage @alice 2026-12-01',
    ],
    [
      'followup Fix it <@U0ALICE1> 2026-02-30',
      'The deadline must be a date like 2026-12-01 (got "2026-02-30"). Example: /incident followup Add an alert on pool usage @alice 2026-12-01',
    ],
    [
      'followup <@U0ALICE1> 2026-12-01',
      'followup needs what to do, an owner and a deadline. Example: /incident followup Add an alert on pool usage @alice 2026-12-01',
    ],
    ['stats forever', 'stats takes a window in days, like 30d (got "forever"). Example: /incident stats 30d'],
    ['drill', 'drill needs the runbook to rehearse, and nothing else. Example: /incident drill RUN-004'],
  ])('%s is refused with a reason', (text, error) => {
    expect(parseIncidentCommand(text)).toEqual({ kind: 'invalid', error });
  });
});

describe('subcommandOf', () => {
  it('names the known subcommand a text starts with, whatever its case, and nothing else', () => {
    expect(subcommandOf('severity')).toBe('severity');
    expect(subcommandOf('  FollowUp fix it @alice 2026-12-01')).toBe('followup');
    expect(subcommandOf('frobnicate now')).toBeNull();
    expect(subcommandOf('P1 outage')).toBeNull();
    expect(subcommandOf('')).toBeNull();
  });
});
