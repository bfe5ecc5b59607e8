import { TIMER_KIND } from '../../domain/timerPlan.ts';
import type { ListenerDeps } from '../../slack/incidentFlows.ts';
import type { TimerHandler } from '../scheduler.ts';
import { aftermathHandlers } from './aftermath.ts';
import { escalateHandler, escalateRepeatHandler } from './escalate.ts';
import { reminderHandler } from './reminder.ts';
import { unclaimedHandler } from './unclaimed.ts';

/** Every timer kind and the module that fires it. */
export function timerHandlers(deps: ListenerDeps): Record<string, TimerHandler> {
  return {
    [TIMER_KIND.unclaimed]: unclaimedHandler(deps),
    [TIMER_KIND.escalate]: escalateHandler(deps),
    [TIMER_KIND.runbookEscalate]: escalateHandler(deps),
    [TIMER_KIND.escalateRepeat]: escalateRepeatHandler(deps),
    [TIMER_KIND.updateDue]: reminderHandler(deps, 'status'),
    [TIMER_KIND.execBriefDue]: reminderHandler(deps, 'brief'),
    ...aftermathHandlers(deps),
  };
}
