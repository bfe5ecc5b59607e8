import type { ArchiveChannels } from '../usecases/archive.ts';
import type { EscalationTimers } from '../usecases/escalate.ts';
import type { TimerActions } from '../usecases/ports/timerActions.ts';
import type { AftermathReminders } from '../usecases/reminders.ts';
import type { StatusUpdates } from '../usecases/statusUpdate.ts';

/** The scheduler's timer actions: each one a use case, which says what it has to say through the chat port. */
export function slackTimerActions(useCases: {
  escalationTimers: EscalationTimers;
  updates: StatusUpdates;
  reminders: AftermathReminders;
  archive: ArchiveChannels;
}): TimerActions {
  const { escalationTimers: timers, updates, reminders, archive } = useCases;
  return {
    openIncident: (timer) => timers.openIncident(timer.incidentId),
    acknowledgedSince: (incidentId, since) => timers.acknowledgedSince(incidentId, since),
    repageTeam: (incident, payload, late) => timers.repage(incident, payload, late),
    escalate: (incident, payload, late) => timers.escalate(incident, payload, late),
    remindUpdate: (incident, timer, payload, kind, late) =>
      updates.remind(incident, timer, payload, kind, late),
    remindPostmortem: (timer, late) => reminders.postmortem(timer, late),
    remindFollowups: () => reminders.followups(),
    announceArchive: (incidentId) => archive.notice(incidentId),
    archiveChannel: (incidentId) => archive.archive(incidentId),
  };
}
