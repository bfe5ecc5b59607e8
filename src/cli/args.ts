import { parseArgs } from 'node:util';

export interface CliIO {
  out: (text: string) => unknown;
  err: (text: string) => unknown;
}

/** A problem with what the user typed or pointed at: one line (with file:line when known). */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly where: { file?: string; line?: number | undefined; usage?: string } = {},
    /** 2 for bad usage; 1 when what the user pointed at exists but fails (an unreadable runbook). */
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

type OptionSpec = { type: 'boolean' } | { type: 'string'; value: string };

interface CommandSpec {
  /** What follows the command name on the usage line. */
  usage: string;
  summary: string;
  /** Whether the positional argument is required; a missing optional one means the runbook directory. */
  target: 'required' | 'optional' | 'none';
  options: Record<string, OptionSpec>;
}

const JSON_FLAG: OptionSpec = { type: 'boolean' };
const LINT_DATES: Record<string, OptionSpec> = {
  today: { type: 'string', value: 'YYYY-MM-DD' },
  'max-age': { type: 'string', value: 'days' },
};

export const COMMANDS = {
  lint: {
    usage: '[file or dir] [--json] [--strict] [--max-warnings N] [--today YYYY-MM-DD] [--max-age DAYS]',
    summary:
      'check runbooks against the quality checklist (exit 1 on errors; with --strict also on warnings)',
    target: 'optional',
    options: {
      json: JSON_FLAG,
      strict: { type: 'boolean' },
      'max-warnings': { type: 'string', value: 'N' },
      ...LINT_DATES,
    },
  },
  list: {
    usage: '[file or dir] [--json] [--today YYYY-MM-DD] [--max-age DAYS]',
    summary: 'one line per runbook file: steps, commands, checks, problems',
    target: 'optional',
    options: { json: JSON_FLAG, ...LINT_DATES },
  },
  show: {
    usage: '<file, dir or RUN-ID> [--json] [--dir DIR]',
    summary: 'the parsed runbook; a directory gives every runbook in it (a JSON array with --json)',
    target: 'required',
    options: { json: JSON_FLAG, dir: { type: 'string', value: 'DIR' } },
  },
  preview: {
    usage: '<file or RUN-ID> [--json] [--dir DIR]',
    summary: 'what responders will see in Slack, in the terminal, with each message as Block Kit JSON',
    target: 'required',
    options: { json: JSON_FLAG, dir: { type: 'string', value: 'DIR' } },
  },
  doctor: {
    usage: '[--offline] [--json]',
    summary:
      'check config, runbooks, policy, database, scheduler, webhook secrets, and (unless --offline) the Slack token, scopes, channels, users and user groups (exit 1 on any failure)',
    target: 'none',
    options: { json: JSON_FLAG, offline: { type: 'boolean' } },
  },
  matrix: {
    usage: '[file or dir] [--json | --markdown]',
    summary:
      'alert and scenario -> runbook, severity, response time; linked IDs (exit 1 when a monitored alert has no runbook)',
    target: 'optional',
    options: { json: JSON_FLAG, markdown: { type: 'boolean' } },
  },
} satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export function usageLine(command: CommandName): string {
  return `Usage: incident-bot ${command} ${COMMANDS[command].usage}`;
}

export const EXIT_CODES = `Exit codes:
  0  success: nothing to report, or only warnings (lint without --strict)
  1  the check failed: lint errors (or warnings with --strict / over --max-warnings), doctor failures,
     a monitored alert without a runbook (matrix), a runbook file that cannot be read (show, preview)
  2  bad usage: unknown command or option, missing argument, a file, folder or ID that does not exist`;

export function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, spec]) => `  ${name.padEnd(width)}  ${spec.usage}\n  ${' '.repeat(width)}    ${spec.summary}`,
  );
  return `Usage: incident-bot <command> [options]

Commands:
${lines.join('\n')}

  A [file or dir] left out means $RUNBOOKS_DIR, else ./runbooks. --dir (show, preview) is where a RUN-ID
  is looked up (default the same). --today and --max-age set "today" and the age past which Last Tested
  is stale (default: policy.yml review_interval, else 90 days).

Options for every command:
  -h, --help     this help (or, after a command, that command's)
  -V, --version  the version

${EXIT_CODES}
`;
}

export function commandUsage(command: CommandName): string {
  return `${usageLine(command)}\n\n${COMMANDS[command].summary}\n\n${EXIT_CODES}\n`;
}

export interface ParsedCommand {
  command: CommandName;
  target: string | undefined;
  flags: Record<string, string | boolean | undefined>;
}

/**
 * Parses one subcommand's arguments. Unknown options, missing values and extra arguments are a
 * CliError carrying the subcommand's usage line (Node's own messages are long and quote oddly).
 */
export function parseCommand(command: CommandName, argv: string[]): ParsedCommand {
  const spec: CommandSpec = COMMANDS[command];
  const usage = usageLine(command);
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]),
  );
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (!option) throw new CliError(`incident-bot ${command}: unknown option ${token.rawName}`, { usage });
    if (option.type === 'boolean') {
      if (token.value !== undefined)
        throw new CliError(`incident-bot ${command}: ${token.rawName} takes no value`, { usage });
      flags[token.name] = true;
    } else {
      if (token.value === undefined || token.value === '')
        throw new CliError(`incident-bot ${command}: ${token.rawName} needs a value (${option.value})`, {
          usage,
        });
      flags[token.name] = token.value;
    }
  }
  // The command name itself is the first positional.
  const args = positionals.slice(1);
  if (spec.target === 'none' && args.length > 0)
    throw new CliError(`incident-bot ${command}: takes no arguments, got "${args[0]}"`, { usage });
  if (args.length > 1)
    throw new CliError(
      `incident-bot ${command}: give one file or directory, got ${args.length} ("${args.join('", "')}")`,
      { usage },
    );
  if (spec.target === 'required' && args.length === 0)
    throw new CliError(`incident-bot ${command}: needs a ${spec.usage.split(' ')[0]}`, { usage });
  return { command, target: args[0], flags };
}
