import type { App } from '@slack/bolt';
import { ACTIONS, anyNthAction } from '../../ids.ts';
import type { ListenerDeps } from '../../incidentFlows.ts';
import { rerunDiagnostics, runRemediation } from './diagnosticsButtons.ts';
import { startDrillButton } from './drillButton.ts';
import { followupDone } from './followupDone.ts';
import { claimCommander, openDeclare, openModal, resolve } from './headerButtons.ts';
import { pickIncident } from './pickIncident.ts';
import { completeStep, reopenStep, skipStep } from './stepButtons.ts';
import { chooseOption, choosePhase, takeJump } from './stepChoices.ts';
import { ackEscalation, openUpdateModal } from './timerButtons.ts';
import { toggleChecks } from './toggleChecks.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.action(ACTIONS.toggleChecks, toggleChecks(deps));
  app.action(ACTIONS.skipStep, skipStep(deps));
  app.action(ACTIONS.reopenStep, reopenStep(deps));
  app.action(ACTIONS.completeStep, completeStep(deps));
  app.action(ACTIONS.claimCommander, claimCommander(deps));
  app.action(ACTIONS.changeStatus, openModal(deps, 'status'));
  app.action(ACTIONS.changeSeverity, openModal(deps, 'severity'));
  app.action(ACTIONS.escalate, openModal(deps, 'escalate'));
  app.action(ACTIONS.resolve, resolve(deps));
  app.action(ACTIONS.pickIncident, pickIncident(deps));
  app.action(ACTIONS.openDeclare, openDeclare(deps));
  app.action(ACTIONS.followupDone, followupDone(deps));
  app.action(ACTIONS.rerunDiagnostics, rerunDiagnostics(deps));
  app.action(ACTIONS.runRemediation, runRemediation(deps));
  app.action(ACTIONS.ackEscalation, ackEscalation(deps));
  app.action(ACTIONS.openStatusUpdate, openUpdateModal(deps, 'status'));
  app.action(ACTIONS.openExecBrief, openUpdateModal(deps, 'brief'));
  app.action(ACTIONS.startDrill, startDrillButton(deps));
  app.action(anyNthAction(ACTIONS.chooseOption), chooseOption(deps));
  app.action(anyNthAction(ACTIONS.takeJump), takeJump(deps));
  app.action(anyNthAction(ACTIONS.choosePhase), choosePhase(deps));
}
