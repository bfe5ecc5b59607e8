import { afterEach, describe, expect, it } from 'vitest';
import { RUNBOOK_REVIEW } from '../../src/scheduler/handlers/runbookReview.ts';
import { ACTIONS } from '../../src/slack/ids.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick } from '../support/slackRequests.ts';
import { OTHER, startTestBot, TEST_POLICY, type TestBot } from './testBot.ts';

const ADMIN = 'U0ADMIN001';
const BACKEND = 'U0BACKEND1';
const PLATFORM = 'S0PLATFORM';
const REVIEW = 'C0REVIEW01';
const POLICY = `${TEST_POLICY}
review_interval: 30d
admins: [${ADMIN}]
review: { day: mon, hour: 10, channel: ${REVIEW} }
owners: { Backend Team: ${BACKEND}, Platform Team: ${PLATFORM} }
`;
/** No owner and no Last Tested: listed in the review channel as never tested. */
const UNTESTED = `# RUN-099: Cache Stampede
Category: Incident

## Procedure

### Step 1: Warm the cache

Commands:

\`\`\`bash
cache-warm --all
\`\`\`

Verification:
- [ ] Hit rate above 90%
`;

// Sunday noon; the review is due Monday 10:00 UTC. With review_interval 30d, of the shipped runbooks
// RUN-002 (2026-10-28), RUN-004 (2026-10-21) and RUN-009 (2026-10-30) are past their review date then.
const SUNDAY = Date.parse('2026-11-29T12:00:00.000Z');
const MONDAY = Date.parse('2026-11-30T10:00:00.000Z');
let clock = SUNDAY;
let t: TestBot;
afterEach(async () => {
  await t?.stop();
});

async function start() {
  clock = SUNDAY;
  t = await startTestBot({
    policy: POLICY,
    runbooks: { 'RUN-099-cache-stampede.md': UNTESTED },
    now: () => new Date(clock),
    env: { SCHEDULER_TICK_SECONDS: '3600' },
  });
}

/** The review reminders posted so far, as [channel, the runbooks listed]. */
function reminders(): [string, string[]][] {
  return t.slack
    .allMessages()
    .filter((m) => m.text.startsWith('Weekly runbook review'))
    .map((m) => [
      m.channel,
      (m.blocks ?? []).flatMap((b) => {
        const accessory = (b as { accessory?: { action_id?: string; value?: string } }).accessory;
        return accessory?.action_id === ACTIONS.startDrill ? [accessory.value as string] : [];
      }),
    ]);
}

/** Does every runbook step of a drill as written, in order: a drill counts as a test only when finished. */
async function completeEveryStep(incidentId: number): Promise<void> {
  for (const { id } of (await t.bot.service.steps(incidentId)).filter((s) => s.section === 'step')) {
    const step = await t.bot.service.step(id);
    if (step.checks.length === 0) await t.bot.steps.markStepDone({ stepId: id, actor: BACKEND });
    else {
      const all = step.checks.map((c) => String(c.position));
      await t.bot.steps.toggleChecks({ stepId: id, seen: [], selected: all, actor: BACKEND });
    }
  }
  const left = (await t.bot.service.steps(incidentId)).filter(
    (s) => s.section === 'step' && s.state !== 'done',
  );
  expect(left).toEqual([]);
}

async function pendingReviews() {
  return (await t.bot.store.periodicTimers.pending(RUNBOOK_REVIEW)).map((r) => r.dueAt);
}

function ackText(result: { text: string }): string {
  return (JSON.parse(result.text) as { text: string }).text;
}

describe('the weekly runbook review', () => {
  it('posts exactly the stale runbooks to their owners, once a week, across restarts', async () => {
    await start();
    expect(await pendingReviews()).toEqual(['2026-11-30T10:00:00.000Z']);

    // A drill of RUN-004 done to the end counts as a test; a drill of RUN-001 skips a step: the runbook was
    // unclear there.
    await t.command('drill RUN-004');
    const drill4 = (await t.bot.service.listOpen()).at(-1);
    await completeEveryStep(drill4?.id as number);
    await t.command('resolve drilled', { channel_id: drill4?.channelId as string });
    await t.command('drill RUN-001');
    const drill1 = (await t.bot.service.listOpen()).at(-1);
    const step = (await t.bot.service.steps(drill1?.id as number)).find(
      (s) => s.section === 'step' && s.number === 2,
    );
    await t.bot.steps.skipStep({
      stepId: step?.id as number,
      reason: 'the command is wrong',
      actor: BACKEND,
    });
    await t.command('resolve done', { channel_id: drill1?.channelId as string });

    await t.bot.scheduler.tick();
    expect(reminders()).toEqual([]);

    clock = MONDAY + 5_000;
    await t.bot.scheduler.tick();
    expect(reminders().sort()).toEqual(
      [
        // Backend Team is a person: a DM with RUN-001 (a step skipped in a drill).
        [`D${BACKEND.slice(1)}`, ['RUN-001']],
        // Platform Team is a user group: mentioned in the review channel.
        [REVIEW, ['RUN-002', 'RUN-009']],
        // No owner in Slack (RUN-099 has none at all): listed in the review channel.
        [REVIEW, ['RUN-099']],
      ].sort(),
    );
    const dm = t.slack.messages(BACKEND)[0] as StoredMessage;
    expect(JSON.stringify(dm.blocks)).toContain('step 2');
    expect(JSON.stringify(dm.blocks)).toContain('the command is wrong');
    expect(JSON.stringify(t.slack.messages(REVIEW))).toContain(`<!subteam^${PLATFORM}>`);
    expect(await pendingReviews()).toEqual(['2026-12-07T10:00:00.000Z']);

    // Ticking again, or restarting, doubles nothing.
    await t.bot.scheduler.tick();
    await t.restart();
    await t.bot.scheduler.tick();
    expect(reminders()).toHaveLength(3);
    expect(await pendingReviews()).toEqual(['2026-12-07T10:00:00.000Z']);

    // Down over next Monday: the missed review fires once, late, at start; then the one after is planned.
    clock = Date.parse('2026-12-08T09:00:00.000Z');
    await t.restart();
    await t.bot.scheduler.tick();
    expect(reminders()).toHaveLength(6);
    expect(await pendingReviews()).toEqual(['2026-12-14T10:00:00.000Z']);
  });

  it('"Start a drill" starts the same drill as /incident drill', async () => {
    await start();
    clock = MONDAY;
    await t.bot.scheduler.tick();
    const message = t.slack.messages(REVIEW).find((m) => m.text.includes('RUN-002')) as StoredMessage;
    await t.act(OTHER, message, buttonClick(message, ACTIONS.startDrill, { value: 'RUN-002' }));
    const drill = (await t.bot.service.listOpen()).at(-1);
    expect(drill).toMatchObject({ drill: true, runbookId: 'RUN-002', declaredBy: OTHER });
    expect(drill?.title).toBe('DRILL RUN-002: Service Down');
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain(
      `Drill #${drill?.id} of RUN-002 started`,
    );
  });
});

describe('/incident doctor', () => {
  it('refuses a non-admin, answers an admin, and reports a stale scheduler', async () => {
    await start();
    const refused = ackText(await t.command('doctor', { user_id: OTHER }));
    expect(refused).toContain("is for the bot's admins");
    expect(t.slack.responses).toHaveLength(0);

    expect(ackText(await t.command('doctor', { user_id: ADMIN }))).toBe('Running the checks…');
    const answer = JSON.stringify(t.slack.responses.at(-1)?.body);
    expect(answer).toContain('"response_type":"ephemeral"');
    expect(answer).toContain('Doctor');
    expect(answer).toContain('✅ *runbooks*');
    expect(answer).toContain('✅ *scheduler*: last tick');
    expect(answer).toContain('✅ *announce channel*');

    // Four hours without a tick, with ticks due hourly: the scheduler is stuck.
    clock += 4 * 3_600_000;
    await t.command('doctor', { user_id: ADMIN });
    const stale = JSON.stringify(t.slack.responses.at(-1)?.body);
    expect(stale).toContain('❌ *scheduler*: last tick 4 h ago');
    expect(stale).toContain('more than 3 ticks of 3600s');
  });
});
