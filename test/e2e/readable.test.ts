import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IC, startTestBot, type TestBot } from './testBot.ts';

let t: TestBot;
beforeEach(async () => {
  t = await startTestBot();
});
afterEach(async () => {
  await t.stop();
});

describe('what responders read shows names and live dates', () => {
  it('the header ticks with an {ago} token and keeps a title with `*` bold; the timeline shows mentions', async () => {
    const { incident, channel } = await t.declare('declare P1 p99 *very* high on checkout');
    await t.command(`commander <@${IC}|ic>`, { channel_id: channel, user_id: IC });

    const [header] = t.slack.messages(channel);
    const declaredUnix = Math.floor(Date.parse(incident.declaredAt) / 1000);
    const headerText = JSON.stringify(header?.blocks);
    expect(headerText).toContain(`*Elapsed*\\n<!date^${declaredUnix}^started {ago}|`);
    expect(headerText).toContain('*p99 \u2217very\u2217 high on checkout*');

    const before = t.slack.messages(channel).length;
    await t.command('timeline', { channel_id: channel, user_id: IC });
    const posted = t.slack.messages(channel).slice(before);
    expect(posted).toHaveLength(1);
    const timeline = JSON.stringify(posted[0]?.blocks);
    expect(timeline).toContain(`<@${IC}> is the incident commander`);
    expect(timeline).not.toContain('&lt;@');
    expect(timeline).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('one open incident is "1 open incident"', async () => {
    await t.declare('declare P2 Search is slow');
    const res = await t.command('list');
    expect((JSON.parse(res.text) as { text: string }).text).toBe('1 open incident');
  });
});
