import { CourseService } from '../services/courseService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { MilestoneService } from '../services/milestoneService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { Store } from '../store/index.ts';
import { CatchUp } from '../usecases/catchup.ts';
import { ChangeCourse } from '../usecases/changeCourse.ts';
import { EditTimes } from '../usecases/editTimes.ts';
import type { ChatPort } from '../usecases/ports/chat.ts';

/** Changing course mid-incident, wired: the service, its use case, and the assignee's App Home tasks. */
function buildCourse(parts: {
  store: Store;
  service: IncidentService;
  runbooks: () => RunbookSet;
  chat: ChatPort;
  home: HomePublisher;
  timekeeper: { replan(incidentId: number): void };
}): ChangeCourse {
  const { store, service, runbooks, chat, home } = parts;
  const courseService = new CourseService(store, service, runbooks, parts.timekeeper);
  home.assignments = (userId) =>
    courseService.assignedTo(userId).map((step) => ({
      incidentId: step.incidentId,
      channelId: service.get(step.incidentId).channelId,
      number: step.number,
      title: step.title,
    }));
  return new ChangeCourse({ course: courseService, incidents: service, chat });
}

/** Editing the structured times, wired. */
function buildTimes(parts: {
  store: Store;
  service: IncidentService;
  chat: ChatPort;
  now: () => Date;
}): EditTimes {
  const milestones = new MilestoneService(parts.store, parts.service, parts.now);
  return new EditTimes({ milestones, chat: parts.chat });
}

/** What a responder uses beyond the runbook walk: change course, catch up, correct the times. */
export function buildResponderTools(parts: {
  store: Store;
  service: IncidentService;
  runbooks: () => RunbookSet;
  chat: ChatPort;
  home: HomePublisher;
  timekeeper: { replan(incidentId: number): void };
  now: () => Date;
}): { course: ChangeCourse; catchup: CatchUp; times: EditTimes } {
  return {
    course: buildCourse(parts),
    catchup: new CatchUp({ incidents: parts.service, now: parts.now }),
    times: buildTimes(parts),
  };
}
