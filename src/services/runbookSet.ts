import type { Audience, Policy, Role } from '../domain/policy.ts';
import { PROCESS_RUNBOOK_ID, RunbookCatalog } from '../runbooks/catalog.ts';
import type { LintOptions } from '../runbooks/lint.ts';
import { type LoadedRunbooks, loadRunbooks, preparseRunbooks } from '../runbooks/loader.ts';
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
  const { loaded, policy } = loadWithPolicy(dir, now, '');
  return { catalog: loaded.catalog, policy };
}

/** loadRunbookSet at start-up: a large folder not parsed yet (no disk cache) is parsed in worker threads first. */
export async function openRunbookSet(dir: string, now: Date): Promise<RunbookSet> {
  await preparseRunbooks(dir);
  return loadRunbookSet(dir, now);
}

/** Loads the directory; a policy that cannot be used throws, naming each problem's file and line. */
function loadWithPolicy(
  dir: string,
  now: Date,
  consequence: string,
): { loaded: LoadedRunbooks; policy: Policy } {
  const options: LintOptions = { today: now, maxAgeDays: 90 };
  const loaded = loadRunbooks(dir, options);
  const policy = loaded.policy.policy;
  if (!policy) {
    const problems = loaded.policy.issues.map((i) => `  ${i.file}:${i.line}: ${i.message}`).join('\n');
    throw new RunbookSetError(
      `The policy in ${dir} cannot be used${consequence}:\n${problems}\nFix it, then run: npx incident-bot lint ${dir}`,
    );
  }
  return { loaded, policy };
}

export interface ReloadResult {
  set: RunbookSet;
  /** `file:line: message` for each error found; empty when every file loaded cleanly. */
  problems: string[];
  /** Files that are broken now and keep the version loaded before. */
  kept: string[];
}

/**
 * Reloads runbooks and policy without a restart. A runbook file that is broken now keeps its previous
 * version, so a typo pushed during an incident never takes a runbook away from the responders; a file
 * that was deleted is dropped. A broken policy throws RunbookSetError and the caller keeps the whole
 * previous set.
 */
export function reloadRunbookSet(dir: string, now: Date, previous: RunbookSet): ReloadResult {
  const { loaded, policy } = loadWithPolicy(dir, now, ', so nothing was reloaded');
  const good = [...loaded.catalog.runbooks];
  const ids = new Set(good.map((r) => r.id.toUpperCase()));
  const kept: string[] = [];
  const problems: string[] = [];
  for (const f of loaded.files) {
    const errors = f.issues.filter((i) => i.level === 'error');
    if (errors.length === 0) continue;
    for (const e of errors) problems.push(`${e.file}:${e.line}: ${e.message}`);
    const before = previous.catalog.runbooks.find((r) => r.source.file === f.file);
    if (before && !ids.has(before.id.toUpperCase())) {
      good.push(before);
      ids.add(before.id.toUpperCase());
      kept.push(f.file);
    }
  }
  return { set: { catalog: new RunbookCatalog(good), policy }, problems, kept };
}
