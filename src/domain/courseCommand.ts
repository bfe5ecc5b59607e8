import { type Invalid, invalid, quote, restFrom, type Token, takeIncidentRef } from './commandTokens.ts';

/** Subcommands for changing course mid-incident and for catching up on it. */
export const COURSE_SUBCOMMANDS = ['runbook', 'step', 'assign', 'catchup'] as const;

export type CourseCommand =
  | { kind: 'runbook'; incidentId: number | null; runbookId: string }
  | { kind: 'step-add'; incidentId: number | null; title: string; checks: string[] }
  | { kind: 'step-add-modal'; incidentId: number | null }
  | { kind: 'assign'; incidentId: number | null; stepNumber: number; userId: string }
  | { kind: 'catchup'; incidentId: number | null };

export const COURSE_EXAMPLE = {
  runbook: '/incident runbook RUN-002',
  stepAdd: '/incident step add Drain node-7 | pods rescheduled | error rate below 1%',
  assign: '/incident assign step 2 @bob',
  catchup: '/incident catchup',
} as const;

const RUNBOOK_ID = /^RUN-\d+$/i;
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const STEP_NUMBER = /^\d{1,4}$/;

/** `step add <title> | <check> | <check>`: the title, then one check per `|`. */
export function splitStep(text: string): { title: string; checks: string[] } {
  const [title = '', ...checks] = text.split('|').map((part) => part.trim());
  return { title, checks: checks.filter(Boolean) };
}

/** Parses the course subcommands; null when `subcommand` is not one of them. */
export function parseCourseCommand(
  subcommand: string,
  args: Token[],
  text: string,
): CourseCommand | Invalid | null {
  if (!(COURSE_SUBCOMMANDS as readonly string[]).includes(subcommand)) return null;
  const ref = takeIncidentRef(args);
  if ('kind' in ref) return ref;
  const { incidentId } = ref;
  const [first, second, third, ...extra] = ref.args;
  switch (subcommand) {
    case 'runbook': {
      if (!first || !RUNBOOK_ID.test(first.value) || second) {
        return invalid(
          `runbook needs the ID of the runbook to switch to${first ? ` (got ${quote(restFrom(text, first) ?? '')})` : ''}. Find one with /incident runbooks <keyword>. Example: ${COURSE_EXAMPLE.runbook}`,
        );
      }
      return { kind: 'runbook', incidentId, runbookId: first.value.toUpperCase() };
    }
    case 'step': {
      if (first?.value.toLowerCase() !== 'add') {
        return invalid(
          `step takes add, then the step's title and checks. Example: ${COURSE_EXAMPLE.stepAdd}`,
        );
      }
      const rest = restFrom(text, second);
      if (rest === null) return { kind: 'step-add-modal', incidentId };
      const { title, checks } = splitStep(rest);
      if (!title)
        return invalid(`Put the step's title before its checks. Example: ${COURSE_EXAMPLE.stepAdd}`);
      return { kind: 'step-add', incidentId, title, checks };
    }
    case 'assign': {
      const mention = third ? USER_MENTION.exec(third.value) : null;
      if (
        first?.value.toLowerCase() !== 'step' ||
        !second ||
        !STEP_NUMBER.test(second.value) ||
        !mention?.[1] ||
        extra.length
      ) {
        return invalid(
          `assign needs step, the step's number and a person picked with @ (got ${quote(restFrom(text, first) ?? '')}). Example: ${COURSE_EXAMPLE.assign}`,
        );
      }
      return { kind: 'assign', incidentId, stepNumber: Number(second.value), userId: mention[1] };
    }
    default: {
      if (first) {
        return invalid(
          `catchup takes nothing else (got ${quote(restFrom(text, first) ?? '')}). Example: ${COURSE_EXAMPLE.catchup}`,
        );
      }
      return { kind: 'catchup', incidentId };
    }
  }
}
