import { evaluateThreshold, parseCondition, thresholdNames } from '../domain/conditions.ts';
import { parseDuration } from '../domain/duration.ts';
import type { DiagnosticCheck } from '../runbooks/model.ts';
import { databaseProbe } from './database.ts';
import { httpProbe } from './http.ts';
import { logProbe } from './logs.ts';
import { prometheusProbe } from './prometheus.ts';
import { shellProbe } from './shell.ts';
import { type CheckContext, CheckError, type CheckResult, type Observation, type Probe } from './types.ts';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

type Probes = { [K in DiagnosticCheck['kind']]: Probe<K> };
const PROBES: Probes = {
  prometheus_query: prometheusProbe,
  http_check: httpProbe,
  shell_command: shellProbe,
  database_query: databaseProbe,
  log_search: logProbe,
};

function observe(check: DiagnosticCheck, context: CheckContext, signal: AbortSignal): Promise<Observation> {
  // The switch narrows `check` to its kind, so each probe gets exactly its own shape.
  switch (check.kind) {
    case 'prometheus_query':
      return PROBES.prometheus_query.observe(check, context, signal);
    case 'http_check':
      return PROBES.http_check.observe(check, context, signal);
    case 'shell_command':
      return PROBES.shell_command.observe(check, context, signal);
    case 'database_query':
      return PROBES.database_query.observe(check, context, signal);
    case 'log_search':
      return PROBES.log_search.observe(check, context, signal);
  }
}

export function timeoutOf(check: DiagnosticCheck): number {
  return (check.timeout && parseDuration(check.timeout)) || DEFAULT_CHECK_TIMEOUT_MS;
}

/** Every field any item has, so a threshold naming a missing field is an error, not a silent pass. */
function fieldsOf(observation: Observation): Set<string> {
  return new Set(observation.items.flatMap((item) => Object.keys(item)));
}

/** Turns what a probe saw into a status: critical before warning; no thresholds means the kind's verdict. */
export function interpret(
  check: DiagnosticCheck,
  observation: Observation,
): Pick<CheckResult, 'status' | 'threshold' | 'detail'> {
  const { warning, critical } = check.thresholds ?? {};
  const configured =
    [critical && `critical ${critical}`, warning && `warning ${warning}`].filter(Boolean).join(', ') || null;
  if (observation.items.length === 0) {
    return {
      status: check.no_data ?? 'error',
      threshold: configured,
      detail: `no data: the check returned nothing to judge${observation.detail ? `\n${observation.detail}` : ''}`,
    };
  }
  if (!warning && !critical)
    return { status: observation.verdict ?? 'healthy', threshold: null, detail: observation.detail };
  const known = fieldsOf(observation);
  for (const text of [critical, warning]) {
    const missing = text ? thresholdNames(text).filter((f) => !known.has(f)) : [];
    if (missing.length)
      return {
        status: 'error',
        threshold: configured,
        detail: `threshold "${text}" names ${missing.join(', ')}, which this check does not measure (it has: ${[...known].join(', ')}); fix the runbook`,
      };
  }
  if (critical && evaluateThreshold(parseCondition(critical), observation.items))
    return { status: 'critical', threshold: `critical ${critical}`, detail: observation.detail };
  if (warning && evaluateThreshold(parseCondition(warning), observation.items))
    return { status: 'warning', threshold: `warning ${warning}`, detail: observation.detail };
  // A threshold that passes cannot hide the kind's own alarm (an unreachable URL stays critical).
  const verdict =
    observation.verdict === 'critical' || observation.verdict === 'error' ? observation.verdict : 'healthy';
  return { status: verdict, threshold: configured, detail: observation.detail };
}

/**
 * Runs one check with its own timeout. Whatever happens (a throw, a hang, a probe that ignores the abort),
 * the answer comes back by the deadline, and anything but a clean observation is status `error`.
 */
export async function runCheck(
  check: DiagnosticCheck,
  context: CheckContext,
  parent?: AbortSignal,
): Promise<CheckResult> {
  const timeoutMs = timeoutOf(check);
  const controller = new AbortController();
  const started = performance.now();
  const base = { id: check.id, title: check.title ?? check.id, kind: check.kind, step: check.step ?? null };
  let timer: NodeJS.Timeout | undefined;
  const onParentAbort = () => controller.abort(new CheckError('diagnostics were cancelled'));
  parent?.addEventListener('abort', onParentAbort, { once: true });
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CheckError(
        `timed out after ${timeoutMs} ms (timeout: ${check.timeout ?? 'default 10s'})`,
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    const observation = await Promise.race([observe(check, context, controller.signal), deadline]);
    const verdict = interpret(check, observation);
    return {
      ...base,
      ...verdict,
      value: observation.value,
      display: observation.display,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const reason =
      controller.signal.aborted && controller.signal.reason instanceof Error
        ? controller.signal.reason.message
        : error instanceof Error
          ? error.message
          : String(error);
    return {
      ...base,
      status: 'error',
      value: null,
      display: 'no result',
      threshold: null,
      detail: reason,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/** All checks of a runbook at once; the slowest check (or its timeout) bounds the whole run. */
export function runChecks(
  checks: readonly DiagnosticCheck[],
  context: CheckContext,
  signal?: AbortSignal,
): Promise<CheckResult[]> {
  return Promise.all(checks.map((check) => runCheck(check, context, signal)));
}
