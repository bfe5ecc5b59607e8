import { VIEWS } from '../../ids.ts';
import type { ListenerDeps } from '../deps.ts';
import { guarded } from '../guard.ts';
import type { ListenerRouter } from '../router.ts';
import { addStepSubmitted, switchRunbookSubmitted } from './course.ts';
import { declareSubmitted } from './declare.ts';
import { escalateSubmitted, severitySubmitted, skipSubmitted, statusSubmitted } from './incidentModals.ts';
import { editTimesSubmitted } from './times.ts';
import { execBriefSubmitted, statusUpdateSubmitted } from './updates.ts';

export function register(app: ListenerRouter, deps: ListenerDeps): void {
  app.view(VIEWS.declare, guarded(deps, 'declareSubmitted', declareSubmitted(deps)));
  app.view(VIEWS.skipStep, guarded(deps, 'skipSubmitted', skipSubmitted(deps)));
  app.view(VIEWS.status, guarded(deps, 'statusSubmitted', statusSubmitted(deps)));
  app.view(VIEWS.severity, guarded(deps, 'severitySubmitted', severitySubmitted(deps)));
  app.view(VIEWS.escalate, guarded(deps, 'escalateSubmitted', escalateSubmitted(deps)));
  app.view(VIEWS.statusUpdate, guarded(deps, 'statusUpdateSubmitted', statusUpdateSubmitted(deps)));
  app.view(VIEWS.execBrief, guarded(deps, 'execBriefSubmitted', execBriefSubmitted(deps)));
  app.view(VIEWS.switchRunbook, guarded(deps, 'switchRunbookSubmitted', switchRunbookSubmitted(deps)));
  app.view(VIEWS.addStep, guarded(deps, 'addStepSubmitted', addStepSubmitted(deps)));
  app.view(VIEWS.editTimes, guarded(deps, 'editTimesSubmitted', editTimesSubmitted(deps)));
}
