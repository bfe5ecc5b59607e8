import { CourseService } from '../services/courseService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { RunbookSet } from '../services/runbookSet.ts';
import type { HomePublisher } from '../slack/home.ts';
import type { Store } from '../store/index.ts';
import { ChangeCourse } from '../usecases/changeCourse.ts';
import type { ChatPort } from '../usecases/ports/chat.ts';

/** Changing course mid-incident, wired: the service, its use case, and the assignee's App Home tasks. */
export function buildCourse(parts: {
  store: Store;
  service: IncidentService;
  runbooks: () => RunbookSet;
  chat: ChatPort;
  home: HomePublisher;
}): ChangeCourse {
  const { store, service, runbooks, chat, home } = parts;
  const courseService = new CourseService(store, service, runbooks);
  home.assignments = (userId) =>
    courseService.assignedTo(userId).map((step) => ({
      incidentId: step.incidentId,
      channelId: service.get(step.incidentId).channelId,
      number: step.number,
      title: step.title,
    }));
  return new ChangeCourse({ course: courseService, incidents: service, chat });
}
