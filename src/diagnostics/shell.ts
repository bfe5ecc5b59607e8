import { fillPlaceholders, OUTPUT_CAP_BYTES, runArgv, splitArgv } from './exec.ts';
import { CheckError, type Probe } from './types.ts';

/** The first number in the output, so `critical: ">= 90"` can judge `df`-like one-liners. */
function firstNumber(text: string): number | null {
  const match = /-?\d+(?:\.\d+)?/.exec(text);
  return match ? Number(match[0]) : null;
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
    const value = firstNumber(result.stdout);
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
