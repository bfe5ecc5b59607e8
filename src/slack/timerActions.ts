import type { Incident } from '../domain/incident.ts';
import type { Timer } from '../domain/timer.ts';
import type { TimerActions } from '../usecases/ports/timerActions.ts';
import type { ListenerDeps } from './incidentFlows.ts';
import { remindFollowups, remindPostmortem } from './reminderFlows.ts';
import { escalateOnTimer, remindUpdate, repageTeam } from './timerFlows.ts';

/** The scheduler's timer actions, carried out in Slack by the timer and reminder flows. */
export function slackTimerActions(deps: ListenerDeps): TimerActions {
  return {
    openIncident: async (timer: Timer): Promise<Incident | null> => {
      if (timer.incidentId === null) return null;
      let incident: Incident;
      try {
        incident = await deps.service.get(timer.incidentId);
      } catch {
        return null;
      }
      return deps.timekeeper.isOpen(incident) ? incident : null;
    },
    acknowledgedSince: (incidentId, since) => deps.timekeeper.acknowledgedSince(incidentId, since),
    repageTeam: (incident, payload, late) => repageTeam(deps, incident, payload, late),
    escalate: (incident, payload, late) => escalateOnTimer(deps, incident, payload, late),
    remindUpdate: (incident, timer, payload, kind, late) =>
      remindUpdate(deps, incident, timer, payload, kind, late),
    remindPostmortem: (timer, late) => remindPostmortem(deps, timer, late),
    remindFollowups: () => remindFollowups(deps),
    announceArchive: (incidentId) => deps.archive.notice(incidentId),
    archiveChannel: (incidentId) => deps.archive.archive(incidentId),
  };
}
