import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CliError,
  type CliIO,
  type CommandName,
  commandUsage,
  isCommand,
  mainUsage,
  type ParsedCommand,
  parseCommand,
} from './cli/args.ts';
import { lint, list, matrix, show } from './cli/runbookCommands.ts';
import { defaultDir, preparseTarget } from './cli/targets.ts';

export type { CliIO };

type Handler = (parsed: ParsedCommand, io: CliIO) => number | Promise<number>;

/**
 * A large folder not parsed yet (a first CI lint) is parsed in worker threads before the command reads
 * it; otherwise the command runs at once, synchronously, as before.
 */
const afterThreadedParse =
  (handler: Handler): Handler =>
  (parsed, io) => {
    const pending = preparseTarget(parsed.target ?? defaultDir());
    return pending ? pending.then(() => handler(parsed, io)) : handler(parsed, io);
  };

/** preview and doctor load the Slack client, builders and store: only when they run, so lint starts fast. */
const HANDLERS: Record<CommandName, Handler> = {
  lint: afterThreadedParse(lint),
  list: afterThreadedParse(list),
  show,
  preview: async (parsed, io) => (await import('./cli/preview.ts')).preview(parsed, io),
  doctor: async (parsed, io) => (await import('./cli/doctorCommand.ts')).doctor(parsed, io),
  matrix: afterThreadedParse(matrix),
};

/** The version of package.json (one level above both src/ and dist/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const STDIO: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs the CLI and returns the exit code (0 ok, 1 the check failed, 2 bad usage: see EXIT_CODES). I/O
 * is injected so tests call it in-process. Nothing escapes as a stack trace: every failure is one line,
 * or a JSON object on stdout with --json, so a pre-commit hook or CI job can always read the result.
 */
export function runCli(argv: string[], io: CliIO = STDIO): number | Promise<number> {
  const json = argv.includes('--json');
  const command = argv.find((a) => !a.startsWith('-'));
  const help = argv.includes('--help') || argv.includes('-h');
  if (argv.includes('--version') || argv.includes('-V')) {
    io.out(`incident-bot ${version()}\n`);
    return 0;
  }
  if (command === 'help') {
    const topic = argv[argv.indexOf('help') + 1];
    io.out(topic && isCommand(topic) ? commandUsage(topic) : mainUsage());
    return 0;
  }
  if (!command || !isCommand(command)) {
    if (help && !command) {
      io.out(mainUsage());
      return 0;
    }
    const problem = command
      ? `Unknown command "${command}": the commands are listed below`
      : argv.length > 0
        ? `incident-bot: ${argv[0]} is not a command; give one of the commands below`
        : 'incident-bot: give a command';
    return report(new CliError(problem, { usage: mainUsage().trimEnd() }), json, io);
  }
  if (help) {
    io.out(commandUsage(command));
    return 0;
  }
  try {
    const result = HANDLERS[command](parseCommand(command, argv), io);
    return typeof result === 'number' ? result : result.catch((error) => report(error, json, io, command));
  } catch (error) {
    return report(error, json, io, command);
  }
}

/** One line (plus the usage line for a usage error) on stderr, or one JSON object on stdout. */
function report(error: unknown, json: boolean, io: CliIO, command?: string): number {
  const known = error instanceof CliError;
  const code = known ? error.exitCode : 2;
  const message = known
    ? error.message
    : `incident-bot ${command ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`;
  const where = known ? error.where : {};
  if (json) {
    io.out(
      `${JSON.stringify({ ok: false, error: { message, file: where.file ?? null, line: where.line ?? null, usage: where.usage ?? null } }, null, 2)}\n`,
    );
    return code;
  }
  const location = where.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ` : '';
  // Only the first line of a message: a library's multi-line error must not become a wall of text.
  const line = `${location}${message}`.split('\n')[0];
  io.err(`${line}\n${where.usage ? `${where.usage}\n` : ''}`);
  return code;
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = await runCli(process.argv.slice(2));
