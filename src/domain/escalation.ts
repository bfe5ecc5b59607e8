import type { Policy } from './policy.ts';
import type { Severity } from './severity.ts';

export interface EscalationTarget {
  key: string;
  label: string;
  users: string[];
  groups: string[];
}

/** Conditions a responder flagged that the policy does not know (a typo, or a policy reloaded since). */
export function unknownConditions(policy: Policy, conditions: readonly string[]): string[] {
  return conditions.filter((c) => !policy.conditions[c]);
}

/**
 * Who an escalation reaches: the severity's target, then the targets of each flagged condition (data
 * breach, user data, revenue impact), each once, in that order.
 */
export function escalationTargets(
  policy: Policy,
  severity: Severity,
  conditions: readonly string[],
): EscalationTarget[] {
  const keys = new Set<string>();
  const severityTarget = policy.severities[severity].escalate_to;
  if (severityTarget) keys.add(severityTarget);
  for (const key of conditions)
    for (const target of policy.conditions[key]?.escalate_to ?? []) keys.add(target);
  return [...keys].flatMap((key) => {
    const target = policy.targets[key];
    return target ? [{ key, ...target }] : [];
  });
}
