import type { Policy } from '../domain/policy.ts';
import type { RunbookIssue } from './model.ts';
import type { ParsedRunbook } from './parse.ts';

/**
 * The 1-based line of `escalation:` -> `to:` in the file's front matter (or of `escalation:` when `to`
 * is written inline), 1 when not found.
 */
export function escalationToLine(source: string): number {
  const lines = source.split('\n');
  if (lines[0]?.trim() !== '---') return 1;
  let inEscalation = false;
  let escalationLine = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '---') break;
    if (/^escalation\s*:/.test(line)) {
      inEscalation = true;
      escalationLine = i + 1;
      if (/\bto\s*:/.test(line)) return i + 1;
      continue;
    }
    if (inEscalation && /^\S/.test(line)) inEscalation = false;
    if (inEscalation && /^\s+to\s*:/.test(line)) return i + 1;
  }
  return escalationLine || 1;
}

/** Front matter `escalation.to` must name one of the policy's targets, or the escalation reaches nobody. */
export function lintEscalationTarget(
  parsed: ParsedRunbook,
  source: string,
  policy: Policy,
): RunbookIssue | null {
  const to = parsed.runbook.meta.escalationTo;
  if (!to || Object.hasOwn(policy.targets, to)) return null;
  const known = Object.keys(policy.targets).sort().join(', ') || 'none';
  return {
    level: 'warning',
    rule: 'escalation-target',
    file: parsed.runbook.source.file,
    line: escalationToLine(source),
    message: `escalation.to names "${to}", which is not a target in policy.yml (targets: ${known}): fix the name or add it under targets:`,
  };
}
