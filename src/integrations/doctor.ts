import type { Config } from '../config.ts';
import type { IntegrationCheck } from './checks.ts';
import { GitHubIssues } from './github.ts';
import { jiraChecks } from './jiraDoctor.ts';
import { PagerDutyApi } from './pagerduty.ts';
import { StatuspageApi } from './statuspage.ts';

/** The shape of a doctor line (src/doctor.ts): what was checked, whether it passed, and what to do if not. */
export type { IntegrationCheck } from './checks.ts';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** A variable of the pair set without the other: the integration stays off, which is rarely meant. */
function half(env: NodeJS.ProcessEnv, name: string, set: string, missing: string): IntegrationCheck | null {
  if (!env[set]?.trim() || env[missing]?.trim()) return null;
  return {
    name,
    ok: false,
    detail: `${set} is set but ${missing} is not: the integration is off`,
    fix: `set ${missing}`,
  };
}

/** Each configured integration: its token is valid and its page, repository or project is reachable. */
export async function integrationChecks(config: Config, env: NodeJS.ProcessEnv): Promise<IntegrationCheck[]> {
  const checks: IntegrationCheck[] = [];
  for (const check of [
    half(env, 'PagerDuty', 'PAGERDUTY_API_TOKEN', 'PAGERDUTY_FROM_EMAIL'),
    half(env, 'Statuspage', 'STATUSPAGE_API_KEY', 'STATUSPAGE_PAGE_ID'),
    half(env, 'GitHub Issues', 'GITHUB_TOKEN', 'GITHUB_REPOSITORY'),
  ])
    if (check) checks.push(check);
  if (config.pagerduty) {
    try {
      const name = await new PagerDutyApi(config.pagerduty).whoAmI();
      checks.push({ name: 'PagerDuty', ok: true, detail: `token valid; changes are made as ${name}` });
    } catch (error) {
      checks.push({
        name: 'PagerDuty',
        ok: false,
        detail: message(error),
        fix: 'create a REST API key (Integrations > API Access Keys, not read-only) and set PAGERDUTY_API_TOKEN; PAGERDUTY_FROM_EMAIL must be a user of the account',
      });
    }
  }
  if (config.statuspage) {
    try {
      const page = await new StatuspageApi(config.statuspage).page();
      checks.push({ name: 'Statuspage', ok: true, detail: `key valid; page "${page.name}" reachable` });
    } catch (error) {
      checks.push({
        name: 'Statuspage',
        ok: false,
        detail: message(error),
        fix: 'copy the API key and the page ID from Statuspage (your avatar > API info) into STATUSPAGE_API_KEY and STATUSPAGE_PAGE_ID',
      });
    }
  }
  if (config.github) {
    try {
      const repo = await new GitHubIssues(config.github).repository();
      checks.push(
        repo.canPush
          ? {
              name: 'GitHub Issues',
              ok: true,
              detail: `token valid; ${repo.fullName} reachable and writable`,
            }
          : {
              name: 'GitHub Issues',
              ok: false,
              detail: `${repo.fullName} is readable but the token cannot write issues`,
              fix: `give the token Issues: read and write on ${repo.fullName}`,
            },
      );
    } catch (error) {
      checks.push({
        name: 'GitHub Issues',
        ok: false,
        detail: message(error),
        fix: 'set GITHUB_TOKEN to a token with Issues: read and write on GITHUB_REPOSITORY (owner/name)',
      });
    }
    if (!config.githubWebhookSecret)
      checks.push({
        name: 'GitHub webhook',
        ok: false,
        detail: 'GITHUB_WEBHOOK_SECRET is not set: closing an issue does not mark its follow-up done',
        fix: 'add an issues webhook to the repository pointing at /webhooks/github with a secret, and set GITHUB_WEBHOOK_SECRET to it',
      });
  }
  checks.push(...(await jiraChecks(config, env)));
  return checks;
}
