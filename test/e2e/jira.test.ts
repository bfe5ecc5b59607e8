import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeJira, JIRA_EMAIL, JIRA_PROJECT, JIRA_TOKEN, startFakeJira } from '../support/fakeJira.ts';
import { fixture } from '../support/webhooks.ts';
import { IC, startTestBot, type TestBot } from './testBot.ts';

const SECRET = 'jira-webhook-secret-0123';
let jira: FakeJira;
let t: TestBot;

beforeEach(async () => {
  jira = await startFakeJira();
  t = await startTestBot({
    env: {
      JIRA_BASE_URL: jira.url,
      JIRA_EMAIL,
      JIRA_API_TOKEN: JIRA_TOKEN,
      JIRA_PROJECT,
      JIRA_WEBHOOK_SECRET: SECRET,
    },
  });
});

afterEach(async () => {
  await t.stop();
  await jira.close();
});

async function settle(incidentId: number) {
  for (let round = 0; round < 5; round++) {
    await t.bot.jobs.runIncident(incidentId);
    if ((await t.bot.store.jobs.wakeRetrying()) === 0) break;
  }
  await t.bot.jobs.idle();
}

/** Jira's `jira:issue_updated` delivery (a recorded one), for `key` moved to `status` in `category`. */
async function issueUpdated(key: string, status: string, category: string, secret = SECRET) {
  const event = JSON.parse(fixture('jira/issue-updated-status.json')) as {
    issue: {
      key: string;
      fields: { status: { name: string; statusCategory: { key: string; name: string } } };
    };
  };
  event.issue.key = key;
  event.issue.fields.status.name = status;
  event.issue.fields.status.statusCategory.key = category;
  const body = JSON.stringify(event);
  const res = await fetch(`${t.url}/webhooks/jira`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('follow-ups in Jira Cloud', () => {
  it('files one issue per follow-up (also when the create answer is lost), and Done marks the follow-up done', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    jira.failNext('POST', 503);
    jira.loseNextCreate();
    await t.command('followup Alert on pool usage at 70% <@U0RESPOND1|bob> 2026-12-01', {
      channel_id: channel,
      user_id: IC,
    });
    await settle(incident.id);

    // 503 (nothing made), then made but the answer lost (504), then found by its label: one issue.
    expect(jira.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([503, 504]);
    expect(jira.issues.map((i) => [i.key, i.summary, i.issuetype, i.labels, i.duedate])).toEqual([
      [
        'OPS-41',
        'Alert on pool usage at 70%',
        'Task',
        [
          'incident-followup',
          `incident-bot-followup-${(await t.bot.store.followups.listForIncident(incident.id))[0]?.id}`,
        ],
        '2026-12-01',
      ],
    ]);
    const text = JSON.stringify(jira.issues[0]?.description);
    expect(text).toContain(`Follow-up of incident #${incident.id} (P1): Database connection pool exhausted`);
    expect(text).toContain('- Owner: Slack user U0RESPOND1');
    const link = `https://slack.com/app_redirect?channel=${channel}`;
    expect(text).toContain(
      `{"type":"text","text":"${link}","marks":[{"type":"link","attrs":{"href":"${link}"}}]}`,
    );
    const basic = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_TOKEN}`).toString('base64')}`;
    for (const request of jira.requests) expect(request.headers.authorization).toBe(basic);
    expect(jira.problems).toEqual([]);
    const [followup] = await t.bot.store.followups.listForIncident(incident.id);
    expect(await t.bot.store.externalRefs.get('jira', `followup:${followup?.id}`)).toMatchObject({
      remoteId: 'OPS-41',
      url: `${jira.url}/browse/OPS-41`,
    });

    expect((await issueUpdated('OPS-41', 'Done', 'done', 'wrong-secret')).status).toBe(401);
    expect(await issueUpdated('OPS-41', 'In Progress', 'indeterminate')).toEqual({
      status: 202,
      body: { ignored: 'status is not done' },
    });
    expect(await issueUpdated('OPS-999', 'Done', 'done')).toEqual({
      status: 200,
      body: { ignored: 'not a follow-up issue' },
    });
    const overdue = () => t.bot.store.followups.listOverdue('2099-01-01', new Date(Date.now() + 86_400_000));
    expect((await overdue()).map((f) => f.id)).toEqual([followup?.id]);
    // A workflow may call its final status anything: the Done category is what counts.
    expect(await issueUpdated('OPS-41', 'Shipped', 'done')).toEqual({
      status: 200,
      body: { followupDone: followup?.id },
    });
    expect((await t.bot.store.followups.listForIncident(incident.id))[0]?.doneAt).not.toBeNull();
    expect(await overdue()).toEqual([]);

    // The post-mortem's action items link the Jira issue.
    await t.command('resolve pool back to normal', { channel_id: channel, user_id: IC });
    await t.command('postmortem', { channel_id: channel, user_id: IC });
    expect(t.slack.files()[0]?.uploadedBody).toContain(
      `- [x] Alert on pool usage at 70% -> <@U0RESPOND1> -> 2026-12-01 -> [OPS-41](${jira.url}/browse/OPS-41)`,
    );
  });
});
