import type { Timer } from '../../domain/timer.ts';
import { type TimerPayload, TimerPayloadSchema } from '../../domain/timerPlan.ts';

/** The timer's payload; a row written by an older version falls back to "about its due time". */
export function payloadOf(timer: Timer): TimerPayload {
  const parsed = TimerPayloadSchema.safeParse(timer.payload ?? {});
  return parsed.success ? parsed.data : TimerPayloadSchema.parse({ since: timer.dueAt });
}
