import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, GH_REPO, GH_TOKEN, startFakeGitHub } from '../support/fakeGitHub.ts';
import { IC, startTestBot, type TestBot } from './testBot.ts';

const SECRET = 'github-webhook-secret-0123';
let gh: FakeGitHub;
let t: TestBot;

beforeEach(async () => {
  gh = await startFakeGitHub();
  t = await startTestBot({
    env: {
      GITHUB_TOKEN: GH_TOKEN,
      GITHUB_REPOSITORY: GH_REPO,
      GITHUB_API_URL: gh.url,
      GITHUB_WEBHOOK_SECRET: SECRET,
    },
  });
});

afterEach(async () => {
  await t.stop();
  await gh.close();
});

async function settle(incidentId: number) {
  for (let round = 0; round < 5; round++) {
    await t.bot.jobs.runIncident(incidentId);
    if ((await t.bot.store.jobs.wakeRetrying()) === 0) break;
  }
  await t.bot.jobs.idle();
}

/** An `issues` delivery as GitHub sends it: JSON body, event header, X-Hub-Signature-256 over the raw body. */
async function issuesEvent(action: string, number: number, secret = SECRET) {
  const body = JSON.stringify({
    action,
    issue: { number, state: action === 'closed' ? 'closed' : 'open', title: 'x' },
    repository: { full_name: GH_REPO },
    sender: { login: 'octocat' },
  });
  const res = await fetch(`${t.url}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': `d-${number}-${action}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('follow-ups in GitHub Issues', () => {
  it('files one issue per follow-up, and its closed webhook marks the follow-up done', async () => {
    const { incident, channel } = await t.declare('declare P1 Database connection pool exhausted');
    gh.failNext('POST', 502);
    await t.command('followup Alert on pool usage at 70% <@U0RESPOND1|bob> 2026-12-01', {
      channel_id: channel,
      user_id: IC,
    });
    await settle(incident.id);
    expect(gh.issues.map((i) => [i.number, i.title, i.labels])).toEqual([
      [101, 'Alert on pool usage at 70%', [{ name: 'incident-followup' }]],
    ]);
    const body = gh.issues[0]?.body ?? '';
    expect(body).toContain(`Follow-up of incident #${incident.id} (P1): Database connection pool exhausted`);
    expect(body).toContain('- Owner: Slack user U0RESPOND1');
    expect(body).toContain('- Due: 2026-12-01');
    expect(body).toContain(`- Incident channel: https://slack.com/app_redirect?channel=${channel}`);
    expect(gh.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([502, 201]);
    expect(gh.requests.find((r) => r.method === 'POST')?.headers).toMatchObject({
      authorization: `token ${GH_TOKEN}`,
      accept: 'application/vnd.github.v3+json',
    });
    expect(gh.problems).toEqual([]);
    const [followup] = await t.bot.store.followups.listForIncident(incident.id);
    expect(await t.bot.store.externalRefs.get('github', `followup:${followup?.id}`)).toMatchObject({
      remoteId: `${GH_REPO}#101`,
      url: `https://github.com/${GH_REPO}/issues/101`,
    });

    expect((await issuesEvent('closed', 101, 'wrong-secret')).status).toBe(401);
    expect((await issuesEvent('reopened', 101)).status).toBe(202);
    expect(await issuesEvent('closed', 999)).toEqual({
      status: 200,
      body: { ignored: 'not a follow-up issue' },
    });
    expect((await t.bot.store.followups.listForIncident(incident.id))[0]?.doneAt).toBeNull();
    const overdue = () => t.bot.store.followups.listOverdue('2099-01-01', new Date(Date.now() + 86_400_000));
    expect((await overdue()).map((f) => f.id)).toEqual([followup?.id]);
    expect(await issuesEvent('closed', 101)).toEqual({ status: 200, body: { followupDone: followup?.id } });
    expect((await t.bot.store.followups.listForIncident(incident.id))[0]?.doneAt).not.toBeNull();
    // Reminders list only open follow-ups: this one is no longer reminded, however overdue.
    expect(await overdue()).toEqual([]);
    expect(
      (await t.bot.service.timeline(incident.id))
        .filter((e) => e.kind === 'followup_done')
        .map((e) => e.text),
    ).toEqual(['Follow-up done: Alert on pool usage at 70%']);
    // The post-mortem's action items link the issue.
    await t.command('resolve pool back to normal', { channel_id: channel, user_id: IC });
    await t.command('postmortem', { channel_id: channel, user_id: IC });
    expect(t.slack.files()[0]?.uploadedBody).toContain(
      `- [x] Alert on pool usage at 70% -> <@U0RESPOND1> -> 2026-12-01 -> [${GH_REPO}#101](https://github.com/${GH_REPO}/issues/101)`,
    );
  });
});
