import type { ActionsBlock, Checkboxes, KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { checklistMessage } from '../../src/slack/blocks/checklist.ts';
import { escapeMrkdwn } from '../../src/slack/blocks/mrkdwn.ts';
import { stepMessage } from '../../src/slack/blocks/step.ts';
import { ACTIONS, parseChecksBlockId } from '../../src/slack/ids.ts';
import { DECLARED_AT, expectValidMessage, makeCheck, makeChecks, makeStep } from './fixtures.ts';

const RUNBOOK = { id: 'RUN-001', title: 'Database Connection Pool Exhaustion' };
const CTX = { index: 2, total: 5, runbook: RUNBOOK };
const TICKED_AT = '2026-11-22T10:07:00.000Z';
const TICKED_UNIX = Date.parse(TICKED_AT) / 1000;

function checkboxes(blocks: KnownBlock[]): { block: ActionsBlock; element: Checkboxes }[] {
  return blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements
          .filter((el): el is Checkboxes => el.type === 'checkboxes')
          .map((element) => ({ block, element }))
      : [],
  );
}

describe('stepMessage, active', () => {
  it('renders the step with its prose, commands, one ticked box of two and the skip button', () => {
    const step = makeStep({
      body: 'The pool is near its limit.\nFind who holds connections.',
      commands: [
        { lang: 'bash', code: 'psql -c "select count(*) from pg_stat_activity" > /tmp/out' },
        { lang: null, code: 'kubectl -n db get pods' },
      ],
      checks: [
        makeCheck(0, {
          text: 'Pool usage below 90%',
          checked: true,
          checkedBy: 'U0ALICE',
          checkedAt: TICKED_AT,
        }),
        makeCheck(1, { text: 'No clients waiting' }),
      ],
    });
    const ticked = { text: { type: 'plain_text', text: 'Pool usage below 90%' }, value: '0' };
    expect(stepMessage(step, CTX)).toEqual({
      text: 'Step 2 of 5: Check the pool',
      blocks: [
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: '*Step 2 of 5* · RUN-001: Database Connection Pool Exhaustion' },
          ],
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Check the pool*' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'The pool is near its limit.\nFind who holds connections.' },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '```\npsql -c "select count(*) from pg_stat_activity" &gt; /tmp/out\n```',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '```\nkubectl -n db get pods\n```' } },
        {
          type: 'actions',
          block_id: 'checks:42:0',
          elements: [
            {
              type: 'checkboxes',
              action_id: ACTIONS.toggleChecks,
              options: [ticked, { text: { type: 'plain_text', text: 'No clients waiting' }, value: '1' }],
              initial_options: [ticked],
            },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `1 of 2 checked · last: <@U0ALICE> ticked “Pool usage below 90%” <!date^${TICKED_UNIX}^{date_short_pretty} {time}|2026-11-22 10:07 UTC>`,
            },
          ],
        },
        {
          type: 'actions',
          block_id: 'assign:42',
          elements: [
            {
              type: 'button',
              action_id: ACTIONS.skipStep,
              text: { type: 'plain_text', text: 'Skip step' },
              value: '42',
            },
            {
              type: 'users_select',
              action_id: ACTIONS.assignStep,
              placeholder: { type: 'plain_text', text: 'Assign this step to…' },
            },
          ],
        },
      ],
    });
  });

  it("shows the step's assignee in its picker", () => {
    const message = stepMessage(makeStep({ checks: makeChecks(1), assigneeId: 'U0BOB0001' }), CTX);
    const row = message.blocks.at(-1) as { block_id: string; elements: { initial_user?: string }[] };
    expect(row.block_id).toBe('assign:42');
    expect(row.elements.at(-1)?.initial_user).toBe('U0BOB0001');
  });

  it('leaves initial_options out when nothing is ticked', () => {
    const message = stepMessage(makeStep({ checks: makeChecks(3) }), CTX);
    const [box] = checkboxes(message.blocks);
    expect(box?.element).not.toHaveProperty('initial_options');
    expect(box?.element.options).toHaveLength(3);
    expectValidMessage(message);
  });

  it('without a runbook, shows just the step number', () => {
    const message = stepMessage(makeStep(), { index: 1, total: 1, runbook: null });
    expect(message.blocks[0]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '*Step 1 of 1*' }],
    });
    expect(JSON.stringify(message.blocks)).toContain('no verification checks: mark it done');
    expect(JSON.stringify(message.blocks)).toContain(ACTIONS.completeStep);
    expectValidMessage(message);
  });

  it('splits 23 checks into checkbox elements of 10, 10 and 3 with chunked block IDs', () => {
    const checks = makeChecks(23).map((c) =>
      c.position % 4 === 0 ? { ...c, checked: true, checkedBy: 'U0BOB', checkedAt: TICKED_AT } : c,
    );
    const message = stepMessage(makeStep({ checks }), CTX);
    expectValidMessage(message);
    const boxes = checkboxes(message.blocks);
    expect(boxes.map((b) => b.element.options.length)).toEqual([10, 10, 3]);
    expect(boxes.map((b) => b.block.block_id)).toEqual(['checks:42:0', 'checks:42:1', 'checks:42:2']);
    expect(boxes.map((b) => parseChecksBlockId(b.block.block_id ?? ''))).toEqual([
      { stepId: 42, chunk: 0 },
      { stepId: 42, chunk: 1 },
      { stepId: 42, chunk: 2 },
    ]);
    expect(boxes.flatMap((b) => b.element.options.map((o) => o.value))).toEqual(
      Array.from({ length: 23 }, (_, i) => String(i)),
    );
    expect(boxes.map((b) => (b.element.initial_options ?? []).map((o) => o.value))).toEqual([
      ['0', '4', '8'],
      ['12', '16'],
      ['20'],
    ]);
  });

  it('cuts a long check text to 75 and continues it in the description', () => {
    const text =
      'Connection pool usage is below ninety percent on every primary and every replica for at least ten minutes';
    const message = stepMessage(makeStep({ checks: [makeCheck(0, { text })] }), CTX);
    expectValidMessage(message);
    const option = checkboxes(message.blocks)[0]?.element.options[0];
    expect(option?.text.text.length).toBeLessThanOrEqual(75);
    expect(option?.text.text.endsWith('…')).toBe(true);
    expect(option?.description?.text.startsWith('…')).toBe(true);
    expect(option?.description?.text.length).toBeLessThanOrEqual(75);
    expect(`${option?.text.text.slice(0, -1)} ${option?.description?.text.slice(1)}`).toBe(text);
  });

  it('keeps a 9000-character command whole across sections', () => {
    const code = Array.from({ length: 450 }, (_, i) => `echo "step ${String(i).padStart(4, '0')}" >&2`).join(
      '\n',
    );
    expect(code.length).toBeGreaterThan(9000);
    const message = stepMessage(makeStep({ commands: [{ lang: 'bash', code }], checks: makeChecks(2) }), CTX);
    expectValidMessage(message);
    const bodies = message.blocks
      .filter((b) => b.type === 'section' && b.text?.text.startsWith('```'))
      .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : '').slice(4, -4));
    expect(bodies.length).toBeGreaterThan(3);
    expect(bodies.join('\n')).toBe(escapeMrkdwn(code));
  });

  it('stays within 50 blocks with huge prose, many commands and many checks', () => {
    const step = makeStep({
      title: 'T'.repeat(500),
      body: 'lorem ipsum '.repeat(5000),
      commands: Array.from({ length: 60 }, (_, i) => ({ lang: null, code: `run ${i} ${'x'.repeat(4000)}` })),
      checks: makeChecks(45),
    });
    const message = stepMessage(step, CTX);
    expectValidMessage(message);
    expect(checkboxes(message.blocks).flatMap((b) => b.element.options)).toHaveLength(45);
    expect(JSON.stringify(message.blocks)).toContain(
      'more sections do not fit in one message; read the rest in RUN-001',
    );
  });

  it('escapes user text: a title of <!channel> pings nobody', () => {
    const step = makeStep({
      title: '<!channel> test',
      body: 'ping <@U0EVERYONE> & <!here>',
      checks: [
        makeCheck(0, { text: '<!channel> test', checked: true, checkedBy: 'U0A', checkedAt: TICKED_AT }),
      ],
    });
    const message = stepMessage(step, CTX);
    // plain_text (the checkbox label) is never parsed for mentions and is shown literally.
    const [box] = checkboxes(message.blocks);
    expect(box?.element.options?.[0]?.text).toEqual({ type: 'plain_text', text: '<!channel> test' });
    const json = JSON.stringify(message, (_key, value) => (value?.type === 'plain_text' ? undefined : value));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<!here>');
    expect(json).not.toContain('<@U0EVERYONE>');
    expect(json).toContain('&lt;!channel&gt; test');
  });
});

describe('stepMessage, other states', () => {
  it('done: one line with who and when, and Reopen', () => {
    const step = makeStep({
      state: 'done',
      completedBy: 'U0ALICE',
      completedAt: TICKED_AT,
      checks: makeChecks(2),
    });
    expect(stepMessage(step, CTX)).toEqual({
      text: '✅ Step 2 of 5: Check the pool — done',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: `✅ *Step 2 of 5* · Check the pool — done by <@U0ALICE> <!date^${TICKED_UNIX}^{date_short_pretty} {time}|2026-11-22 10:07 UTC>`,
          },
          accessory: {
            type: 'button',
            action_id: ACTIONS.reopenStep,
            text: { type: 'plain_text', text: 'Reopen' },
            value: '42',
          },
        },
      ],
    });
  });

  it('skipped: who and the escaped reason, and Reopen', () => {
    const step = makeStep({ state: 'skipped', skippedBy: 'U0BOB', skipReason: 'Pool already <50%' });
    const message = stepMessage(step, CTX);
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '⏭️ *Step 2 of 5* · Check the pool — skipped by <@U0BOB>: Pool already &lt;50%',
        },
        accessory: {
          type: 'button',
          action_id: ACTIONS.reopenStep,
          text: { type: 'plain_text', text: 'Reopen' },
          value: '42',
        },
      },
    ]);
    expectValidMessage(message);
  });

  it('pending: one line, up next', () => {
    expect(stepMessage(makeStep({ state: 'pending' }), CTX)).toEqual({
      text: 'Step 2 of 5: Check the pool — up next',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Step 2 of 5* · Check the pool — up next' } },
      ],
    });
  });

  it('keeps every state within limits with a 500-character title and a huge reason', () => {
    const base = { title: '<&>'.repeat(170), completedBy: 'U0A', completedAt: DECLARED_AT, skippedBy: 'U0A' };
    for (const state of ['pending', 'active', 'done', 'skipped'] as const) {
      const message = stepMessage(makeStep({ ...base, state, skipReason: '&'.repeat(5000) }), CTX);
      expectValidMessage(message);
      expect(JSON.stringify(message)).not.toMatch(/<&>/);
    }
  });
});

describe('checklistMessage', () => {
  it('renders prerequisites with a heading, counts and boxes, and no skip button', () => {
    const step = makeStep({
      section: 'prerequisites',
      number: null,
      title: 'Prerequisites',
      checks: [
        makeCheck(0, { text: 'VPN access', checked: true, checkedBy: 'U0ALICE', checkedAt: TICKED_AT }),
        makeCheck(1, { text: 'Read access to the DB' }),
      ],
    });
    const ticked = { text: { type: 'plain_text', text: 'VPN access' }, value: '0' };
    expect(checklistMessage(step)).toEqual({
      text: 'Prerequisites: 1 of 2 done',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Prerequisites* · 1 of 2 done' } },
        {
          type: 'actions',
          block_id: 'checks:42:0',
          elements: [
            {
              type: 'checkboxes',
              action_id: ACTIONS.toggleChecks,
              options: [ticked, { text: { type: 'plain_text', text: 'Read access to the DB' }, value: '1' }],
              initial_options: [ticked],
            },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: `Last: <@U0ALICE> ticked “VPN access” <!date^${TICKED_UNIX}^{date_short_pretty} {time}|2026-11-22 10:07 UTC>`,
            },
          ],
        },
      ],
    });
  });

  it('names each section and marks a complete list', () => {
    const headings = (['process', 'resolution', 'post_incident'] as const).map(
      (section) => checklistMessage(makeStep({ section, runbookId: null, checks: makeChecks(1) })).blocks[0],
    );
    expect(headings).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Incident process (RUN-000)* · 0 of 1 process checks done' },
      },
      { type: 'section', text: { type: 'mrkdwn', text: '*Resolution verification* · 0 of 1 done' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Post-incident follow-up* · 0 of 1 done' } },
    ]);
    const done = checklistMessage(
      makeStep({
        section: 'resolution',
        checks: [makeCheck(0, { checked: true, checkedBy: 'U0A', checkedAt: TICKED_AT })],
      }),
    );
    expect(done.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '✅ *Resolution verification* · 1 of 1 done' },
    });
    expect(JSON.stringify(done.blocks)).not.toContain(ACTIONS.skipStep);
  });

  it('leaves initial_options out when nothing is ticked and splits 23 checks 10/10/3', () => {
    const message = checklistMessage(makeStep({ section: 'post_incident', checks: makeChecks(23) }));
    expectValidMessage(message);
    const boxes = checkboxes(message.blocks);
    expect(boxes.map((b) => b.element.options.length)).toEqual([10, 10, 3]);
    for (const box of boxes) expect(box.element).not.toHaveProperty('initial_options');
  });

  it('handles an empty list and huge lists within limits', () => {
    expectValidMessage(checklistMessage(makeStep({ section: 'prerequisites', checks: [] })));
    const huge = checklistMessage(
      makeStep({ section: 'post_incident', body: 'y'.repeat(200_000), checks: makeChecks(600) }),
    );
    expectValidMessage(huge);
    expect(JSON.stringify(huge.blocks)).toMatch(/\d+ more checks do not fit in one message/);
  });
});
