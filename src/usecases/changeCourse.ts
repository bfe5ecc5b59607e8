import type { Incident } from '../domain/incident.ts';
import type { IncidentStep } from '../domain/steps.ts';
import type { CourseService } from '../services/courseService.ts';
import type { IncidentService } from '../services/incidentService.ts';
import type { ChatPort } from './ports/chat.ts';

export interface ChangeCourseDeps {
  course: Pick<CourseService, 'switchRunbook' | 'addStep' | 'assign' | 'stepByNumber'>;
  incidents: Pick<IncidentService, 'get'>;
  chat: Pick<
    ChatPort,
    'showStep' | 'postStep' | 'refreshHeader' | 'announceRunbookSwitched' | 'tellAssignee'
  >;
}

/**
 * When the incident does not go as the runbook expects: another runbook, a step of one's own, a step
 * handed to one person. Each change is stored first, then said in the channel through the chat port.
 */
export class ChangeCourse {
  constructor(private readonly deps: ChangeCourseDeps) {}

  /** The old runbook's open steps show as skipped, the new runbook's first step is posted. */
  async switchRunbook(input: { incidentId: number; runbookId: string; actor: string }): Promise<void> {
    const { chat } = this.deps;
    const change = await this.deps.course.switchRunbook(input);
    for (const step of change.skipped) await chat.showStep(change.incident, step);
    await chat.announceRunbookSwitched(change.incident, {
      from: change.from,
      to: change.to,
      by: input.actor,
      skipped: change.skipped.length,
    });
    if (change.active) await chat.postStep(change.incident, change.active);
    await chat.refreshHeader(change.incident.id);
  }

  async addStep(input: {
    incidentId: number;
    title: string;
    checks: readonly string[];
    actor: string;
  }): Promise<IncidentStep> {
    const step = await this.deps.course.addStep(input);
    const incident = await this.deps.incidents.get(step.incidentId);
    await this.deps.chat.postStep(incident, step);
    await this.deps.chat.refreshHeader(incident.id);
    return step;
  }

  /** `assign step 2 @bob` from the command; the step message's picker gives the step directly. */
  async assignNumber(input: {
    incidentId: number;
    number: number;
    assignee: string;
    actor: string;
  }): Promise<IncidentStep> {
    const step = await this.deps.course.stepByNumber(input.incidentId, input.number);
    return this.assign({ stepId: step.id, assignee: input.assignee, actor: input.actor });
  }

  async assign(input: { stepId: number; assignee: string; actor: string }): Promise<IncidentStep> {
    const { step, changed } = await this.deps.course.assign(input);
    const incident: Incident = await this.deps.incidents.get(step.incidentId);
    await this.deps.chat.showStep(incident, step);
    if (changed) await this.deps.chat.tellAssignee(incident, step, input.actor);
    return step;
  }
}
