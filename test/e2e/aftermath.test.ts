import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { ACTIONS, VIEWS } from '../../src/slack/ids.ts';
import { readDrills } from '../../src/store/inspect.ts';
import type { StoredMessage } from '../support/fakeSlack.ts';
import {
  buttonClick,
  checkboxChange,
  findElement,
  inputValue,
  interaction,
  viewSubmissionPayload,
} from '../support/slackRequests.ts';
import {
  ANNOUNCE,
  DECLARER,
  ESCALATIONS,
  IC,
  LEADS,
  OTHER,
  SECRET,
  startTestBot,
  type TestBot,
} from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

function declare(text = 'declare P1 Database connection pool exhausted') {
  return t.declare(text);
}

describe('after resolution', () => {
  it('schedules the post-mortem, drafts it from the timeline as a file, records follow-ups, and closes when done', async () => {
    const { incident, channel } = await declare();
    await t.command('commander <@U0COMMAND1|ic>', { channel_id: channel });
    await t.command('followup Alert on pool usage at 70% <@U0RESPOND1|bob> 2026-12-01', {
      channel_id: channel,
      user_id: IC,
    });
    expect(JSON.stringify(t.slack.messages(channel).at(-1))).toContain('Alert on pool usage at 70%');
    await t.command('resolve pool back to normal', { channel_id: channel, user_id: IC });

    const scheduled = t.slack.messages(channel).find((m) => m.text === 'Post-mortem scheduled');
    expect(JSON.stringify(scheduled?.blocks)).toContain('<!date^');
    const due = (await t.bot.store.postmortems.get(incident.id))?.dueAt;
    expect(Date.parse(due ?? '') - Date.parse((await t.bot.service.get(incident.id)).resolvedAt ?? '')).toBe(
      48 * 3_600_000,
    );

    await t.command('postmortem', { channel_id: channel, user_id: IC });
    const [file] = t.slack.files();
    expect(file).toMatchObject({
      filename: `postmortem-incident-${incident.id}.md`,
      channels: [channel],
      completed: true,
    });
    const body = file?.uploadedBody ?? '';
    expect(body).toContain(`# Post-mortem: incident #${incident.id} — Database connection pool exhausted`);
    expect(body).toContain('Declared P1: Database connection pool exhausted');
    expect(body).toContain('- [ ] Alert on pool usage at 70% -> <@U0RESPOND1> -> 2026-12-01');
    expect(body.indexOf('Declared P1')).toBeLessThan(body.indexOf('is the incident commander'));
    // People by mention and times written out or as date tokens: the "Post-mortem due" entry included.
    expect(body).toContain(`- **Incident commander:** <@${IC}>`);
    expect(body).toMatch(/\| Post-mortem due \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    await t.command('postmortem done <https://wiki.example.com/pm/1>', { channel_id: channel, user_id: IC });
    expect((await t.bot.service.get(incident.id)).status).toBe('closed');
    expect(await t.bot.store.postmortems.get(incident.id)).toMatchObject({
      documentUrl: 'https://wiki.example.com/pm/1',
      doneBy: IC,
    });
    expect(JSON.stringify(t.slack.messages(channel).at(-1))).toContain('is closed');
  });

  it('refuses to close the post-mortem of an incident that is not resolved', async () => {
    const { channel } = await declare();
    await t.command('postmortem done https://wiki.example.com/pm/2', { channel_id: channel });
    expect(JSON.stringify(t.slack.responses.at(-1)?.body)).toContain('Resolve it first');
  });

  it('reports MTTA and MTTR per severity', async () => {
    const { channel } = await declare();
    await t.command('commander <@U0COMMAND1>', { channel_id: channel });
    const res = await t.command('stats 7d');
    expect(res.text).toContain('Response times, last 7 days');
    expect(res.text).toMatch(
      /\*P1\* · 1 incident · MTTD — · MTTA \d+ s \(1 acknowledged\) · MTTM — · MTTR — \(0 resolved\)/,
    );
  });
});

/** Skips step `n` of the walk in `channel` through its Skip button and the reason form, as OTHER. */
async function skipStepOf(channel: string, n: number, reason: string): Promise<void> {
  const step = t.slack
    .messages(channel)
    .find((m) => m.text.startsWith(`Step ${n}`) && findElement(m.blocks, ACTIONS.skipStep));
  if (!step) throw new Error(`no step ${n} with a Skip button in ${channel}`);
  await t.act(OTHER, step, buttonClick(step, ACTIONS.skipStep));
  const form = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
  await interaction(
    t.url,
    SECRET,
    viewSubmissionPayload({
      user: OTHER,
      view: {
        callback_id: VIEWS.skipStep,
        private_metadata: form.private_metadata,
        state: { values: { skip_reason: { reason: inputValue.plainText(reason) } } },
      },
    }),
  );
}

describe('drills', () => {
  it('reports an empty drill honestly, and it does not count as a test of the runbook', async () => {
    await t.command('drill RUN-001');
    const drill = (await t.bot.service.listOpen())[0];
    const channel = drill?.channelId as string;
    await t.command('resolve', { channel_id: channel });
    const report = JSON.stringify(t.slack.messages(channel).at(-1));
    expect(report).toContain('*0 of 4 steps completed, 0 skipped, 4 not done.* Nothing was done');
    expect(report).toContain('does not count as a test of the runbook');
    expect(report).not.toContain('Every step was done');
    expect(readDrills(t.dbPath)).toEqual(new Map());
  });

  it('runs a runbook in a DRILL channel: nobody paged, targets named not mentioned, a report at the end', async () => {
    await t.command('drill RUN-001');
    const drill = (await t.bot.service.listOpen())[0];
    expect(drill).toMatchObject({ drill: true, runbookId: 'RUN-001' });
    const channel = drill?.channelId as string;
    expect(drill?.channelName).toMatch(/^drill-\d{8}-1-run-001-database-connection-pool-exhaustion$/);
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining([DECLARER]));
    expect(t.slack.members(channel)).not.toContain(IC);
    expect(t.slack.messages(ANNOUNCE)).toEqual([]);

    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.escalate(DECLARER, header, ['data_breach']);
    // Not one call anywhere mentions or invites a real escalation target.
    const everything = JSON.stringify(t.slack.calls.map((c) => c.args));
    for (const person of [...LEADS, 'U0LEGAL001']) expect(everything).not.toContain(person);
    expect(everything).not.toContain('<!subteam^');
    expect(t.slack.messages(ESCALATIONS)).toEqual([]);
    expect(JSON.stringify(t.slack.messages(channel).at(-1))).toContain(
      'DRILL: this would escalate to Leadership, Legal',
    );

    const step = t.slack
      .messages(channel)
      .find((m) => m.text.startsWith('Step 1') && findElement(m.blocks, ACTIONS.toggleChecks));
    if (!step) throw new Error('no step');
    await t.act(OTHER, step, buttonClick(step, ACTIONS.skipStep));
    const skip = t.slack.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    await interaction(
      t.url,
      SECRET,
      viewSubmissionPayload({
        user: OTHER,
        view: {
          callback_id: VIEWS.skipStep,
          private_metadata: skip.private_metadata,
          state: {
            values: { skip_reason: { reason: inputValue.plainText('step 1 does not say which database') } },
          },
        },
      }),
    );
    const second = t.slack
      .messages(channel)
      .find(
        (m) => m.text.startsWith('Step 2') && findElement(m.blocks, ACTIONS.toggleChecks),
      ) as StoredMessage;
    await t.act(OTHER, second, checkboxChange(second, ACTIONS.toggleChecks, { check: ['0'] }));
    // A drill counts as a test only when every step was completed or skipped: skip the rest.
    for (const n of [2, 3, 4]) await skipStepOf(channel, n, `step ${n} left for the next drill`);
    await t.command('resolve', { channel_id: channel });
    const report = JSON.stringify(t.slack.messages(channel).at(-1));
    expect(report).toContain('Drill finished');
    expect(report).toContain('*0 of 4 steps completed, 4 skipped.*');
    expect(report).toContain('step 1 does not say which database');
    expect(report).toContain('Last Tested: ');
    expect(await t.bot.store.postmortems.get(drill?.id as number)).toBeNull();

    // The linter now counts RUN-001 as tested, even with a stale Last Tested date.
    const dir = mkdtempSync(join(tmpdir(), 'drilled-'));
    try {
      writeFileSync(
        join(dir, 'RUN-001.md'),
        '# RUN-001: Pool\nOwner: X\nLast Tested: 2024-01-01\n\n## Scope\n- **Handles**: a\n- **Does NOT handle**: b\n\n## Procedure\n\n### Step 1: Check\n```bash\npsql -c "select 1"\n```\nVerification:\n- [ ] returns 1\n\n## Escalation\n- **Who to contact**: @dba\n',
      );
      const lint = (db: string) => {
        const out: string[] = [];
        process.env.DATABASE_PATH = db;
        runCli(['lint', dir], { out: (x) => out.push(x), err: (x) => out.push(x) });
        delete process.env.DATABASE_PATH;
        return out.join('');
      };
      expect(lint(join(dir, 'none.db'))).toContain('[tested] last tested');
      expect(lint(t.dbPath)).not.toContain('[tested]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
