import { AFTERMATH_SUBCOMMANDS, type AftermathCommand, parseAftermathCommand } from './aftermathCommand.ts';
import {
  INCIDENT_REF,
  invalid,
  quote,
  restFrom,
  type Token,
  takeIncidentRef,
  tokenize,
} from './commandTokens.ts';
import { COURSE_SUBCOMMANDS, type CourseCommand, parseCourseCommand } from './courseCommand.ts';
import { WORKING_STATUSES, type WorkingStatus } from './incidentState.ts';
import { type Severity, SeveritySchema } from './severity.ts';

/** Long enough for a useful headline, short enough for a channel topic and a status-page title. */
export const TITLE_MAX = 150;

export const SUBCOMMANDS = [
  'declare',
  'status',
  'severity',
  'commander',
  'resolve',
  'update',
  'exec',
  'timeline',
  'list',
  'runbooks',
  'help',
  ...AFTERMATH_SUBCOMMANDS,
  ...COURSE_SUBCOMMANDS,
  'doctor',
] as const;

export type Subcommand = (typeof SUBCOMMANDS)[number];

/** The known subcommand a command text starts with, so an error can show that subcommand's usage alone. */
export function subcommandOf(text: string): Subcommand | null {
  const head = tokenize(text)[0]?.value.toLowerCase();
  return SUBCOMMANDS.find((s) => s === head) ?? null;
}

/**
 * `incidentId` is the explicit `#12` reference; null means "the incident of the channel the command was
 * typed in", which the caller resolves (or asks which one, outside an incident channel).
 */
export type IncidentCommand =
  | { kind: 'declare'; severity: Severity; title: string; runbookId: string | null }
  | { kind: 'declare-modal' }
  | { kind: 'status'; incidentId: number | null; status: WorkingStatus; note: string | null }
  | { kind: 'severity'; incidentId: number | null; severity: Severity }
  | { kind: 'commander'; incidentId: number | null; userId: string }
  | { kind: 'resolve'; incidentId: number | null; note: string | null }
  | { kind: 'timeline'; incidentId: number | null }
  | { kind: 'update'; incidentId: number | null }
  | { kind: 'exec'; incidentId: number | null }
  | { kind: 'list' }
  | { kind: 'runbooks'; query: string }
  | { kind: 'runbooks-reload' }
  | { kind: 'help' }
  | { kind: 'doctor' }
  | AftermathCommand
  | CourseCommand
  | { kind: 'invalid'; error: string };

type Invalid = Extract<IncidentCommand, { kind: 'invalid' }>;

const EXAMPLE = {
  declare: '/incident declare P1 Payment latency high',
  declareWithRunbook: '/incident declare P1 Payment latency high --runbook RUN-004',
  status: '/incident status identified bad deploy',
  severity: '/incident severity P0',
  commander: '/incident commander @alice',
  resolve: '/incident resolve rolled back the deploy',
  update: '/incident update',
  exec: '/incident exec',
  timeline: '/incident timeline',
  list: '/incident list',
  runbooks: '/incident runbooks database',
  help: '/incident help',
} as const;

const SEVERITY_LIST = 'P0, P1, P2 or P3';
const STATUS_LIST = WORKING_STATUSES.join(', ');

// Slack turns `--` into an em or en dash when smart punctuation is on, so those spellings mean the flag too.
const RUNBOOK_FLAG = /^(?:--|\u2014|\u2013)runbook(?:=(.*))?$/i;
const RUNBOOK_ID = /^RUN-\d+$/i;
// `<@U012AB3CD|alice>` or `<@U012AB3CD>`: what Slack sends for a person picked from the autocomplete.
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

function parseSeverity(value: string): Severity | null {
  const parsed = SeveritySchema.safeParse(value.toUpperCase());
  return parsed.success ? parsed.data : null;
}

const badSeverity = (value: string, example: string): Invalid =>
  invalid(`Severity must be ${SEVERITY_LIST} (got ${quote(value)}). Example: ${example}`);

function refusesIncidentRef(
  subcommand: string,
  what: string,
  args: Token[],
  example: string,
): Invalid | null {
  const first = args[0];
  if (!first || !INCIDENT_REF.test(first.value)) return null;
  return invalid(
    `${subcommand} ${what}, so it takes no incident reference (got ${quote(first.value)}). Example: ${example}`,
  );
}

function noMoreArguments(subcommand: string, args: Token[], text: string, example: string): Invalid | null {
  const extra = restFrom(text, args[0]);
  return extra === null
    ? null
    : invalid(`${subcommand} takes no other arguments (got ${quote(extra)}). Example: ${example}`);
}

function parseDeclare(args: Token[]): IncidentCommand {
  const [first, ...rest] = args;
  if (!first) return { kind: 'declare-modal' };
  const refused = refusesIncidentRef('declare', 'opens a new incident', args, EXAMPLE.declare);
  if (refused) return refused;
  if (RUNBOOK_FLAG.test(first.value)) {
    return invalid(
      `Put the severity first, then the title; --runbook can go anywhere after the severity. Example: ${EXAMPLE.declareWithRunbook}`,
    );
  }
  const severity = parseSeverity(first.value);
  if (!severity) return badSeverity(first.value, EXAMPLE.declare);

  let runbookId: string | null = null;
  const words: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as Token;
    const flag = RUNBOOK_FLAG.exec(token.value);
    if (!flag) {
      words.push(token.value);
      continue;
    }
    if (runbookId !== null) {
      return invalid(`Give --runbook only once. Example: ${EXAMPLE.declareWithRunbook}`);
    }
    const inline = flag[1];
    const value = inline !== undefined && inline !== '' ? inline : rest[++i]?.value;
    if (value === undefined) {
      return invalid(`--runbook needs a runbook ID such as RUN-004. Example: ${EXAMPLE.declareWithRunbook}`);
    }
    if (!RUNBOOK_ID.test(value)) {
      return invalid(
        `Runbook IDs look like RUN-004 (got ${quote(value)}). Find one with /incident runbooks <keyword>, or leave --runbook out to match one from the title.`,
      );
    }
    runbookId = value.toUpperCase();
  }

  // Titles are one line wherever they appear (channel topic, header, status page), so runs of spaces go.
  const title = words.join(' ');
  if (title === '') {
    return invalid(`declare needs a title after the severity. Example: ${EXAMPLE.declare}`);
  }
  const length = [...title].length;
  if (length > TITLE_MAX) {
    return invalid(
      `The title is ${length} characters long; the limit is ${TITLE_MAX}. Shorten it and put the details in the incident channel.`,
    );
  }
  return { kind: 'declare', severity, title, runbookId };
}

function parseStatus(text: string, incidentId: number | null, args: Token[]): IncidentCommand {
  const [first, ...rest] = args;
  if (!first) return invalid(`status needs one of ${STATUS_LIST}. Example: ${EXAMPLE.status}`);
  const wanted = first.value.toLowerCase();
  if (wanted === 'resolved') {
    return invalid(
      `To resolve the incident, use /incident resolve with an optional note. Example: ${EXAMPLE.resolve}`,
    );
  }
  if (wanted === 'closed') {
    return invalid(
      'An incident closes by itself when its post-mortem is marked done; there is no command to close it.',
    );
  }
  const status = WORKING_STATUSES.find((s) => s === wanted);
  if (!status) {
    return invalid(
      `status needs one of ${STATUS_LIST} (got ${quote(first.value)}). Example: ${EXAMPLE.status}`,
    );
  }
  return { kind: 'status', incidentId, status, note: restFrom(text, rest[0]) };
}

function parseSeverityCommand(text: string, incidentId: number | null, args: Token[]): IncidentCommand {
  const [first, ...rest] = args;
  if (!first) return invalid(`severity needs a level: ${SEVERITY_LIST}. Example: ${EXAMPLE.severity}`);
  const severity = parseSeverity(first.value);
  if (!severity) return badSeverity(first.value, EXAMPLE.severity);
  // A reason typed after the level would be silently lost, so it is refused rather than dropped.
  const extra = restFrom(text, rest[0]);
  if (extra !== null) {
    return invalid(
      `severity takes only the level (got extra ${quote(extra)}). Post the reason in the channel, then run: /incident severity ${severity}`,
    );
  }
  return { kind: 'severity', incidentId, severity };
}

function parseCommander(text: string, incidentId: number | null, args: Token[]): IncidentCommand {
  const [first, ...rest] = args;
  if (!first) {
    return invalid(
      `commander needs a person: type @ and pick them from the list. Example: ${EXAMPLE.commander}`,
    );
  }
  const mention = USER_MENTION.exec(first.value);
  if (!mention?.[1]) {
    return invalid(
      `Pick the person from the autocomplete list when you type @, so Slack sends who they are (got ${quote(first.value)}). Example: ${EXAMPLE.commander}`,
    );
  }
  const extra = restFrom(text, rest[0]);
  if (extra !== null) {
    return invalid(`commander takes one person (got extra ${quote(extra)}). Example: ${EXAMPLE.commander}`);
  }
  return { kind: 'commander', incidentId, userId: mention[1] };
}

/**
 * Parses the text after `/incident`. Subcommands, severities and statuses are case-insensitive; user text
 * (titles, notes, queries) is returned as typed, `<!channel>` included, because escaping it is the
 * renderer's job and the stored title should be what the person wrote.
 */
export function parseIncidentCommand(text: string): IncidentCommand {
  const [head, ...args] = tokenize(text);
  if (!head) return { kind: 'declare-modal' };
  const subcommand = head.value.toLowerCase();

  switch (subcommand) {
    case 'declare':
      return parseDeclare(args);
    case 'help':
      // Whatever follows `help`, the person wants the help.
      return { kind: 'help' };
    case 'doctor':
      return noMoreArguments('doctor', args, text, '/incident doctor') ?? { kind: 'doctor' };
    case 'list': {
      const refused = refusesIncidentRef('list', 'shows every open incident', args, EXAMPLE.list);
      return refused ?? noMoreArguments('list', args, text, EXAMPLE.list) ?? { kind: 'list' };
    }
    case 'runbooks': {
      const refused = refusesIncidentRef('runbooks', 'searches all runbooks', args, EXAMPLE.runbooks);
      if (refused) return refused;
      if (args.length === 1 && args[0]?.value.toLowerCase() === 'reload') return { kind: 'runbooks-reload' };
      // An empty query is a request to see them all; the caller lists the catalogue.
      return { kind: 'runbooks', query: args.map((t) => t.value).join(' ') };
    }
    case 'status':
    case 'severity':
    case 'commander':
    case 'resolve':
    case 'timeline':
    case 'update':
    case 'exec': {
      const ref = takeIncidentRef(args);
      if ('kind' in ref) return ref;
      const { incidentId } = ref;
      if (subcommand === 'status') return parseStatus(text, incidentId, ref.args);
      if (subcommand === 'severity') return parseSeverityCommand(text, incidentId, ref.args);
      if (subcommand === 'commander') return parseCommander(text, incidentId, ref.args);
      if (subcommand === 'resolve') return { kind: 'resolve', incidentId, note: restFrom(text, ref.args[0]) };
      const example = EXAMPLE[subcommand];
      return noMoreArguments(subcommand, ref.args, text, example) ?? { kind: subcommand, incidentId };
    }
    default: {
      const aftermath = parseAftermathCommand(subcommand, args, text);
      if (aftermath) return aftermath;
      const course = parseCourseCommand(subcommand, args, text);
      if (course) return course;
      if (parseSeverity(head.value)) {
        return invalid(
          `Unknown subcommand ${quote(head.value)}. To declare an incident, start with declare. Example: ${EXAMPLE.declare}`,
        );
      }
      return invalid(
        `Unknown subcommand ${quote(head.value)}. Use one of: ${SUBCOMMANDS.join(', ')}. Example: ${EXAMPLE.help}`,
      );
    }
  }
}
