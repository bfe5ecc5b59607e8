import type { Incident } from '../../domain/incident.ts';
import type { Timer } from '../../domain/timer.ts';
import { type TimerPayload, TimerPayloadSchema } from '../../domain/timerPlan.ts';
import type { ListenerDeps } from '../../slack/incidentFlows.ts';

/**
 * The incident a timer is about, if it still needs the timer: resolving cancels timers, but one claimed
 * just before the resolve commits must not page anyone about a finished incident.
 */
export function openIncident(deps: ListenerDeps, timer: Timer): Incident | null {
  if (timer.incidentId === null) return null;
  let incident: Incident;
  try {
    incident = deps.service.get(timer.incidentId);
  } catch {
    return null;
  }
  return deps.timekeeper.isOpen(incident) ? incident : null;
}

/** The timer's payload; a row written by an older version falls back to "about its due time". */
export function payloadOf(timer: Timer): TimerPayload {
  const parsed = TimerPayloadSchema.safeParse(timer.payload ?? {});
  return parsed.success ? parsed.data : TimerPayloadSchema.parse({ since: timer.dueAt });
}
