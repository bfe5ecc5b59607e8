import { describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../src/doctor.ts';
import { parseRunbook } from '../../src/runbooks/parse.ts';
import type { ReviewBatch } from '../../src/runbooks/review.ts';
import { doctorMessage } from '../../src/slack/blocks/doctor.ts';
import { REVIEW_MAX_ITEMS, reviewMessage } from '../../src/slack/blocks/review.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import { expectValidMessage } from './fixtures.ts';

const runbook = (n: number) =>
  parseRunbook(`# RUN-${n}: <!channel> & ${'long title '.repeat(30)}\nOwner: Team <b>\n`, `RUN-${n}.md`)
    .runbook;

function batch(n: number, owner: ReviewBatch['owner']): ReviewBatch {
  return {
    channel: 'C0REVIEW01',
    owner,
    items: Array.from({ length: n }, (_, i) => ({
      runbook: runbook(i + 1),
      owner,
      reasons: ['never tested or drilled', `${'x'.repeat(4000)} <!here>`],
    })),
  };
}

describe('reviewMessage', () => {
  it('stays within Slack limits however many runbooks, escapes user text, and has a drill button each', () => {
    const message = reviewMessage(batch(80, { kind: 'group', id: 'S0PLATFORM', name: 'Platform' }));
    expectValidMessage(message);
    const buttons = message.blocks.filter(
      (b) =>
        b.type === 'section' &&
        b.accessory?.type === 'button' &&
        b.accessory.action_id === ACTIONS.startDrill,
    );
    expect(buttons).toHaveLength(REVIEW_MAX_ITEMS);
    expect(JSON.stringify(message.blocks)).toContain('and 35 more');
    expect(JSON.stringify(message.blocks)).toContain('<!subteam^S0PLATFORM>');
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(message.blocks)).not.toContain('<!here>');
    expectValidMessage(reviewMessage(batch(1, { kind: 'none', id: null, name: null })));
  });
});

describe('doctorMessage', () => {
  it('has a line a check, failures with their fix, within Slack limits', () => {
    const checks: DoctorCheck[] = Array.from({ length: 70 }, (_, i) =>
      i % 2
        ? { name: `check ${i}`, ok: true, detail: 'fine' }
        : { name: `check ${i}`, ok: false, detail: `broken <@U1> ${'y'.repeat(100)}`, fix: 'do this' },
    );
    const message = doctorMessage(checks);
    expectValidMessage(message);
    expect(message.text).toBe('🩺 Doctor: 35 of 70 checks failed.');
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('❌ *check 0*: broken &lt;@U1&gt;');
    expect(text).toContain('_fix:_ do this');
    expect(text).toContain('✅ *check 1*: fine');
  });
});
