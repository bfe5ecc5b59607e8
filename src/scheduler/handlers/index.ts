import { TIMER_KIND } from '../../domain/timerPlan.ts';
import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';
import { aftermathHandlers } from './aftermath.ts';
import { archiveHandlers } from './archive.ts';
import { escalateHandler, escalateRepeatHandler } from './escalate.ts';
import { reminderHandler } from './reminder.ts';
import { unclaimedHandler } from './unclaimed.ts';

/** Every timer kind and the module that fires it. */
export function timerHandlers(actions: TimerActions): Record<string, TimerHandler> {
  return {
    [TIMER_KIND.unclaimed]: unclaimedHandler(actions),
    [TIMER_KIND.escalate]: escalateHandler(actions),
    [TIMER_KIND.runbookEscalate]: escalateHandler(actions),
    [TIMER_KIND.escalateRepeat]: escalateRepeatHandler(actions),
    [TIMER_KIND.updateDue]: reminderHandler(actions, 'status'),
    [TIMER_KIND.execBriefDue]: reminderHandler(actions, 'brief'),
    ...aftermathHandlers(actions),
    ...archiveHandlers(actions),
  };
}
