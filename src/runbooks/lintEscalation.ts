import { readDelay } from '../domain/escalationDelay.ts';
import type { Runbook, RunbookIssue } from './model.ts';

/** The 1-based line of the source that holds `text` (its start), or `fallback` when it is not found verbatim. */
function lineOf(source: string | undefined, text: string, fallback: number): number {
  if (source === undefined) return fallback;
  const probe = text.slice(0, 40);
  const index = source.split('\n').findIndex((line) => line.includes(probe));
  return index === -1 ? fallback : index + 1;
}

/**
 * The escalation timer is read from the "When to escalate" prose unless the front matter sets
 * `escalation.after`; every duration there that cannot be read safely as a delay or as a threshold is a
 * question for the author, so the bot never guesses when to escalate.
 */
export function lintEscalationDelay(rb: Runbook, escalationLine: number, source?: string): RunbookIssue[] {
  if (rb.meta.escalationAfter) return [];
  return rb.escalation.when.flatMap((when) =>
    readDelay(when).problems.map((message) => ({
      level: 'warning' as const,
      rule: 'escalation-delay',
      file: rb.source.file,
      line: lineOf(source, when, escalationLine),
      message,
    })),
  );
}
