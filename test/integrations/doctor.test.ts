import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { integrationChecks } from '../../src/integrations/doctor.ts';
import { type FakeGitHub, GH_REPO, GH_TOKEN, startFakeGitHub } from '../support/fakeGitHub.ts';
import { JIRA_EMAIL, JIRA_PROJECT, JIRA_TOKEN, startFakeJira } from '../support/fakeJira.ts';
import { type FakePagerDuty, PD_API_TOKEN, PD_FROM, startFakePagerDuty } from '../support/fakePagerDuty.ts';
import { type FakeStatuspage, SP_PAGE, startFakeStatuspage } from '../support/fakeStatuspage.ts';

let pd: FakePagerDuty;
let sp: FakeStatuspage;
let gh: FakeGitHub;
beforeAll(async () => {
  [pd, sp, gh] = await Promise.all([startFakePagerDuty(), startFakeStatuspage(), startFakeGitHub()]);
});
afterAll(async () => {
  await Promise.all([pd.close(), sp.close(), gh.close()]);
});

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };

describe('doctor: integrations', () => {
  it('reports each configured integration: valid tokens, reachable targets, and a fix line for the rest', async () => {
    const env = {
      ...SLACK,
      PAGERDUTY_API_TOKEN: PD_API_TOKEN,
      PAGERDUTY_FROM_EMAIL: PD_FROM,
      PAGERDUTY_API_URL: pd.url,
      STATUSPAGE_API_KEY: 'revoked-key',
      STATUSPAGE_PAGE_ID: SP_PAGE,
      STATUSPAGE_API_URL: sp.url,
      GITHUB_TOKEN: GH_TOKEN,
      GITHUB_REPOSITORY: GH_REPO,
      GITHUB_API_URL: gh.url,
    };
    const checks = await integrationChecks(loadConfig(env), env);
    expect(checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
      ['PagerDuty', true, 'token valid; changes are made as Oncall Bot'],
      ['Statuspage', false, 'Statuspage answered 401 to read the page: {"error":"Unauthorized"}'],
      ['GitHub Issues', true, `token valid; ${GH_REPO} reachable and writable`],
      [
        'GitHub webhook',
        false,
        'GITHUB_WEBHOOK_SECRET is not set: closing an issue does not mark its follow-up done',
      ],
    ]);
    expect(checks[1]?.fix).toMatch(/STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID/);
  });

  it('names the missing half of a pair, and checks nothing that is not configured', async () => {
    const env = { ...SLACK, PAGERDUTY_API_TOKEN: PD_API_TOKEN };
    expect(await integrationChecks(loadConfig(env), env)).toEqual([
      {
        name: 'PagerDuty',
        ok: false,
        detail: 'PAGERDUTY_API_TOKEN is set but PAGERDUTY_FROM_EMAIL is not: the integration is off',
        fix: 'set PAGERDUTY_FROM_EMAIL',
      },
    ]);
    expect(await integrationChecks(loadConfig(SLACK), SLACK)).toEqual([]);
  });
});

describe('doctor: Jira', () => {
  it('checks the token and the project, and names the fix when the project is not there', async () => {
    const jira = await startFakeJira();
    try {
      const env = {
        ...SLACK,
        JIRA_BASE_URL: jira.url,
        JIRA_EMAIL,
        JIRA_API_TOKEN: JIRA_TOKEN,
        JIRA_PROJECT,
        JIRA_WEBHOOK_SECRET: 'secret',
      };
      expect(await integrationChecks(loadConfig(env), env)).toEqual([
        {
          name: 'Jira follow-ups',
          ok: true,
          detail: 'token valid (Incident Bot); project OPS "Operations" reachable',
        },
      ]);
      const wrong = { ...env, JIRA_PROJECT: 'NOPE', JIRA_WEBHOOK_SECRET: '' };
      const checks = await integrationChecks(loadConfig(wrong), wrong);
      expect(checks.map((c) => [c.name, c.ok, c.detail])).toEqual([
        [
          'Jira follow-ups',
          false,
          `Jira answered 404 to read the project: {"errorMessages":["No project could be found with key 'NOPE'."],"errors":{}}`,
        ],
        [
          'Jira webhook',
          false,
          'JIRA_WEBHOOK_SECRET is not set: moving an issue to Done does not mark its follow-up done',
        ],
      ]);
      expect(checks[0]?.fix).toContain('Browse projects and Create issues in NOPE');
      expect(jira.problems).toEqual([]);
    } finally {
      await jira.close();
    }
  });

  it('names the missing Jira variables when only some are set', async () => {
    const env = { ...SLACK, JIRA_BASE_URL: 'https://acme.atlassian.net', JIRA_PROJECT: 'OPS' };
    expect(await integrationChecks(loadConfig(env), env)).toEqual([
      {
        name: 'Jira follow-ups',
        ok: false,
        detail: 'JIRA_BASE_URL, JIRA_PROJECT set but JIRA_EMAIL, JIRA_API_TOKEN not: the integration is off',
        fix: 'set JIRA_EMAIL, JIRA_API_TOKEN',
      },
    ]);
  });
});
