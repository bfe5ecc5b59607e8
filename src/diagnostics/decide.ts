import { type CheckStatus, evaluateDecision, parseCondition } from '../domain/conditions.ts';
import type { Diagnostics, Remediation } from '../runbooks/model.ts';
import type { CheckResult } from './types.ts';

export interface Recommendation {
  remediation: Remediation;
  /** The `when` conditions that recommended it, shown so responders see why. */
  because: string[];
}

/** Whether the commander must approve before it runs: automated ones do unless the runbook says false. */
export function needsApproval(remediation: Remediation): boolean {
  if (remediation.kind !== 'automated') return false;
  return remediation.requiresApproval ?? remediation.requires_approval ?? true;
}

/** The decision tree: every decision whose condition holds over this run's statuses, in runbook order. */
export function decide(diagnostics: Diagnostics, results: readonly CheckResult[]): Recommendation[] {
  const statuses: Record<string, CheckStatus> = Object.fromEntries(results.map((r) => [r.id, r.status]));
  const byId = new Map(diagnostics.remediations.map((r) => [r.id, r]));
  const out = new Map<string, Recommendation>();
  for (const decision of diagnostics.decisions) {
    if (!evaluateDecision(parseCondition(decision.when), statuses)) continue;
    for (const id of decision.recommend) {
      const remediation = byId.get(id);
      if (!remediation) continue;
      const seen = out.get(id);
      if (seen) seen.because.push(decision.when);
      else out.set(id, { remediation, because: [decision.when] });
    }
  }
  return [...out.values()];
}
