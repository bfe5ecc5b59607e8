/**
 * Every action_id, callback_id and block_id prefix the bot uses, in one place: a reader finds "what
 * happens when someone clicks X" by searching for the constant, and builders and listeners cannot drift.
 * Button values carry the incident or step ID as a decimal string.
 */
export const ACTIONS = {
  claimCommander: 'incident_claim_commander',
  changeStatus: 'incident_change_status',
  changeSeverity: 'incident_change_severity',
  escalate: 'incident_escalate',
  resolve: 'incident_resolve',
  /** Checkbox element of a step or checklist message; block_id is `checks:<stepId>:<chunk>`, option value the check position. */
  toggleChecks: 'step_toggle_checks',
  skipStep: 'step_skip',
  /** "Mark done" on a step whose runbook gives it no verification checks to tick. */
  completeStep: 'step_complete',
  reopenStep: 'step_reopen',
  /** Static select on the "which incident?" prompt; option value `<incidentId>`. */
  pickIncident: 'incident_pick',
  openDeclare: 'incident_open_declare',
  /** "Done" on an overdue follow-up's reminder; value `<followupId>`. */
  followupDone: 'followup_done',
  /** "Re-run diagnostics" on the evidence message; value `<incidentId>`. */
  rerunDiagnostics: 'diagnostics_rerun',
  /** A recommended remediation's Run / Approve / Escalate button; value `<incidentId>:<remediationId>`. */
  runRemediation: 'diagnostics_remediate',
  /** "Acknowledge" on an escalation message: stops its repeats. Value: incident ID. */
  ackEscalation: 'escalation_acknowledge',
  /** Opens the prefilled status-update modal (reminders). Value: incident ID. */
  openStatusUpdate: 'incident_open_status_update',
  /** "Snooze 15 min" / "Snooze 1 h" on an update reminder; value `<incidentId>:<status|brief>:<15m|1h>`. */
  snoozeReminder: 'reminder_snooze_15m',
  snoozeReminderHour: 'reminder_snooze_1h',
  /** "Dismiss" on an update reminder: no more reminders of this due update; value `<incidentId>:<status|brief>`. */
  dismissReminder: 'reminder_dismiss',
  /** Opens the prefilled executive-brief modal (reminders). Value: incident ID. */
  openExecBrief: 'incident_open_exec_brief',
  /** "Start a drill" on the weekly runbook review; value: the runbook ID. Same flow as /incident drill. */
  startDrill: 'runbook_start_drill',
  /** One alternative of a step ("Option 1 / Option 2"); value `<stepId>:<option key>`. */
  chooseOption: 'step_choose_option',
  /** "If X, go to step N"; value `<stepId>:<index of the jump in the step>`. */
  takeJump: 'step_take_jump',
  /** Which procedure of a multi-procedure runbook applies; value `<incidentId>:<phase key>`. */
  choosePhase: 'incident_choose_phase',
  /** User picker on an active step: hands the step to that person. block_id `assign:<stepId>`. */
  assignStep: 'step_assign',
  /** Header: opens the "switch runbook" modal; value: incident ID. */
  switchRunbook: 'incident_switch_runbook',
  /** Header: opens the "add a step" modal; value: incident ID. */
  addStep: 'incident_add_step',
  /** Header: opens the structured-times modal; value: incident ID. */
  editTimes: 'incident_edit_times',
} as const;

/** Callback IDs of the app's shortcuts; manifest.yml declares the same IDs (test/manifest.test.ts checks). */
export const SHORTCUTS = {
  /** Global shortcut (lightning menu): opens the declare form. */
  declare: 'incident_declare_shortcut',
  /** Message shortcut ("More actions" on a message): adds the message to its incident's timeline. */
  addToTimeline: 'incident_add_to_timeline',
} as const;

export const VIEWS = {
  declare: 'incident_declare',
  skipStep: 'step_skip_reason',
  status: 'incident_status',
  severity: 'incident_severity',
  escalate: 'incident_escalate',
  statusUpdate: 'incident_status_update',
  execBrief: 'incident_exec_brief',
  switchRunbook: 'incident_switch_runbook',
  addStep: 'incident_add_step',
  editTimes: 'incident_edit_times',
} as const;

/** Slack wants the buttons of one block to have distinct action_ids: the n-th of a kind is `<base>:<n>`. */
export function nthAction(base: string, n: number): string {
  return `${base}:${n}`;
}

/** Matches every `nthAction(base, n)` (and `base` itself), for registering one listener for all of them. */
export function anyNthAction(base: string): RegExp {
  return new RegExp(`^${base}(?::\\d+)?$`);
}

export const CHECKS_BLOCK_PREFIX = 'checks';

export function checksBlockId(stepId: number, chunk: number): string {
  return `${CHECKS_BLOCK_PREFIX}:${stepId}:${chunk}`;
}

export function parseChecksBlockId(blockId: string): { stepId: number; chunk: number } | null {
  const match = /^checks:(\d+):(\d+)$/.exec(blockId);
  return match ? { stepId: Number(match[1]), chunk: Number(match[2]) } : null;
}

export function assignBlockId(stepId: number): string {
  return `assign:${stepId}`;
}

export function parseAssignBlockId(blockId: string): number | null {
  const match = /^assign:(\d+)$/.exec(blockId);
  return match ? Number(match[1]) : null;
}
