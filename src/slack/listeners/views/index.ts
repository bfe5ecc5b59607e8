import type { App } from '@slack/bolt';
import { VIEWS } from '../../ids.ts';
import type { ListenerDeps } from '../../incidentFlows.ts';
import { declareSubmitted } from './declare.ts';
import { escalateSubmitted, severitySubmitted, skipSubmitted, statusSubmitted } from './incidentModals.ts';
import { execBriefSubmitted, statusUpdateSubmitted } from './updates.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.view(VIEWS.declare, declareSubmitted(deps));
  app.view(VIEWS.skipStep, skipSubmitted(deps));
  app.view(VIEWS.status, statusSubmitted(deps));
  app.view(VIEWS.severity, severitySubmitted(deps));
  app.view(VIEWS.escalate, escalateSubmitted(deps));
  app.view(VIEWS.statusUpdate, statusUpdateSubmitted(deps));
  app.view(VIEWS.execBrief, execBriefSubmitted(deps));
}
