import { CourseService } from '../services/courseService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { MilestoneService } from '../services/milestoneService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { HomePublisher } from '../slack/home.ts';
import { CatchUp } from '../usecases/catchup.ts';
import { ChangeCourse } from '../usecases/changeCourse.ts';
import { EditTimes } from '../usecases/editTimes.ts';
import type { ChatPort } from '../usecases/ports/chat.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';

/** Changing course mid-incident, wired: the service, its use case, and the assignee's App Home tasks. */
function buildCourse(parts: {
  store: StorePort;
  service: IncidentService;
  runbooks: () => RunbookSet;
  chat: ChatPort;
  home: HomePublisher;
  timekeeper: { replan(incidentId: number, tx?: StoreRepositories): Promise<void> };
}): ChangeCourse {
  const { store, service, runbooks, chat, home } = parts;
  const courseService = new CourseService(store, service, runbooks, parts.timekeeper);
  home.assignments = async (userId) => {
    const tasks = [];
    for (const step of await courseService.assignedTo(userId)) {
      const { channelId } = await service.get(step.incidentId);
      tasks.push({ incidentId: step.incidentId, channelId, number: step.number, title: step.title });
    }
    return tasks;
  };
  return new ChangeCourse({ course: courseService, incidents: service, chat });
}

/** Editing the structured times, wired. */
function buildTimes(parts: {
  store: StorePort;
  service: IncidentService;
  chat: ChatPort;
  now: () => Date;
}): EditTimes {
  const milestones = new MilestoneService(parts.store, parts.service, parts.now);
  return new EditTimes({ milestones, chat: parts.chat });
}

/** What a responder uses beyond the runbook walk: change course, catch up, correct the times. */
export function buildResponderTools(parts: {
  store: StorePort;
  service: IncidentService;
  runbooks: () => RunbookSet;
  chat: ChatPort;
  home: HomePublisher;
  timekeeper: { replan(incidentId: number, tx?: StoreRepositories): Promise<void> };
  now: () => Date;
}): { course: ChangeCourse; catchup: CatchUp; times: EditTimes } {
  return {
    course: buildCourse(parts),
    catchup: new CatchUp({ incidents: parts.service, now: parts.now }),
    times: buildTimes(parts),
  };
}
