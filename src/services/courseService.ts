import type { Incident } from '../domain/incident.ts';
import type { IncidentStep, NewStep } from '../domain/steps.ts';
import type { StorePort, StoreRepositories } from '../usecases/ports/store.ts';
import { checklistFor } from './checklists.ts';
import type { IncidentService } from './incidentService.ts';
import { UserError } from './outcomes.ts';
import type { RunbookSet } from './runbookSet.ts';
import { activateNext, walkOf } from './walk.ts';

/** Why the old runbook's open steps were skipped: the post-mortem and "runbook needs update" read it. */
export const SWITCHED_REASON = 'Runbook switched to';

/** Enough for a precise ad-hoc step; the details go in the channel. */
export const ADHOC_TITLE_MAX = 300;
export const ADHOC_CHECKS_MAX = 10;

export interface RunbookSwitch {
  incident: Incident;
  from: string | null;
  to: { id: string; title: string };
  /** The old runbook's open steps, now skipped; their messages are redrawn. */
  skipped: IncidentStep[];
  /** The step of the new runbook that became active, if one did. */
  active: IncidentStep | null;
}

/**
 * Changing course mid-incident (Mattermost Playbooks' "change playbook", "add task", "assign"): each
 * change in one transaction with its timeline entry. Steps already done stay done and on the timeline.
 */
export class CourseService {
  constructor(
    private readonly store: StorePort,
    private readonly incidents: Pick<IncidentService, 'get' | 'step' | 'note'>,
    private readonly runbooks: () => RunbookSet,
    /** Re-plans the timers in the same transaction: the new runbook may escalate after another delay. */
    private readonly timers?: { replan(incidentId: number, tx?: StoreRepositories): Promise<void> },
  ) {}

  async switchRunbook(input: {
    incidentId: number;
    runbookId: string;
    actor: string;
  }): Promise<RunbookSwitch> {
    const runbook = this.runbooks().catalog.byId(input.runbookId);
    if (!runbook) {
      throw new UserError(
        `There is no runbook ${input.runbookId}. Find one with /incident runbooks <keyword>, then run /incident runbook RUN-00N.`,
      );
    }
    return this.store.transaction(async (tx) => {
      const current = await this.openIncident(input.incidentId, 'switch its runbook', tx);
      if (current.runbookId === runbook.id)
        throw new UserError(`${runbook.id} is already this incident's runbook.`);
      const reason = `${SWITCHED_REASON} ${runbook.id}`;
      const open = (await walkOf(tx, current.id)).filter(
        (s) => s.state === 'pending' || s.state === 'active',
      );
      const skipped: IncidentStep[] = [];
      for (const s of open)
        skipped.push((await tx.checklist.setStepState(s.id, 'skipped', input.actor, reason)).step);
      const last = await this.lastPosition(current.id, tx);
      const rows = checklistFor(current.id, runbook, undefined)
        .filter((row) => row.section === 'step')
        .map((row, i) => ({ ...row, position: last + 1 + i }));
      await tx.checklist.insertSteps(rows);
      const incident = (await tx.incidents.update(current.id, { runbookId: runbook.id })) as Incident;
      await this.incidents.note(
        current.id,
        input.actor,
        'runbook_switched',
        `Runbook switched from ${current.runbookId ?? 'none'} to ${runbook.id}: ${runbook.title} (${skipped.length} open step${skipped.length === 1 ? '' : 's'} of the old one skipped)`,
        { from: current.runbookId, to: runbook.id, skipped: skipped.map((s) => s.id) },
        tx,
      );
      await this.timers?.replan(current.id, tx);
      const active = await activateNext(tx, current.id);
      return {
        incident,
        from: current.runbookId,
        to: { id: runbook.id, title: runbook.title },
        skipped,
        active,
      };
    });
  }

  /** An ad-hoc step with its own checks, numbered after the last step; active at once (work in parallel). */
  addStep(input: {
    incidentId: number;
    title: string;
    checks: readonly string[];
    actor: string;
  }): Promise<IncidentStep> {
    const title = input.title.trim();
    const checks = input.checks.map((c) => c.trim()).filter(Boolean);
    if (!title)
      throw new UserError(
        'Give the step a title. Example: /incident step add Drain node-7 | pods rescheduled',
      );
    if ([...title].length > ADHOC_TITLE_MAX)
      throw new UserError(
        `Step titles stop at ${ADHOC_TITLE_MAX} characters: shorten it, post details in the channel.`,
      );
    if (checks.length > ADHOC_CHECKS_MAX)
      throw new UserError(`A step takes at most ${ADHOC_CHECKS_MAX} checks: split it into two steps.`);
    return this.store.transaction(async (tx) => {
      const incident = await this.openIncident(input.incidentId, 'add a step to it', tx);
      const walk = await walkOf(tx, incident.id);
      const number = Math.max(0, ...walk.map((s) => s.number ?? 0)) + 1;
      const row: NewStep = {
        incidentId: incident.id,
        position: (await this.lastPosition(incident.id, tx)) + 1,
        section: 'step',
        runbookId: null,
        number,
        title,
        checks,
      };
      const inserted = await tx.checklist.insertStep(row);
      const step = (await tx.checklist.setStepState(inserted.id, 'active', input.actor)).step;
      const listed = checks.length ? ` (checks: ${checks.join('; ')})` : '';
      await this.incidents.note(
        incident.id,
        input.actor,
        'step_added',
        `Step ${number} added: ${title}${listed}`,
        { stepId: step.id, checks },
        tx,
      );
      return step;
    });
  }

  /** `assign step 2 @bob`: the open step with that number (the newest, after a runbook switch). */
  async stepByNumber(incidentId: number, number: number): Promise<IncidentStep> {
    const walk = await walkOf(this.store, incidentId);
    const same = walk.filter((s) => s.number === number);
    const open = same.filter((s) => s.state === 'pending' || s.state === 'active');
    const step = open.at(-1) ?? same.at(-1);
    if (step) return step;
    const numbers = [...new Set(walk.filter((s) => s.state !== 'skipped').map((s) => s.number))];
    throw new UserError(
      `There is no step ${number} in this incident. Its steps are numbered ${numbers.join(', ') || 'nothing yet'}; add one with /incident step add <title>.`,
    );
  }

  assign(input: { stepId: number; assignee: string; actor: string }): Promise<{
    step: IncidentStep;
    changed: boolean;
  }> {
    return this.store.transaction(async (tx) => {
      const current = await this.incidents.step(input.stepId, tx);
      await this.openIncident(current.incidentId, 'assign its steps', tx);
      if (current.state === 'done' || current.state === 'skipped')
        throw new UserError(
          `Step ${current.number ?? ''} is ${current.state}: reopen it before assigning it.`,
        );
      const { step, changed } = await tx.checklist.assign(current.id, input.assignee, input.actor);
      if (changed) {
        await this.incidents.note(
          step.incidentId,
          input.actor,
          'step_assigned',
          `Step ${step.number ?? ''} assigned to <@${input.assignee}>: ${step.title}`,
          { stepId: step.id, assignee: input.assignee },
          tx,
        );
      }
      return { step, changed };
    });
  }

  /** One person's open steps in open incidents, for their App Home. */
  assignedTo(userId: string): Promise<IncidentStep[]> {
    return this.store.checklist.assignedTo(userId);
  }

  private async openIncident(incidentId: number, what: string, tx: StoreRepositories): Promise<Incident> {
    const incident = await this.incidents.get(incidentId, tx);
    if (incident.status === 'resolved' || incident.status === 'closed') {
      throw new UserError(
        `Incident #${incident.id} is ${incident.status}, so you cannot ${what}. Reopen it first with /incident status investigating.`,
      );
    }
    return incident;
  }

  private async lastPosition(incidentId: number, tx: StoreRepositories): Promise<number> {
    return Math.max(0, ...(await tx.checklist.listSteps(incidentId)).map((s) => s.position));
  }
}
