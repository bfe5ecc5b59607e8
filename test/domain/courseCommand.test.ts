import { describe, expect, it } from 'vitest';
import { parseIncidentCommand } from '../../src/domain/command.ts';

describe('course and catch-up subcommands', () => {
  it.each([
    ['runbook run-002', { kind: 'runbook', incidentId: null, runbookId: 'RUN-002' }],
    ['runbook #12 RUN-007', { kind: 'runbook', incidentId: 12, runbookId: 'RUN-007' }],
    [
      'step add Drain node-7 | pods rescheduled | | error rate below 1%',
      {
        kind: 'step-add',
        incidentId: null,
        title: 'Drain node-7',
        checks: ['pods rescheduled', 'error rate below 1%'],
      },
    ],
    ['step add', { kind: 'step-add-modal', incidentId: null }],
    [
      'assign step 2 <@U0BOB0001|bob>',
      { kind: 'assign', incidentId: null, stepNumber: 2, userId: 'U0BOB0001' },
    ],
    ['catchup #3', { kind: 'catchup', incidentId: 3 }],
  ])('%s', (text, expected) => {
    expect(parseIncidentCommand(text)).toEqual(expected);
  });

  it.each([
    [
      'runbook',
      'runbook needs the ID of the runbook to switch to. Find one with /incident runbooks <keyword>. Example: /incident runbook RUN-002',
    ],
    [
      'runbook database',
      'runbook needs the ID of the runbook to switch to (got "database"). Find one with /incident runbooks <keyword>. Example: /incident runbook RUN-002',
    ],
    [
      'step remove 2',
      "step takes add, then the step's title and checks. Example: /incident step add Drain node-7 | pods rescheduled | error rate below 1%",
    ],
    [
      'step add | only a check',
      "Put the step's title before its checks. Example: /incident step add Drain node-7 | pods rescheduled | error rate below 1%",
    ],
    [
      'assign step two @bob',
      `assign needs step, the step's number and a person picked with @ (got "step two @bob"). Example: /incident assign step 2 @bob`,
    ],
    ['catchup now', 'catchup takes nothing else (got "now"). Example: /incident catchup'],
  ])('refuses %s with the usage that applies', (text, error) => {
    expect(parseIncidentCommand(text)).toEqual({ kind: 'invalid', error });
  });
});
