import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/slack/ids.ts';
import { FAKE_BOT, type StoredMessage } from '../support/fakeSlack.ts';
import { buttonClick, checkboxChange, findElement } from '../support/slackRequests.ts';
import { ANNOUNCE, DECLARER, IC, LEADS, ONCALL, OTHER, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

/** The channel of the incident declared last. */
async function incidentChannel(): Promise<string> {
  const channel = (await t.bot.service.listOpen()).at(-1)?.channelId;
  if (!channel) throw new Error('no incident channel was recorded');
  return channel;
}

/** The bot's message in `channel` that holds the checkbox element of a step with this title. */
function stepMessage(channel: string, title: string): StoredMessage {
  const found = t.slack
    .messages(channel)
    .find(
      (m) =>
        JSON.stringify(m.blocks).includes(title) && findElement(m.blocks, ACTIONS.toggleChecks) !== undefined,
    );
  if (!found) throw new Error(`no step message for "${title}" in ${channel}`);
  return found;
}

/** Option values of every checkbox element of a message, across its chunks of ten. */
function checkValues(message: StoredMessage): string[] {
  return message.blocks.flatMap((block) => {
    const found = findElement([block], ACTIONS.toggleChecks);
    const options = found?.element.options;
    return Array.isArray(options) ? options.map((o: { value: string }) => o.value) : [];
  });
}

describe('declare -> walk the runbook -> resolve', () => {
  it('runs the whole incident through Slack and records every step and check', async () => {
    const res = await t.command('declare P1 Database connection pool exhausted');
    expect(res.status).toBe(200);

    // Channel: a valid name for today, the team invited, the header pinned.
    const created = t.slack.callsTo('conversations.create');
    expect(created).toHaveLength(1);
    const name = created[0]?.args.name as string;
    expect(name).toMatch(/^inc-\d{8}-1-database-connection-pool-exhausted$/);
    const channel = await incidentChannel();
    expect(t.slack.members(channel)).toEqual(expect.arrayContaining([DECLARER, IC, ...ONCALL]));
    expect(t.slack.members(channel)).not.toEqual(expect.arrayContaining(LEADS));
    const [header] = t.slack.messages(channel);
    expect(header?.pinned).toBe(true);
    expect(header?.text).toContain('Database connection pool exhausted');
    expect(JSON.stringify(header?.blocks)).toContain('<!date^');

    // Announcement with a link to the channel.
    const announced = t.slack.messages(ANNOUNCE);
    expect(announced).toHaveLength(1);
    expect(JSON.stringify(announced[0])).toContain(`<#${channel}>`);
    // The declarer hears back through response_url.
    expect(t.slack.responses.map((r) => JSON.stringify(r.body))).toEqual([
      expect.stringContaining(`<#${channel}>`),
    ]);

    const runbook = t.bot.runbooks().catalog.byId('RUN-001');
    const steps = runbook?.steps ?? [];
    expect(steps.length).toBeGreaterThanOrEqual(2);

    for (const [i, step] of steps.entries()) {
      const message = stepMessage(channel, step.title);
      expect(JSON.stringify(message.blocks)).toContain(`Step ${i + 1} of ${steps.length}`);
      const values = checkValues(message);
      expect(values).toHaveLength(step.verifications.length);
      // Tick every box, one click each, always from the message as it is now.
      for (const value of values) {
        const current = t.slack.message(channel, message.ts) as StoredMessage;
        const blockId = findElement(
          current.blocks.filter((b) => JSON.stringify(b).includes(`"value":"${value}"`)),
          ACTIONS.toggleChecks,
        )?.block.block_id;
        const click = checkboxChange(current, ACTIONS.toggleChecks, {
          check: [value],
          ...(blockId ? { blockId } : {}),
        });
        expect((await t.act(OTHER, current, click)).status).toBe(200);
      }
      const done = t.slack.message(channel, message.ts) as StoredMessage;
      expect(JSON.stringify(done.blocks)).toContain('done by');
      expect(findElement(done.blocks, ACTIONS.toggleChecks)).toBeUndefined();
    }

    // Every check and step is on the timeline with who did it.
    const incident = await t.bot.service.forChannel(channel);
    expect(incident).not.toBeNull();
    const timeline = await t.bot.service.timeline(incident?.id as number);
    const checks = steps.reduce((n, s) => n + s.verifications.length, 0);
    expect(timeline.filter((e) => e.kind === 'check' && e.actor === OTHER)).toHaveLength(checks);
    expect(timeline.filter((e) => e.kind === 'step_done')).toHaveLength(steps.length);

    // Resolve: the resolution checklist of RUN-000 and RUN-001's Post-Incident checklist are posted.
    const before = t.slack.messages(channel).length;
    expect(
      (await t.command('resolve connections back to normal', { channel_id: channel, user_id: DECLARER }))
        .status,
    ).toBe(200);
    expect((await t.bot.service.get(incident?.id as number)).status).toBe('resolved');
    const after = t.slack.messages(channel).slice(before);
    expect(after.map((m) => m.text).join('\n')).toMatch(/resolved/i);
    expect(JSON.stringify(after)).toContain(runbook?.postIncident[0]?.slice(0, 30));
    const refreshed = t.slack.message(channel, header?.ts as string);
    expect(JSON.stringify(refreshed?.blocks)).not.toContain(ACTIONS.resolve);
  });

  it('answers a bad subcommand with usage, storing nothing', async () => {
    const res = await t.command('frobnicate now');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Unknown subcommand');
    expect(res.text).toContain('/incident declare P1');
    expect(t.slack.callsTo('conversations.create')).toHaveLength(0);
    expect(await t.bot.service.listOpen()).toEqual([]);
  });

  it('answers a bad use of a known subcommand with that usage line alone, not the whole help', async () => {
    const res = await t.command('severity P7');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { text: string; blocks: unknown[] };
    expect(body.text).toBe('⚠️ Severity must be P0, P1, P2 or P3 (got "P7"). Example: /incident severity P0');
    const shown = JSON.stringify(body.blocks);
    expect(shown).toContain('`/incident severity P0..P3`');
    expect(shown).not.toContain('/incident declare');
    expect(shown).not.toContain('How to use');
  });

  it('escapes a title of <!channel> everywhere it is shown', async () => {
    await t.command('declare P2 <!channel> test');
    const channel = await incidentChannel();
    const posted = t.slack.callsTo('chat.postMessage').map((c) => JSON.stringify(c.args));
    expect(posted.length).toBeGreaterThan(2);
    for (const body of posted) expect(body).not.toContain('<!channel>');
    expect(JSON.stringify(t.slack.messages(ANNOUNCE))).toContain('&lt;!channel&gt; test');
    expect(t.slack.callsTo('conversations.create')[0]?.args.name).toMatch(/^inc-\d{8}-1-channel-test$/);
    expect(channel).toBeTruthy();
  });

  it('lets the commander claim, and refuses a resolve from anyone else (recorded)', async () => {
    await t.command('declare P1 Checkout errors');
    const channel = await incidentChannel();
    const header = t.slack.messages(channel)[0] as StoredMessage;
    await t.act(IC, header, buttonClick(header, ACTIONS.claimCommander));
    const incident = await t.bot.service.forChannel(channel);
    expect(incident?.commanderId).toBe(IC);
    expect(JSON.stringify(t.slack.message(channel, header.ts)?.blocks)).toContain(`<@${IC}>`);

    await t.command('resolve', { channel_id: channel, user_id: OTHER });
    expect((await t.bot.service.get(incident?.id as number)).status).toBe('declared');
    const refusal = t.slack.responses.at(-1);
    expect(JSON.stringify(refusal?.body)).toContain(`Only the incident commander <@${IC}>`);
    expect(
      (await t.bot.service.timeline(incident?.id as number)).filter((e) => e.kind === 'refused'),
    ).toHaveLength(1);
    expect(FAKE_BOT.userId).not.toBe(IC);
  });
});
