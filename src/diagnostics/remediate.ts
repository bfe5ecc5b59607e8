import { parseDuration } from '../domain/duration.ts';
import type { Remediation } from '../runbooks/model.ts';
import { fillPlaceholders, runArgv, splitArgv } from './exec.ts';

export const DEFAULT_REMEDIATION_TIMEOUT_MS = 60_000;
const OUTPUT_SHOWN = 3000;

export interface RemediationRun {
  ok: boolean;
  /** Exit code, HTTP status, or the reason it did not run: what the timeline and the channel show. */
  summary: string;
  output: string;
  durationMs: number;
}

/**
 * Runs an automated remediation exactly as the runbook wrote it: argv without a shell (placeholders from
 * alert labels only after their pattern matched), or one HTTP call. Never throws: a failure is a result.
 */
export async function runRemediation(
  remediation: Remediation,
  labels: Readonly<Record<string, string>>,
): Promise<RemediationRun> {
  const started = performance.now();
  const timeoutMs =
    (remediation.timeout && parseDuration(remediation.timeout)) || DEFAULT_REMEDIATION_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const done = (ok: boolean, summary: string, output = '') => ({
    ok,
    summary,
    output: output.trim().slice(0, OUTPUT_SHOWN),
    durationMs: Math.round(performance.now() - started),
  });
  try {
    if (remediation.command) {
      const argv = fillPlaceholders(splitArgv(remediation.command), remediation.placeholders, labels);
      const result = await runArgv(argv, signal);
      const output = [result.stdout, result.stderr].filter((s) => s.trim()).join('\n');
      if (signal.aborted) return done(false, `timed out after ${timeoutMs} ms and was killed`, output);
      if (result.capped) return done(false, 'output passed the cap; the command was stopped', output);
      if (result.exitCode === 0) return done(true, 'exit 0', output);
      return done(
        false,
        result.exitCode === null ? `killed by ${result.signal}` : `exit ${result.exitCode}`,
        output,
      );
    }
    if (remediation.http) {
      const res = await fetch(remediation.http.url, {
        method: remediation.http.method,
        signal,
        ...(remediation.http.body === undefined ? {} : { body: remediation.http.body }),
      });
      const body = await res.text().catch(() => '');
      return done(res.ok, `HTTP ${res.status}`, body);
    }
    return done(false, 'nothing to run: the remediation has neither command nor http');
  } catch (error) {
    if (signal.aborted) return done(false, `timed out after ${timeoutMs} ms`);
    return done(false, error instanceof Error ? error.message : String(error));
  }
}
