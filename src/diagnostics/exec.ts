import { spawn } from 'node:child_process';
import { CheckError } from './types.ts';

/** Output kept from a command; past it the command is stopped, because an endless stream is no evidence. */
export const OUTPUT_CAP_BYTES = 64 * 1024;

/**
 * Splits a runbook's command string into argv without a shell: whitespace separates, single and double
 * quotes group, nothing else is special (no `;`, `|`, `$()`, globbing), because no shell ever sees it.
 */
export function splitArgv(command: string | readonly string[]): string[] {
  if (typeof command !== 'string') return [...command];
  const argv: string[] = [];
  let current = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (const c of command) {
    if (quote) {
      if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (/\s/.test(c)) {
      if (started) argv.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new CheckError(`unclosed ${quote} in the command; fix the runbook`);
  if (started) argv.push(current);
  if (argv.length === 0) throw new CheckError('the command is empty; fix the runbook');
  return argv;
}

/**
 * Fills `{name}` placeholders from alert labels. A placeholder must be declared with a pattern, and the
 * label must match it in full; otherwise nothing runs. Values go into argv elements, never a shell, so
 * even a matching value cannot add arguments or commands.
 */
export function fillPlaceholders(
  argv: readonly string[],
  declared: Readonly<Record<string, string>> | undefined,
  labels: Readonly<Record<string, string>>,
): string[] {
  return argv.map((arg) =>
    arg.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_whole, name: string) => {
      const pattern = declared?.[name];
      if (pattern === undefined)
        throw new CheckError(
          `placeholder {${name}} is not declared; add it under placeholders: with a strict pattern`,
        );
      const value = labels[name];
      if (value === undefined)
        throw new CheckError(`placeholder {${name}}: the alert has no label "${name}"`);
      if (!new RegExp(`^(?:${pattern})$`).test(value))
        throw new CheckError(
          `placeholder {${name}}: label value ${JSON.stringify(value.slice(0, 80))} does not match ${pattern}; refused to run`,
        );
      return value;
    }),
  );
}

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** True when the output passed the cap and the command was stopped. */
  capped: boolean;
}

/**
 * Runs argv with no shell, the minimal environment (PATH only), no stdin, and an output cap. The process
 * gets its own group so an abort (the timeout) kills its children too: a `sleep` under a wrapper must not
 * keep the pipes open after the check has given up.
 */
export function runArgv(
  argv: readonly string[],
  signal: AbortSignal,
  cap = OUTPUT_CAP_BYTES,
): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new CheckError('the command is empty; fix the runbook'));
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CheckError('aborted before start'));
    const child = spawn(file, args, {
      env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let capped = false;
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const take = (into: Buffer[]) => (chunk: Buffer) => {
      if (capped) return;
      const room = cap - size;
      if (chunk.length > room) {
        into.push(chunk.subarray(0, room));
        size = cap;
        capped = true;
        kill();
        return;
      }
      into.push(chunk);
      size += chunk.length;
    };
    child.stdout.on('data', take(out));
    child.stderr.on('data', take(err));
    const onAbort = () => kill();
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(
        new CheckError(
          error.code === 'ENOENT'
            ? `command not found: ${file} (not on the bot's PATH; install it or use an absolute path)`
            : `could not start ${file}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', onAbort);
      resolve({
        exitCode: code,
        signal: sig,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        capped,
      });
    });
  });
}
