import type { DiagnosticCheck } from '../runbooks/model.ts';
import { fillPlaceholders, OUTPUT_CAP_BYTES, runArgv, splitArgv } from './exec.ts';
import { CheckError, type Probe } from './types.ts';

type ValueSpec = Extract<DiagnosticCheck, { kind: 'shell_command' }>['value'];
const NUMBER = '-?\\d+(?:\\.\\d+)?';

/**
 * The value the runbook asks for: the whole output as one number (default), the number after a name
 * (`restarts: 3`, `restarts=3`), or a regex's first group. null when the default finds no number; an error
 * when a named value or regex is missing, so a changed output format is noticed instead of misread.
 */
export function readValue(stdout: string, spec: ValueSpec): number | null {
  const text = stdout.trim();
  if (spec === undefined || spec === 'output') {
    return new RegExp(`^${NUMBER}$`).test(text) ? Number(text) : null;
  }
  const pattern =
    'name' in spec
      ? new RegExp(
          `(?:^|[^\\w.-])${spec.name.replace(/[.-]/g, '\\$&')}\\s*[:=]\\s*(${NUMBER})(?![\\w.])`,
          'm',
        )
      : new RegExp(spec.regex, 'm');
  const found = pattern.exec(text)?.[1];
  const value = found === undefined ? Number.NaN : Number(found);
  if (!Number.isFinite(value)) {
    const what = 'name' in spec ? `"${spec.name}: <number>"` : `a number for /${spec.regex}/`;
    throw new CheckError(
      `the output has no ${what}; check the command's output or the check's value in the runbook`,
    );
  }
  return value;
}

/** `shell_command`: the runbook's own argv, no shell; exit code 0 is healthy unless thresholds say more. */
export const shellProbe: Probe<'shell_command'> = {
  kind: 'shell_command',
  async observe(check, context, signal) {
    const argv = fillPlaceholders(splitArgv(check.command), check.placeholders, context.labels);
    const result = await runArgv(argv, signal);
    if (signal.aborted) throw new CheckError('stopped');
    if (result.capped)
      throw new CheckError(
        `output passed the ${OUTPUT_CAP_BYTES / 1024} KiB cap; the command was stopped. Make it print less (e.g. | head is not available: add a filter flag).`,
      );
    const output = (result.stdout.trim() || result.stderr.trim()).slice(0, 2000);
    if (result.exitCode === null)
      throw new CheckError(
        `the command was killed by ${result.signal ?? 'a signal'}${output ? `: ${output}` : ''}`,
      );
    const value = readValue(result.stdout, check.value);
    return {
      items: [
        { exit_code: result.exitCode, value, ok: result.exitCode === 0, failed: result.exitCode !== 0 },
      ],
      value,
      display: value === null ? `exit ${result.exitCode}` : `${value} (exit ${result.exitCode})`,
      detail: output,
      verdict: result.exitCode === 0 ? 'healthy' : 'critical',
    };
  },
};
