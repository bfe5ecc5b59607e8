import type { Audience, Policy, Role } from '../domain/policy.ts';
import { PROCESS_RUNBOOK_ID, type RunbookCatalog } from '../runbooks/catalog.ts';
import type { LintOptions } from '../runbooks/lint.ts';
import { loadRunbooks } from '../runbooks/loader.ts';
import type { Runbook, Severity } from '../runbooks/model.ts';

/**
 * What the services read from the runbook directory: the catalog and the policy. Held behind a getter so a
 * reload (SIGHUP, `/incident runbooks reload`) swaps both at once without restarting.
 */
export interface RunbookSet {
  catalog: RunbookCatalog;
  policy: Policy;
}

export function processRunbook(set: RunbookSet): Runbook | undefined {
  return set.catalog.byId(PROCESS_RUNBOOK_ID);
}

/** Users and user groups that form a severity's response team, each listed once. */
export function responseTeam(policy: Policy, severity: Severity): Required<Audience> {
  const team = policy.severities[severity].team;
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const role of Object.keys(team) as Role[]) {
    for (const u of team[role]?.users ?? []) users.add(u);
    for (const g of team[role]?.groups ?? []) groups.add(g);
  }
  return { users: [...users], groups: [...groups] };
}

/** The runbook directory cannot be used; the message names each file and line to fix. */
export class RunbookSetError extends Error {
  override readonly name = 'RunbookSetError';
}

/** Loads runbooks and policy; a broken policy stops start-up (and a reload) with the file and line. */
export function loadRunbookSet(dir: string, now: Date): RunbookSet {
  const options: LintOptions = { today: now, maxAgeDays: 90 };
  const loaded = loadRunbooks(dir, options);
  const policy = loaded.policy.policy;
  if (!policy) {
    const problems = loaded.policy.issues.map((i) => `  ${i.file}:${i.line}: ${i.message}`).join('\n');
    throw new RunbookSetError(
      `The policy in ${dir} cannot be used:\n${problems}\nFix it, then run: npx incident-bot lint ${dir}`,
    );
  }
  return { catalog: loaded.catalog, policy };
}
