import type { App } from '@slack/bolt';
import { ACTIONS, anyNthAction } from '../../ids.ts';
import type { ListenerDeps } from '../../incidentFlows.ts';
import { guarded } from '../guard.ts';
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
  app.action(ACTIONS.toggleChecks, guarded(deps, 'toggleChecks', toggleChecks(deps)));
  app.action(ACTIONS.skipStep, guarded(deps, 'skipStep', skipStep(deps)));
  app.action(ACTIONS.reopenStep, guarded(deps, 'reopenStep', reopenStep(deps)));
  app.action(ACTIONS.completeStep, guarded(deps, 'completeStep', completeStep(deps)));
  app.action(ACTIONS.claimCommander, guarded(deps, 'claimCommander', claimCommander(deps)));
  app.action(ACTIONS.changeStatus, guarded(deps, 'openModal', openModal(deps, 'status')));
  app.action(ACTIONS.changeSeverity, guarded(deps, 'openModal', openModal(deps, 'severity')));
  app.action(ACTIONS.escalate, guarded(deps, 'openModal', openModal(deps, 'escalate')));
  app.action(ACTIONS.resolve, guarded(deps, 'resolve', resolve(deps)));
  app.action(ACTIONS.pickIncident, guarded(deps, 'pickIncident', pickIncident(deps)));
  app.action(ACTIONS.openDeclare, guarded(deps, 'openDeclare', openDeclare(deps)));
  app.action(ACTIONS.followupDone, guarded(deps, 'followupDone', followupDone(deps)));
  app.action(ACTIONS.rerunDiagnostics, guarded(deps, 'rerunDiagnostics', rerunDiagnostics(deps)));
  app.action(ACTIONS.runRemediation, guarded(deps, 'runRemediation', runRemediation(deps)));
  app.action(ACTIONS.ackEscalation, guarded(deps, 'ackEscalation', ackEscalation(deps)));
  app.action(ACTIONS.openStatusUpdate, guarded(deps, 'openUpdateModal', openUpdateModal(deps, 'status')));
  app.action(ACTIONS.openExecBrief, guarded(deps, 'openUpdateModal', openUpdateModal(deps, 'brief')));
  app.action(ACTIONS.startDrill, guarded(deps, 'startDrillButton', startDrillButton(deps)));
  app.action(anyNthAction(ACTIONS.chooseOption), guarded(deps, 'chooseOption', chooseOption(deps)));
  app.action(anyNthAction(ACTIONS.takeJump), guarded(deps, 'takeJump', takeJump(deps)));
  app.action(anyNthAction(ACTIONS.choosePhase), guarded(deps, 'choosePhase', choosePhase(deps)));
}
