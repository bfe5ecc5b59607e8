import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import { lintEscalationDelay } from './lintEscalation.ts';
import { lintSource } from './lintRules.ts';
import type { Runbook, RunbookIssue } from './model.ts';
import type { ParsedRunbook } from './parse.ts';

export interface LintOptions {
  /** "Today" for the tested check; injectable so results are reproducible. */
  today: Date;
  /** `Last Tested` older than this many days is stale (policy review_interval, 90 by default). */
  maxAgeDays: number;
  /** Dates of drills run with the bot, by runbook ID: a drill counts as a test. */
  drilledAt?: ReadonlyMap<string, Date>;
}

export const MAX_STEPS = 50;
/** Slack's limit for a checkbox option's text. */
export const MAX_CHECK_LENGTH = 75;

/**
 * Steps that tell the reader to think rather than do: the anti-pattern of the runbook quality checklist.
 * Matched against the whole title, or the whole text when the step has nothing else.
 */
const VAGUE =
  /^(investigate|look into|check|fix|debug|troubleshoot|handle|resolve|address|deal with)( (the|this|that|any))? ?(issue|problem|things?|it|stuff|error|errors|situation|incident)?\.?$/i;

function issue(
  level: RunbookIssue['level'],
  rule: string,
  file: string,
  line: number,
  message: string,
): RunbookIssue {
  return { level, rule, file, line, message };
}

/**
 * The runbook quality checklist and anti-patterns of DESIGN.md, applied to one parsed file; with its
 * `source`, also the rules that read the text (fences, step numbers, dangerous commands, placeholders).
 */
export function lintRunbook(parsed: ParsedRunbook, options: LintOptions, source?: string): RunbookIssue[] {
  const { runbook: rb, lines } = parsed;
  const file = rb.source.file;
  const out: RunbookIssue[] = [...parsed.issues];
  if (source !== undefined) out.push(...lintSource(source, file, rb));

  if (rb.steps.length === 0) {
    const why = rb.meta.redirect ? ` (it points to ${rb.meta.redirect})` : '';
    out.push(
      issue(
        'warning',
        'actionable',
        file,
        lines.title,
        `no steps found${why}: add a Procedure with ### Step N headings`,
      ),
    );
  }
  if (rb.steps.length > MAX_STEPS) {
    out.push(
      issue(
        'warning',
        'too-many-steps',
        file,
        lines.title,
        `${rb.steps.length} steps (more than ${MAX_STEPS}): split it into smaller runbooks linked by ID`,
      ),
    );
  }
  for (const step of rb.steps) {
    const where = `step ${step.number} "${step.title}"`;
    if (step.commands.length === 0) {
      out.push(
        issue(
          'warning',
          'complete',
          file,
          step.line,
          `${where} has no commands: add a fenced block under Commands:`,
        ),
      );
    }
    if (step.verifications.length === 0) {
      out.push(
        issue(
          'warning',
          'verifiable',
          file,
          step.line,
          `${where} has no verification: add "Verification:" with - [ ] checks`,
        ),
      );
    }
    if (isVague(step)) {
      out.push(
        issue(
          'warning',
          'vague-step',
          file,
          step.line,
          `${where} is vague: say exactly what to run and what to look for`,
        ),
      );
    }
    for (const check of step.verifications) {
      if (check.length > MAX_CHECK_LENGTH) {
        out.push(
          issue(
            'warning',
            'check-too-long',
            file,
            step.line,
            `${where}: a check is ${check.length} characters; Slack shows at most ${MAX_CHECK_LENGTH}, shorten it`,
          ),
        );
      }
    }
  }

  if (rb.scope.handles.length === 0 || rb.scope.excludes.length === 0) {
    out.push(
      issue(
        'warning',
        'scoped',
        file,
        lines.scope || lines.title,
        'scope is incomplete: add ## Scope with "**Handles**:" and "**Does NOT handle**:"',
      ),
    );
  }
  if (rb.escalation.when.length + rb.escalation.who.length + rb.escalation.what.length === 0) {
    out.push(
      issue(
        'warning',
        'escalatable',
        file,
        lines.title,
        'no escalation: add ## Escalation with When to escalate / Who to contact / What to provide',
      ),
    );
  } else if (rb.escalation.who.length === 0) {
    out.push(
      issue(
        'warning',
        'escalatable',
        file,
        lines.escalation,
        'escalation names nobody: add "**Who to contact**:"',
      ),
    );
  }
  out.push(...lintEscalationDelay(rb, lines.escalation || lines.title, source));
  if (!rb.owner) {
    out.push(
      issue(
        'warning',
        'maintained',
        file,
        lines.title,
        'no owner: add an "Owner: <team>" line under the title',
      ),
    );
  }
  out.push(...testedIssues(rb, lines.lastTested || lines.title, options));
  for (const note of rb.notes) {
    const quoted = note.text.length > 60 ? `${note.text.slice(0, 59)}…` : note.text;
    out.push(
      issue(
        'warning',
        'unplaced-content',
        file,
        note.line,
        `"${quoted}" is not part of any step or context section, so it is kept as a note: put it under a step or a Notes heading`,
      ),
    );
  }
  return out;
}

function isVague(step: Runbook['steps'][number]): boolean {
  if (step.commands.length > 0) return false;
  return VAGUE.test(step.title.trim()) || (step.text !== '' && VAGUE.test(step.text.trim()));
}

function testedIssues(rb: Runbook, line: number, options: LintOptions): RunbookIssue[] {
  const file = rb.source.file;
  const drilled = options.drilledAt?.get(rb.id);
  const stated = rb.lastTested ? parseISO(rb.lastTested) : null;
  if (rb.lastTested && stated && !isValid(stated)) {
    return [
      issue(
        'error',
        'tested',
        file,
        line,
        `Last Tested "${rb.lastTested}" is not a date: write it as YYYY-MM-DD`,
      ),
    ];
  }
  const latest = [stated, drilled]
    .filter((d): d is Date => d instanceof Date && isValid(d))
    .sort((a, b) => +b - +a)[0];
  if (!latest) {
    return [
      issue('warning', 'tested', file, line, 'never tested: run a drill and add "Last Tested: YYYY-MM-DD"'),
    ];
  }
  const age = differenceInCalendarDays(options.today, latest);
  if (age > options.maxAgeDays) {
    return [
      issue(
        'warning',
        'tested',
        file,
        line,
        `last tested ${age} days ago (more than ${options.maxAgeDays}): drill it and update Last Tested`,
      ),
    ];
  }
  return [];
}

/** The quality gate: every alert the monitoring sends must map to a runbook. */
export function lintAlertCoverage(
  monitoredAlerts: readonly string[],
  runbooksForAlert: (alert: string) => readonly Runbook[],
  policyFile: string,
  lineOfAlert: (alert: string) => number,
): RunbookIssue[] {
  return monitoredAlerts
    .filter((alert) => runbooksForAlert(alert).length === 0)
    .map((alert) =>
      issue(
        'error',
        'alert-coverage',
        policyFile,
        lineOfAlert(alert),
        `monitored alert ${alert} maps to no runbook: add it to a runbook's front matter triggers.alerts`,
      ),
    );
}
