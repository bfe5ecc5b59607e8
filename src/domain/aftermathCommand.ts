import { type Invalid, invalid, quote, restFrom, type Token, takeIncidentRef } from './commandTokens.ts';

/** Subcommands for after the fire: the post-mortem, follow-ups, statistics and drills. */
export const AFTERMATH_SUBCOMMANDS = ['postmortem', 'followup', 'stats', 'drill'] as const;

export type AftermathCommand =
  | { kind: 'postmortem'; incidentId: number | null }
  | { kind: 'postmortem-done'; incidentId: number | null; link: string }
  | { kind: 'followup'; incidentId: number | null; text: string; ownerId: string; dueDate: string }
  | { kind: 'stats'; days: number }
  | { kind: 'drill'; runbookId: string };

const EXAMPLE = {
  postmortem: '/incident postmortem',
  postmortemDone: '/incident postmortem done https://wiki.example.com/pm/42',
  followup: '/incident followup Add an alert on pool usage @alice 2026-12-01',
  stats: '/incident stats 30d',
  drill: '/incident drill RUN-004',
};

// Slack sends a pasted link as `<https://…>` or `<https://…|label>`; a person may also paste it bare.
const LINK = /^<?(https?:\/\/[^\s|>]+)(?:\|[^>]*)?>?$/;
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Parses the aftermath subcommands; null when `subcommand` is not one of them. */
export function parseAftermathCommand(
  subcommand: string,
  args: Token[],
  text: string,
): AftermathCommand | Invalid | null {
  switch (subcommand) {
    case 'postmortem': {
      const ref = takeIncidentRef(args);
      if ('kind' in ref) return ref;
      const [first, second, ...extra] = ref.args;
      if (!first) return { kind: 'postmortem', incidentId: ref.incidentId };
      if (first.value.toLowerCase() !== 'done') {
        return invalid(
          `postmortem takes nothing, or done and the document's link (got ${quote(first.value)}). Example: ${EXAMPLE.postmortemDone}`,
        );
      }
      const link = second ? LINK.exec(second.value)?.[1] : undefined;
      if (!link || extra.length) {
        return invalid(
          `postmortem done needs the link to the finished document. Example: ${EXAMPLE.postmortemDone}`,
        );
      }
      return { kind: 'postmortem-done', incidentId: ref.incidentId, link };
    }
    case 'followup': {
      const ref = takeIncidentRef(args);
      if ('kind' in ref) return ref;
      const date = ref.args.at(-1);
      const owner = ref.args.at(-2);
      const first = ref.args[0];
      if (!date || !owner || !first || ref.args.length < 3) {
        return invalid(`followup needs what to do, an owner and a deadline. Example: ${EXAMPLE.followup}`);
      }
      if (!validDate(date.value)) {
        return invalid(
          `The deadline must be a date like 2026-12-01 (got ${quote(date.value)}). Example: ${EXAMPLE.followup}`,
        );
      }
      const mention = USER_MENTION.exec(owner.value);
      if (!mention?.[1]) {
        return invalid(
          `Name the owner by picking them from the list when you type @, just before the date (got ${quote(owner.value)}). Example: ${EXAMPLE.followup}`,
        );
      }
      const whole = restFrom(text, first) ?? '';
      const action = whole.slice(0, whole.lastIndexOf(owner.value)).trim();
      return {
        kind: 'followup',
        incidentId: ref.incidentId,
        text: action,
        ownerId: mention[1],
        dueDate: date.value,
      };
    }
    case 'stats': {
      const [window, ...extra] = args;
      if (!window) return { kind: 'stats', days: 30 };
      const days = /^(\d{1,3})d?$/i.exec(window.value)?.[1];
      if (!days || Number(days) < 1 || extra.length) {
        return invalid(
          `stats takes a window in days, like 30d (got ${quote(window.value)}). Example: ${EXAMPLE.stats}`,
        );
      }
      return { kind: 'stats', days: Number(days) };
    }
    case 'drill': {
      const [runbook, ...extra] = args;
      if (!runbook || !/^RUN-\d+$/i.test(runbook.value) || extra.length) {
        return invalid(`drill needs the runbook to rehearse, and nothing else. Example: ${EXAMPLE.drill}`);
      }
      return { kind: 'drill', runbookId: runbook.value.toUpperCase() };
    }
    default:
      return null;
  }
}
