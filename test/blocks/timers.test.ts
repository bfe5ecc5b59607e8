import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../src/domain/templates.ts';
import { reminderMessage, repageMessage, timerEscalation } from '../../src/slack/blocks/timers.ts';
import {
  execBriefMessage,
  execBriefModal,
  statusUpdateMessage,
  statusUpdateModal,
} from '../../src/slack/blocks/updates.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { validateBlocks, validateView } from '../support/blockLimits.ts';
import { makeIncident } from './fixtures.ts';

const NOW = new Date('2026-11-23T15:00:00Z');
const long = 'x'.repeat(5000);
const incident = makeIncident({ title: '<!channel> Checkout down', severity: 'P0' });

describe('timer and update builders', () => {
  it('stay within Slack limits even with huge user text', () => {
    const prefill = {
      situation: long,
      cause: long,
      action: long,
      eta: long,
      impact: long,
      nextUpdateAt: NOW,
    };
    expect(
      validateView(
        statusUpdateModal(incident, {
          status: 'investigating',
          impact: long,
          action: long,
          nextUpdateAt: NOW,
        }),
        'modal',
      ),
    ).toEqual([]);
    expect(validateView(execBriefModal(incident, prefill, '#exec-briefs'), 'modal')).toEqual([]);
    const update = statusUpdateMessage(DEFAULT_TEMPLATES, {
      at: NOW,
      service: long,
      status: 'identified',
      impact: long,
      action: long,
      nextUpdateAt: NOW,
    });
    expect(validateBlocks(update.blocks, 'message')).toEqual([]);
    const brief = execBriefMessage(DEFAULT_TEMPLATES, { at: NOW, ...prefill });
    expect(validateBlocks(brief.blocks, 'message')).toEqual([]);
  });

  it('escape the incident title and mention the team only through IDs', () => {
    const repage = repageMessage(
      incident,
      { users: ['U0IC000001'], groups: ['S0ONCALL01'] },
      'no commander after 5 min',
      '',
    );
    const json = JSON.stringify(repage);
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('<!subteam^S0ONCALL01> <@U0IC000001>');
    expect(validateBlocks(repage.blocks, 'message')).toEqual([]);
  });

  it('say how overdue a reminder is, with the due time as a date token', () => {
    const message = reminderMessage(incident, {
      kind: 'status',
      dueAt: '2026-11-23T14:40:00.000Z',
      now: NOW,
      late: '',
    });
    expect(message.text).toBe(`Status update overdue by 20 min: P0 incident #${incident.id}`);
    expect(JSON.stringify(message.blocks)).toContain(
      '<!date^1795444800^{date_short_pretty} {time}|2026-11-23 14:40 UTC>',
    );
  });

  it('offers Snooze 15 min, Snooze 1 h and Dismiss, and says which reminder of the cap this is', () => {
    const message = reminderMessage(incident, {
      kind: 'brief',
      dueAt: '2026-11-23T14:40:00.000Z',
      now: NOW,
      late: '',
      round: 4,
      cap: 4,
    });
    const buttons = message.blocks?.flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(buttons?.map((e) => ('value' in e ? [e.action_id, e.value] : []))).toEqual([
      [ACTIONS.openExecBrief, String(incident.id)],
      [ACTIONS.snoozeReminder, `${incident.id}:brief:15m`],
      [ACTIONS.snoozeReminderHour, `${incident.id}:brief:1h`],
      [ACTIONS.dismissReminder, `${incident.id}:brief`],
    ]);
    expect(JSON.stringify(message.blocks?.at(-1))).toContain(
      'Reminder 4 of 4: the last one. No more reminders until an update is posted.',
    );
    expect(validateBlocks(message.blocks ?? [], 'message')).toEqual([]);
  });

  it('adds why, the runbook contact and the Acknowledge button to an escalation brief', () => {
    const message = timerEscalation(
      { text: 'Escalation: P0 incident #1', blocks: [] },
      {
        incidentId: 1,
        reason: 'RUN-001: escalate if it persists after 30 min',
        who: '@dba-oncall <b>',
        round: 2,
        late: ' (fired 3 min late)',
      },
    );
    expect(message.text).toBe('Escalation: P0 incident #1 (reminder 2)');
    expect(JSON.stringify(message.blocks)).toContain(
      '*Why:* RUN-001: escalate if it persists after 30 min (fired 3 min late)\\n*Runbook says contact:* @dba-oncall &lt;b&gt;',
    );
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
  });
});
