import type { Policy } from '../domain/policy.ts';
import type { DoctorCheck } from './types.ts';

/** Every Slack user and user-group ID policy.yml names, each once, in a stable order. */
export function policyIds(policy: Policy): { users: string[]; groups: string[] } {
  const users = new Set<string>();
  const groups = new Set<string>();
  const audiences = [
    ...Object.values(policy.severities).flatMap((s) => Object.values(s.team)),
    ...Object.values(policy.targets),
  ];
  for (const audience of audiences) {
    for (const u of audience?.users ?? []) users.add(u);
    for (const g of audience?.groups ?? []) groups.add(g);
  }
  for (const admin of policy.admins ?? []) users.add(admin);
  // Runbook owners: a user is DM'd by the weekly review, a user group is mentioned.
  for (const owner of Object.values(policy.owners ?? {})) (owner.startsWith('S') ? groups : users).add(owner);
  return { users: [...users].sort(), groups: [...groups].sort() };
}

/**
 * IDs that are examples rather than people: the shipped policy's `U0EXAMPLE*`, Slack's documentation
 * IDs (`U012AB3CD`) and the usual fill-me-in words. Offline this is all doctor can tell; online, an ID
 * that resolves to nobody is reported too.
 */
const PLACEHOLDER = /EXAMPLE|PLACEHOLDER|CHANGEME|REPLACE|TODO|XXXX|^[UWS]012AB3CD$/i;

export function isPlaceholder(id: string): boolean {
  return PLACEHOLDER.test(id);
}

/** `U0EXAMPLE1 (line 40)`: the first line of policy.yml that names the ID, so the operator finds it. */
export function withLine(id: string, policySource: string): string {
  const index = policySource.search(new RegExp(`\\b${id}\\b`));
  return index < 0 ? id : `${id} (line ${policySource.slice(0, index).split('\n').length})`;
}

export function placeholderCheck(policy: Policy, policySource: string, policyPath: string): DoctorCheck {
  const { users, groups } = policyIds(policy);
  const placeholders = [...users, ...groups].filter(isPlaceholder);
  if (placeholders.length === 0)
    return { name: 'placeholders', ok: true, detail: `no example IDs left in ${policyPath}` };
  return {
    name: 'placeholders',
    ok: false,
    detail: `${policyPath} still has example IDs that match nobody: ${placeholders.map((id) => withLine(id, policySource)).join(', ')}`,
    fix: 'replace each with a real ID: a user\'s profile -> "..." -> "Copy member ID" (U...), a user group\'s ID from its page URL or usergroups.list (S...)',
  };
}

export function policySummary(policy: Policy): string {
  const { users, groups } = policyIds(policy);
  const severities = Object.keys(policy.severities).length;
  const targets = Object.keys(policy.targets).length;
  return `${severities} severities, ${targets} escalation targets, ${users.length} users, ${groups.length} user groups`;
}
