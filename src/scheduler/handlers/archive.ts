import { ARCHIVE_KIND } from '../../domain/archive.ts';
import type { TimerActions } from '../../usecases/ports/timerActions.ts';
import type { TimerHandler } from '../scheduler.ts';

/** The channel's archive notice and the archive itself, a while after the incident is over. */
export function archiveHandlers(actions: TimerActions): Record<string, TimerHandler> {
  return {
    [ARCHIVE_KIND.notice]: async (timer) => {
      if (timer.incidentId !== null) await actions.announceArchive(timer.incidentId);
    },
    [ARCHIVE_KIND.archive]: async (timer) => {
      if (timer.incidentId !== null) await actions.archiveChannel(timer.incidentId);
    },
  };
}
