import { describe, expect, it } from 'vitest';
import { readOnlyStepMessage } from '../../src/slack/blocks/readOnlyStep.ts';
import { expectValidMessage, makeCheck, makeStep } from './fixtures.ts';

const RESOLVED = { by: 'U0RESOLVE1', at: '2026-11-22T11:00:00.000Z' };
const RESOLVED_TOKEN = `<!date^${Date.parse(RESOLVED.at) / 1000}^{date_short_pretty} {time}|2026-11-22 11:00 UTC>`;
const LABEL = { index: 2, total: 5, runbookId: 'RUN-001' };
const NOTE = `🔒 Read-only: incident #7 was resolved by <@U0RESOLVE1> ${RESOLVED_TOKEN}. Reopen it with \`/incident status investigating\` to work on its steps again.`;

const lines = (step: Parameters<typeof readOnlyStepMessage>[1]) => {
  const message = readOnlyStepMessage({ id: 7 }, step, LABEL, RESOLVED);
  expectValidMessage(message);
  return message.blocks?.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : JSON.stringify(b)));
};

describe('readOnlyStepMessage', () => {
  it('a done step: who did it, when, and the read-only note; no buttons', () => {
    const step = makeStep({
      state: 'done',
      completedBy: 'U0ALICE001',
      completedAt: '2026-11-22T10:30:00.000Z',
    });
    expect(lines(step)).toEqual([
      `✅ *Step 2 of 5 of RUN-001* · Check the pool — done by <@U0ALICE001> <!date^${Date.parse('2026-11-22T10:30:00.000Z') / 1000}^{date_short_pretty} {time}|2026-11-22 10:30 UTC>`,
      JSON.stringify({ type: 'context', elements: [{ type: 'mrkdwn', text: NOTE }] }),
    ]);
  });

  it('a skipped step keeps its reason; an unfinished one says how many checks were ticked', () => {
    expect(lines(makeStep({ state: 'skipped', skippedBy: 'U0BOB00001', skipReason: 'no <VPN>' }))?.[0]).toBe(
      '⏭️ *Step 2 of 5 of RUN-001* · Check the pool — skipped by <@U0BOB00001>: no &lt;VPN&gt;',
    );
    const active = makeStep({ checks: [makeCheck(0, { checked: true }), makeCheck(1)] });
    expect(lines(active)?.[0]).toBe(
      '⏹️ *Step 2 of 5 of RUN-001* · Check the pool — not done (1 of 2 checks ticked)',
    );
  });

  it('a checklist (RUN-000 process) says how many of its checks were ticked', () => {
    const process = makeStep({
      section: 'process',
      runbookId: 'RUN-000',
      checks: [makeCheck(0), makeCheck(1)],
    });
    expect(lines(process)?.[0]).toBe('⏹️ *Incident process (RUN-000)* — 0 of 2 checked');
  });
});
