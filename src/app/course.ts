import type { CourseService } from '../services/courseService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import { MilestoneService } from '../services/milestoneService.ts';
import type { AssignedTask } from '../slack/blocks/home.ts';
import type { HomeViewers } from '../slack/home.ts';
import { CatchUp } from '../usecases/catchup.ts';
import { ChangeCourse } from '../usecases/changeCourse.ts';
import { EditTimes } from '../usecases/editTimes.ts';
import type { ChatPort } from '../usecases/ports/chat.ts';
import type { HeartbeatStore, StorePort } from '../usecases/ports/store.ts';

/** The steps handed to a person, for "My tasks" in their App Home tab. */
export function assignedTasks(
  course: Pick<CourseService, 'assignedTo'>,
  service: Pick<IncidentService, 'get'>,
): (userId: string) => Promise<AssignedTask[]> {
  return async (userId) => {
    const tasks = [];
    for (const step of await course.assignedTo(userId)) {
      const { channelId } = await service.get(step.incidentId);
      tasks.push({ incidentId: step.incidentId, channelId, number: step.number, title: step.title });
    }
    return tasks;
  };
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
  course: CourseService;
  chat: ChatPort;
  now: () => Date;
}): { course: ChangeCourse; catchup: CatchUp; times: EditTimes } {
  return {
    course: new ChangeCourse({ course: parts.course, incidents: parts.service, chat: parts.chat }),
    catchup: new CatchUp({ incidents: parts.service, now: parts.now }),
    times: buildTimes(parts),
  };
}

const VIEWER = 'home-viewer:';

/** App Home's viewers in the store's heartbeats, so that a change on any replica refreshes every open tab. */
export function homeViewers(heartbeats: HeartbeatStore): HomeViewers {
  return {
    seen: (userId, at) => heartbeats.beat(`${VIEWER}${userId}`, at),
    recent: async (since, limit) =>
      (await heartbeats.since(VIEWER, since, limit)).map((name) => name.slice(VIEWER.length)),
  };
}
