import type { Config } from '../config.ts';
import type { IntegrationCheck } from './checks.ts';
import { JiraTracker } from './jira.ts';

const VARIABLES = ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'JIRA_PROJECT'] as const;
const NAME = 'Jira follow-ups';

/** Jira: all four variables or none, the token valid, the project browsable, and the webhook secret set. */
export async function jiraChecks(config: Config, env: NodeJS.ProcessEnv): Promise<IntegrationCheck[]> {
  const set = VARIABLES.filter((name) => env[name]?.trim());
  if (!config.jira) {
    if (set.length === 0) return [];
    const missing = VARIABLES.filter((name) => !set.includes(name));
    return [
      {
        name: NAME,
        ok: false,
        detail: `${set.join(', ')} set but ${missing.join(', ')} not: the integration is off`,
        fix: `set ${missing.join(', ')}`,
      },
    ];
  }
  const checks: IntegrationCheck[] = [];
  const jira = new JiraTracker(config.jira);
  try {
    const user = await jira.whoAmI();
    const project = await jira.project();
    checks.push({
      name: NAME,
      ok: true,
      detail: `token valid (${user}); project ${project.key} "${project.name}" reachable`,
    });
  } catch (error) {
    checks.push({
      name: NAME,
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
      fix: `create an API token for ${config.jira.email} (https://id.atlassian.com/manage-profile/security/api-tokens) and set JIRA_API_TOKEN; that account needs Browse projects and Create issues in ${config.jira.project}`,
    });
  }
  if (config.github)
    checks.push({
      name: NAME,
      ok: false,
      detail: 'both Jira and GitHub Issues are configured: follow-ups go to Jira only',
      fix: 'unset GITHUB_TOKEN and GITHUB_REPOSITORY, or the JIRA_* variables, to choose one tracker',
    });
  if (!config.jiraWebhookSecret)
    checks.push({
      name: 'Jira webhook',
      ok: false,
      detail: 'JIRA_WEBHOOK_SECRET is not set: moving an issue to Done does not mark its follow-up done',
      fix: 'add a webhook (System > WebHooks, event Issue updated, JQL labels = incident-followup) pointing at /webhooks/jira with a secret, and set JIRA_WEBHOOK_SECRET to it',
    });
  return checks;
}
